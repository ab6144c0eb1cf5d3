/**
 * Screen 7, Logs of a node (SPEC §3): pick the window, destination and authorization, upload
 * (u) with progress until every file is listed, then the files; Enter opens one in the viewer
 * (a panel: Esc returns to the list). `/` types a container URL on the form (a SAS in it is never
 * shown back), and searches in the viewer.
 */
import { Box } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import { redactUrl } from '../../../domain/token/storage-url.js';
import { Line } from '../../components/Line.js';
import { StatusBar } from '../../components/StatusBar.js';
import { formatBytes } from './format.js';
import { useCommands } from '../../hooks/useCommands.js';
import { useResource } from '../../hooks/useResource.js';
import { useSession } from '../../session.js';
import { useTheme } from '../../theme.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { initialLogs, logsReducer, WINDOW_LABELS, windowStart } from './form.js';
import { LogViewer } from './LogViewer.js';
import { prepare, uploadLogs, type LogsTarget, type Uploaded } from './upload.js';

export function LogsScreen(props: ScreenProps) {
  const { account, pool, node } = props.route.params ?? {};
  const { connection } = useSession();
  if (account === undefined || pool === undefined || node === undefined)
    return <Line>No node chosen: on a pool&apos;s Nodes screen, select a node and press l.</Line>;
  const incident = connection.phase === 'ready' ? connection.services.incident : undefined;
  return (
    <Connected>
      {(gateways) =>
        connection.phase !== 'ready' || incident === undefined ? (
          <Line>This session has no blob storage access for the Logs screen.</Line>
        ) : (
          <Logs
            {...props}
            target={{
              account,
              pool,
              node,
              gateways,
              clients: connection.services.clients,
              armEndpoint: connection.services.armEndpoint,
              incident,
            }}
          />
        )
      }
    </Connected>
  );
}

function Logs({
  target,
  filter,
  active,
  panel,
  width,
  height,
}: ScreenProps & { target: LogsTarget }) {
  const session = useSession();
  const { colours, symbols } = useTheme();
  const [state, dispatch] = useReducer(logsReducer, undefined, () => initialLogs());
  const [uploaded, setUploaded] = useState<Uploaded | undefined>(undefined);
  const [startedWith, setStartedWith] = useState('');
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);
  const { account, pool, node } = target;
  const { state: loaded } = useResource(`logs|${account.id}|${pool.name}|${node}`, (call) =>
    prepare(target, call.signal),
  );
  const prepared = loaded.value;
  const writers = prepared?.writers ?? [];
  const choices = writers.length + 1;
  const authorization = prepared ? (state.authorization + prepared.preferred) % choices : 0;
  const writer = writers[authorization];
  // While the form is shown, the `/` text is the container URL; afterwards it searches / filters.
  const typedUrl = state.phase.kind === 'form' ? filter.trim() : startedWith;
  const query = filter.trim() === typedUrl ? '' : filter;
  const window = prepared ? windowStart(state.window, new Date(), prepared.node) : undefined;

  const start = () => {
    if (!prepared || !window?.ok) return;
    if (state.typedDestination && typedUrl === '') {
      session.say({ tone: 'error', text: 'Type the container URL with / first.' });
      return;
    }
    setStartedWith(typedUrl);
    const controller = new AbortController();
    running.current = controller;
    dispatch({ type: 'started', text: 'Checking the destination…' });
    uploadLogs(
      target,
      {
        start: window.start,
        ...(state.typedDestination ? { containerUrl: typedUrl } : {}),
        ...(writer ? { writer } : {}),
      },
      (text, p) =>
        dispatch({ type: 'progress', text, listed: p?.listed ?? 0, expected: p?.expected ?? 0 }),
      controller.signal,
    ).then(
      (done) => {
        setUploaded(done);
        dispatch({
          type: 'uploaded',
          directory: done.directory,
          files: done.files,
          complete: done.complete,
        });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          dispatch({
            type: 'failed',
            message: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
          });
      },
    );
  };

  const phase = state.phase;
  const files = phase.kind === 'files' ? phase.files : [];
  useCommands('logs', active && panel === undefined, (command) => {
    switch (command) {
      case 'up':
        return phase.kind === 'files'
          ? dispatch({ type: 'select', by: -1 })
          : dispatch({ type: 'move', by: -1 });
      case 'down':
        return phase.kind === 'files'
          ? dispatch({ type: 'select', by: 1 })
          : dispatch({ type: 'move', by: 1 });
      case 'top':
        return dispatch({ type: 'select', by: 'top' });
      case 'bottom':
        return dispatch({ type: 'select', by: 'bottom' });
      case 'open': {
        if (phase.kind === 'form') return dispatch({ type: 'cycle', choices });
        if (phase.kind === 'failed') return dispatch({ type: 'reset' });
        const file = files[phase.kind === 'files' ? phase.selected : -1];
        if (!file) return undefined;
        session.showPanel({
          kind: 'detail',
          key: file.name,
          label: file.name.split('/').pop() ?? file.name,
        });
        return 'leave';
      }
      case 'upload':
        if (phase.kind === 'form') start();
        return undefined;
      default:
        return undefined;
    }
  });

  if (panel?.kind === 'detail' && uploaded) {
    const done = uploaded;
    return (
      <LogViewer
        storage={done.storage}
        container={done.destination.target.container}
        blob={panel.key}
        query={query}
        active={active}
        width={width}
        height={height}
        onDoctor={() => session.open('doctor', { account, pool })}
      />
    );
  }
  const mark = (i: number) => (phase.kind === 'form' && state.field === i ? symbols.cursor : ' ');
  const writerText = (i: number) => {
    const w = writers[i];
    if (!w) return 'the SAS in the typed container URL';
    const v = w.access?.verdict.kind;
    const sign = v === 'granted' ? symbols.ok : v === 'missing' ? symbols.error : '?';
    return `${w.identity.ref.name}  ${sign} ${v === 'granted' ? 'may write' : v === 'missing' ? 'may not write' : 'write access unknown'}`;
  };
  const destination = state.typedDestination
    ? typedUrl === ''
      ? '(type it with /)'
      : redactUrl(typedUrl)
    : prepared === undefined
      ? '…'
      : 'error' in prepared.autostorage
        ? prepared.autostorage.error
        : prepared.autostorage.shown;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <StatusBar
        width={width}
        state={loaded}
        what={`node ${node}`}
        summary={`Logs of node ${node} in ${pool.name}`}
      />
      <Line
        color={mark(0) === ' ' ? undefined : colours.accent}
      >{`${mark(0)} Window         ${WINDOW_LABELS[state.window]}${window && !window.ok ? ` ${symbols.dash} ${window.reason}` : ''}`}</Line>
      <Line
        color={mark(1) === ' ' ? undefined : colours.accent}
      >{`${mark(1)} Destination    ${state.typedDestination ? 'URL ' : 'autostorage '}${destination}`}</Line>
      <Line
        color={mark(2) === ' ' ? undefined : colours.accent}
      >{`${mark(2)} Authorization  ${writerText(authorization)}`}</Line>
      {window?.ok && window.overDay ? (
        <Line
          color={colours.warning}
        >{`${symbols.warning} Over 24 h: the node uploads every file overlapping the window (many, large).`}</Line>
      ) : null}
      {phase.kind === 'form' ? (
        <Line color={colours.muted}>
          {'Enter changes the field · / types a container URL (with SAS) · u uploads'}
        </Line>
      ) : null}
      {phase.kind === 'uploading' ? (
        <Line>{`${phase.text}${phase.expected ? `: ${phase.listed} of ${phase.expected} files` : ''}`}</Line>
      ) : null}
      {phase.kind === 'failed' ? (
        <Line color={colours.error}>{`${symbols.error} ${phase.message}`}</Line>
      ) : null}
      {phase.kind === 'files' ? (
        <>
          <Line color={phase.complete ? colours.ok : colours.warning}>
            {`${phase.complete ? symbols.ok : symbols.warning} ${files.length} files in ${phase.directory}${phase.complete ? '' : ' (not all arrived yet)'} · Enter opens`}
          </Line>
          {files
            .slice(
              Math.max(0, phase.selected - (height - 8)),
              Math.max(0, phase.selected - (height - 8)) + height - 7,
            )
            .map((f) => (
              <Line key={f.name} {...(files[phase.selected] === f ? { inverse: true } : {})}>
                {`  ${f.name.slice(phase.directory.length).replace(/^\/+/, '')}  ${formatBytes(f.size)}`}
              </Line>
            ))}
        </>
      ) : null}
    </Box>
  );
}
