/**
 * An uploaded log file, read range by range from storage through the LineIndex (a 30 MB
 * agent-debug.log is never held whole): j/k PgUp/PgDn g/G scroll, `/` searches (the shell's
 * prompt; matches highlighted as typed, Enter jumps), n/N next and previous, known signatures
 * highlighted with their explanation and doctor rule; `d` opens the doctor for the pool.
 */
import { Box, Text } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { StorageGateway } from '../../../azure/storage.js';
import type { LineIndex } from '../../../domain/logs/line-index.js';
import { parseQuery, searchSource } from '../../../domain/logs/search.js';
import { matchLine, SignatureScan, type LogContext } from '../../../domain/logs/signatures.js';
import { Line } from '../../components/Line.js';
import { useCommands } from '../../hooks/useCommands.js';
import { useTheme } from '../../theme.js';
import { initialViewer, lineSpans, viewerReducer } from './viewer.js';

export interface LogViewerProps {
  storage: StorageGateway;
  container: string;
  blob: string;
  /** The search: the shell's `/` text (committed or being typed). */
  query: string;
  active: boolean;
  width: number;
  height: number;
  onDoctor: () => void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

export function LogViewer(props: LogViewerProps) {
  const { storage, container, blob, query, active, width, height } = props;
  const { colours, symbols } = useTheme();
  const rows = Math.max(1, height - 3);
  const [state, dispatch] = useReducer(viewerReducer, initialViewer);
  const [index, setIndex] = useState<LineIndex | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [shown, setShown] = useState<{ top: number; lines: string[] }>({ top: 0, lines: [] });
  const searching = useRef<AbortController | undefined>(undefined);
  const [logContext, setLogContext] = useState<LogContext | undefined>(undefined);
  const parsed = query.trim() === '' ? undefined : parseQuery(query.trim());

  // Open: index the first window, then scan for the signature that explains the file and go there.
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    void (async () => {
      const opened = await storage.openLines(container, blob, {}, { signal });
      setIndex(opened);
      await opened.ensure(rows, signal);
      dispatch({ type: 'counted', lineCount: opened.lineCount, complete: opened.complete, rows });
      const scan = new SignatureScan();
      for (let at = 0; at < opened.lineCount || !opened.complete; at += 2048) {
        const lines = await opened.lines(at, 2048, signal);
        if (!lines.length) break;
        lines.forEach((l, i) => scan.add(l, at + i));
        dispatch({ type: 'counted', lineCount: opened.lineCount, complete: opened.complete, rows });
      }
      setLogContext(scan.logContext());
      const explaining = scan.explanation();
      if (explaining)
        dispatch({
          type: 'jump',
          line: explaining.match.line,
          rows,
          note: `${explaining.match.rule}: ${explaining.match.explanation}`,
        });
    })().catch((error: unknown) => {
      if (!signal.aborted) setFailure(errorText(error));
    });
    return () => controller.abort();
    // Opened once per file; the window size only matters for the first read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storage, container, blob]);

  // The visible window, read (from the index's cache, or one ranged GET) whenever it moves.
  useEffect(() => {
    if (!index) return;
    const controller = new AbortController();
    index.lines(state.top, rows, controller.signal).then(
      (lines) => {
        if (controller.signal.aborted) return;
        setShown({ top: state.top, lines });
        dispatch({ type: 'counted', lineCount: index.lineCount, complete: index.complete, rows });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setFailure(errorText(error));
      },
    );
    return () => controller.abort();
  }, [index, state.top, rows]);

  const search = (direction: 'forward' | 'backward', from: number) => {
    if (!index || !parsed) {
      dispatch({ type: 'note', note: 'Type / and a text to search for first.' });
      return;
    }
    searching.current?.abort();
    const controller = new AbortController();
    searching.current = controller;
    void index.ensure(Number.MAX_SAFE_INTEGER, controller.signal).then(
      async () => {
        const hit = await searchSource(index, parsed, from, direction, {
          signal: controller.signal,
        });
        if (controller.signal.aborted) return;
        if (hit)
          dispatch({
            type: 'jump',
            line: hit.line,
            rows,
            note: hit.wrapped ? `search wrapped round to line ${hit.line + 1}` : undefined,
          });
        else dispatch({ type: 'note', note: `"${parsed.text}" is not in ${blob}.` });
      },
      () => undefined,
    );
  };

  // A committed search jumps to the first match from the top of the window.
  const committed = useRef(query);
  useEffect(() => {
    if (committed.current === query || !active) return;
    committed.current = query;
    if (query.trim() !== '') search('forward', Math.max(0, state.top - 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, active]);

  useCommands('logs', active, (command) => {
    const scroll = (by: number | 'top' | 'bottom') => dispatch({ type: 'scroll', by, rows });
    switch (command) {
      case 'up':
        return scroll(-1);
      case 'down':
        return scroll(1);
      case 'pageUp':
        return scroll(-(rows - 1));
      case 'pageDown':
        return scroll(rows - 1);
      case 'top':
        return scroll('top');
      case 'bottom':
        if (index && !index.complete)
          void index.ensure(Number.MAX_SAFE_INTEGER).then(
            () => {
              dispatch({ type: 'counted', lineCount: index.lineCount, complete: true, rows });
              dispatch({ type: 'scroll', by: 'bottom', rows });
            },
            () => undefined,
          );
        return scroll('bottom');
      case 'nextMatch':
        return search('forward', state.current ?? state.top);
      case 'previousMatch':
        return search('backward', state.current ?? state.top);
      case 'signatureDoctor':
        props.onDoctor();
        return 'leave';
      default:
        return undefined;
    }
  });

  const gutter = String(Math.max(state.lineCount, 1)).length;
  const textWidth = Math.max(1, width - gutter - 1);
  // With what the whole log says (e.g. no node identity reference), so that a line in view is
  // explained as the scan explained it.
  const matches = shown.lines.map((text, i) => matchLine(text, shown.top + i, logContext));
  // The line the viewer jumped to explains the file; else the first known line in view.
  const firstSignature =
    (state.current === undefined ? undefined : matches[state.current - shown.top]) ??
    matches.find((m) => m !== undefined);
  const position = `${state.lineCount === 0 ? 0 : state.top + 1}-${Math.min(state.top + rows, state.lineCount)} of ${state.lineCount}${state.complete ? '' : '+'}`;
  const footer =
    failure !== undefined
      ? { colour: colours.error, text: `${symbols.error} ${failure}` }
      : firstSignature
        ? {
            colour: colours.error,
            text: `${firstSignature.rule} ${firstSignature.explanation} (d: doctor)`,
          }
        : {
            colour: colours.muted,
            text: state.note ?? 'no known signature in view · / search · n/N',
          };
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Line bold>
        {blob.split('/').pop()}
        <Text color={colours.muted}>{`  ${position}  ${symbols.dot} Esc back`}</Text>
      </Line>
      {shown.lines.map((text, i) => {
        const line = shown.top + i;
        const signature = matches[i];
        // A signature past the right edge is brought into view (the line starts with …).
        const from =
          signature && signature.span[1] > textWidth
            ? Math.max(0, signature.span[0] - Math.floor(textWidth / 3))
            : 0;
        const cut = (from > 0 ? symbols.ellipsis : '') + text.slice(from, from + textWidth - 1);
        const shift = from > 0 ? from - symbols.ellipsis.length : 0;
        const visible = signature
          ? {
              ...signature,
              span: [signature.span[0] - shift, signature.span[1] - shift] as [number, number],
            }
          : undefined;
        return (
          <Line key={line} {...(line === state.current ? { inverse: true } : {})}>
            <Text color={colours.muted}>{`${String(line + 1).padStart(gutter)} `}</Text>
            {lineSpans(cut, parsed, visible).map((span, k) =>
              span.kind === 'plain' ? (
                span.text
              ) : (
                <Text
                  key={k}
                  {...(span.kind === 'match'
                    ? { color: colours.warning, underline: true }
                    : { color: colours.error, bold: true })}
                >
                  {span.text}
                </Text>
              ),
            )}
          </Line>
        );
      })}
      <Box flexGrow={1} />
      <Line color={footer.colour}>{footer.text}</Line>
      {state.note && failure === undefined && firstSignature ? (
        <Line color={colours.muted}>{state.note}</Line>
      ) : null}
    </Box>
  );
}
