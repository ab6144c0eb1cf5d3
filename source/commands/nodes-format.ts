/**
 * What `batch-mi-tui nodes` prints, as pure functions of the nodes and the terminal: the table
 * (fitted to the width of a terminal, full-width and uncoloured in a pipe), the state counts, the
 * JSON document, and the transition lines of `--watch`.
 */
import { formatDuration } from '../domain/duration.js';
import type { NodeRow, NodeState } from '../domain/model.js';
import {
  NODE_STATE_LABELS,
  TROUBLED_STATES,
  nonZeroStates,
  timeInState,
  type NodeStateCounts,
  type NodeTransition,
} from '../domain/nodes.js';

export interface TableStyle {
  /** Terminal columns to fit; undefined (a pipe or a file): nothing is truncated. */
  columns?: number;
  colour: boolean;
}

const GAP = '  ';
const NONE = '-';

const SGR = {
  reset: '\u001B[0m',
  bold: '\u001B[1m',
  red: '\u001B[31m',
  green: '\u001B[32m',
  yellow: '\u001B[33m',
};

/** Working, on its way, or needing a look: the same three tones the Nodes screen uses. */
function stateTone(state: NodeState): string {
  if (TROUBLED_STATES.has(state)) return SGR.red;
  if (state === 'idle' || state === 'running') return SGR.green;
  return SGR.yellow;
}

/** `idle 9998, starting 2` in the order of a node's life; `no nodes` for an empty pool. */
export function formatCounts(counts: NodeStateCounts): string {
  const parts = nonZeroStates(counts).map(
    ({ state, count }) => `${NODE_STATE_LABELS[state]} ${count}`,
  );
  const nodes = `${counts.total} node${counts.total === 1 ? '' : 's'}`;
  return parts.length ? `${nodes}: ${parts.join(', ')}` : 'no nodes';
}

/** Error codes of a node, its start task's failure included (rule MI018 reads it; --json tells them apart). */
export function errorCodes(node: NodeRow): string[] {
  const codes = node.errors.map((e) => e.code).filter(Boolean);
  if (node.startTaskFailure?.code) codes.push(node.startTaskFailure.code);
  return codes;
}

/**
 * Shortens to `width` keeping both ends: node ids are `tvmps_<64 hex>_d`, and the start and the
 * `_d`/`_p` suffix (dedicated or Spot) are what an operator tells them apart by.
 */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  const tail = Math.floor((width - 1) / 3);
  return `${text.slice(0, width - 1 - tail)}…${tail ? text.slice(-tail) : ''}`;
}

export function truncateEnd(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

interface Column {
  title: string;
  cells: string[];
  cut?: (text: string, width: number) => string;
}

/**
 * Which column gives up space, and down to what width, in turn: the node id first (its middle is
 * hash digits), then the error codes, then both further. State, time in state and IP are never
 * cut: they are read at a glance and are short.
 */
const SQUEEZE: ReadonlyArray<readonly [column: number, min: number]> = [
  [0, 20],
  [3, 12],
  [0, 14],
  [3, 6],
];

function fitWidths(cols: Column[], columns: number | undefined): number[] {
  const widths = cols.map((c) => Math.max(c.title.length, ...c.cells.map((s) => s.length)));
  if (columns === undefined) return widths;
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (cols.length - 1) - columns;
  for (const [i, min] of SQUEEZE) {
    if (excess <= 0) break;
    const give = Math.min(excess, Math.max(0, (widths[i] ?? 0) - min));
    widths[i] = (widths[i] ?? 0) - give;
    excess -= give;
  }
  return widths;
}

/** The nodes table, header first, one line per node, in the order the service listed them. */
export function formatTable(nodes: readonly NodeRow[], now: Date, style: TableStyle): string[] {
  const cols: Column[] = [
    { title: 'NODE', cells: nodes.map((n) => n.id), cut: truncateMiddle },
    { title: 'STATE', cells: nodes.map((n) => NODE_STATE_LABELS[n.state]) },
    {
      title: 'IN STATE',
      cells: nodes.map((n) => {
        const ms = timeInState(n, now);
        return ms === undefined ? NONE : formatDuration(ms);
      }),
    },
    { title: 'ERRORS', cells: nodes.map((n) => errorCodes(n).join(',') || NONE) },
    { title: 'IP', cells: nodes.map((n) => n.ipAddress ?? NONE) },
  ];
  const widths = fitWidths(cols, style.columns);
  const line = (
    cell: (c: Column, i: number) => string,
    tone?: (text: string, i: number) => string,
  ) =>
    cols
      .map((c, i) => {
        const width = widths[i] ?? 0;
        const raw = cell(c, i);
        const text = (c.cut ?? truncateEnd)(raw, width);
        // Pad outside the colour codes, or they would count towards the width.
        const padded = i === cols.length - 1 ? text : text + ' '.repeat(width - text.length);
        return tone ? tone(padded, i) : padded;
      })
      .join(GAP)
      .trimEnd();
  const header = line(
    (c) => c.title,
    style.colour ? (t) => `${SGR.bold}${t}${SGR.reset}` : undefined,
  );
  const rows = nodes.map((node, row) =>
    line(
      (c) => c.cells[row] ?? '',
      style.colour
        ? (t, i) =>
            i === 1
              ? `${stateTone(node.state)}${t}${SGR.reset}`
              : i === 3 && t.trim() !== NONE
                ? `${SGR.red}${t}${SGR.reset}`
                : t
        : undefined,
    ),
  );
  return [header, ...rows];
}

/** A node as `--json` prints it: the Batch API's names and wire values, dates in ISO 8601 UTC. */
export function nodeJson(node: NodeRow, now: Date) {
  const ms = timeInState(node, now);
  return {
    id: node.id,
    state: node.state,
    ...(node.schedulingState ? { schedulingState: node.schedulingState } : {}),
    ...(node.stateTransitionTime
      ? { stateTransitionTime: node.stateTransitionTime.toISOString() }
      : {}),
    ...(ms === undefined ? {} : { timeInStateSeconds: Math.floor(ms / 1000) }),
    ...(node.allocationTime ? { allocationTime: node.allocationTime.toISOString() } : {}),
    ...(node.ipAddress ? { ipAddress: node.ipAddress } : {}),
    ...(node.isDedicated === undefined ? {} : { isDedicated: node.isDedicated }),
    errors: node.errors.map((e) => ({ code: e.code, message: e.message, details: e.details })),
    ...(node.startTaskFailure ? { startTaskFailure: node.startTaskFailure } : {}),
  };
}

export interface NodesDocument {
  account: string;
  pool: string;
  counts: NodeStateCounts;
  nodes: Array<ReturnType<typeof nodeJson>>;
}

export function nodesDocument(
  account: string,
  pool: string,
  nodes: readonly NodeRow[],
  counts: NodeStateCounts,
  now: Date,
): NodesDocument {
  return { account, pool, counts, nodes: nodes.map((n) => nodeJson(n, now)) };
}

/** One line of `--watch --json`: a transition, with where it happened (lines may be merged). */
export function transitionJson(account: string, pool: string, t: NodeTransition): string {
  return JSON.stringify({
    account,
    pool,
    nodeId: t.nodeId,
    from: t.from,
    to: t.to,
    at: t.at.toISOString(),
  });
}

/** HH:MM:SS in the operator's own time zone, as they would read a wall clock. */
export function localClock(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
