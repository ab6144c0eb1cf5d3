/**
 * The Nodes table: id, state, time in state, error codes, IP. Node ids are long
 * (`tvmps_` + 64 hex digits + `_d`); a narrow column keeps their head and their tail, which
 * tells dedicated (_d) from Spot (_p).
 */
import type { NodeRow, NodeState } from '../../../domain/model.js';
import { NODE_STATE_LABELS, TROUBLED_STATES, timeInState } from '../../../domain/nodes.js';
import { formatDuration } from '../../format.js';
import type { Column } from '../../table/layout.js';
import type { Theme } from '../../theme.js';
import { NONE } from '../accounts/columns.js';

export const nodeKey = (node: NodeRow): string => node.id;

/** `tvmps_3f2a9b0c…d4_d`: the head and the tail of a long id. */
export function shortNodeId(id: string, max = 20): string {
  if (id.length <= max) return id;
  const tail = 4;
  return `${id.slice(0, max - tail - 1)}…${id.slice(-tail)}`;
}

const STEADY: ReadonlySet<NodeState> = new Set<NodeState>(['idle', 'running']);
const PASSING: ReadonlySet<NodeState> = new Set<NodeState>(['leavingpool', 'preempted']);

export function stateColour(state: NodeState, theme: Theme): string | undefined {
  if (STEADY.has(state)) return theme.colours.ok;
  if (TROUBLED_STATES.has(state)) return theme.colours.error;
  if (PASSING.has(state)) return theme.colours.muted;
  return theme.colours.warning;
}

export function errorCodes(node: NodeRow): string {
  const codes = node.errors.map((e) => e.code);
  if (node.startTaskFailure) codes.push(`startTask:${node.startTaskFailure.code}`);
  return codes.length === 0 ? NONE : codes.join(', ');
}

/** Columns as of a poll: time in state is measured to when the poll was read. */
export function nodeColumns(observedAt: number | undefined): Column<NodeRow>[] {
  const now = new Date(observedAt ?? 0);
  const inState = (n: NodeRow) => (observedAt === undefined ? undefined : timeInState(n, now));
  return [
    {
      id: 'id',
      title: 'id',
      min: 20,
      max: 72,
      grow: 3,
      text: (n) => n.id,
      compact: (n) => shortNodeId(n.id),
    },
    {
      id: 'state',
      title: 'state',
      min: 12,
      max: 19,
      text: (n) => NODE_STATE_LABELS[n.state],
      colour: (n, theme) => stateColour(n.state, theme),
    },
    {
      id: 'inState',
      title: 'in state',
      min: 8,
      align: 'right',
      text: (n) => formatDuration(inState(n)),
      sortKey: (n) => inState(n) ?? -1,
    },
    {
      id: 'errors',
      title: 'errors',
      min: 10,
      grow: 3,
      text: errorCodes,
      colour: (n, theme) => (errorCodes(n) === NONE ? theme.colours.muted : theme.colours.error),
    },
    { id: 'ip', title: 'IP', min: 11, max: 15, grow: 1, text: (n) => n.ipAddress ?? NONE },
    {
      id: 'priority',
      title: 'priority',
      min: 9,
      drop: 1,
      text: (n) => (n.isDedicated === undefined ? NONE : n.isDedicated ? 'dedicated' : 'spot'),
    },
  ];
}
