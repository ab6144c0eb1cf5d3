/**
 * The log viewer's position: the first line shown, how many lines the file has so far (the line
 * index grows as it reads), and the line of the current search match. Pure; the component reads
 * the lines of the window from the LineIndex.
 */
import { findInLine, type Query } from '../../../domain/logs/search.js';
import type { SignatureMatch } from '../../../domain/logs/signatures.js';

export interface ViewerState {
  top: number;
  lineCount: number;
  complete: boolean;
  /** The line of the current match (search or signature), highlighted as the cursor. */
  current: number | undefined;
  note: string | undefined;
}

export type ViewerAction =
  | { type: 'scroll'; by: number | 'top' | 'bottom'; rows: number }
  | { type: 'counted'; lineCount: number; complete: boolean; rows: number }
  | { type: 'jump'; line: number; rows: number; note?: string }
  | { type: 'note'; note: string | undefined };

export const initialViewer: ViewerState = {
  top: 0,
  lineCount: 0,
  complete: false,
  current: undefined,
  note: undefined,
};

const clampTop = (top: number, count: number, rows: number) =>
  Math.max(0, Math.min(top, count - Math.max(1, rows)));

export function viewerReducer(state: ViewerState, action: ViewerAction): ViewerState {
  switch (action.type) {
    case 'scroll': {
      const target =
        action.by === 'top' ? 0 : action.by === 'bottom' ? state.lineCount : state.top + action.by;
      const top = clampTop(target, state.lineCount, action.rows);
      return top === state.top ? state : { ...state, top };
    }
    case 'counted':
      return {
        ...state,
        lineCount: action.lineCount,
        complete: action.complete,
        top: clampTop(state.top, action.lineCount, action.rows),
      };
    case 'jump': {
      // The match goes a third of the way down, with context above it, as less does.
      const lineCount = Math.max(state.lineCount, action.line + 1);
      const top = clampTop(action.line - Math.floor(action.rows / 3), lineCount, action.rows);
      return { ...state, lineCount, top, current: action.line, note: action.note };
    }
    case 'note':
      return { ...state, note: action.note };
  }
}

export type SpanKind = 'plain' | 'match' | 'signature';

/** A line cut into spans: search matches win over the signature's span where they overlap. */
export function lineSpans(
  text: string,
  query: Query | undefined,
  signature: SignatureMatch | undefined,
): Array<{ text: string; kind: SpanKind }> {
  const kinds: SpanKind[] = Array.from({ length: text.length }, () => 'plain');
  if (signature) for (let i = signature.span[0]; i < signature.span[1]; i++) kinds[i] = 'signature';
  if (query)
    for (const [a, b] of findInLine(text, query)) for (let i = a; i < b; i++) kinds[i] = 'match';
  const spans: Array<{ text: string; kind: SpanKind }> = [];
  for (let i = 0; i < text.length; i++) {
    const kind = kinds[i] ?? 'plain';
    const last = spans[spans.length - 1];
    if (last?.kind === kind) last.text += text[i] ?? '';
    else spans.push({ text: text[i] ?? '', kind });
  }
  return spans;
}
