/**
 * Pure node-state arithmetic for the live Nodes screen and `nodes --watch`: counts per state,
 * the transitions between two polls, and time in state. Every function is O(n) with no sorting
 * of the whole pool, because it runs on each refresh of a 10,000-node pool (SPEC §7: fetch + diff
 * + render ≤ 250 ms).
 */
import { NODE_STATES, type NodeRow, type NodeState } from './model.js';

export type NodeStateCounts = Record<NodeState, number> & { total: number };

export function emptyCounts(): NodeStateCounts {
  const counts = { total: 0 } as NodeStateCounts;
  for (const state of NODE_STATES) counts[state] = 0;
  return counts;
}

export function countNodeStates(nodes: Iterable<Pick<NodeRow, 'state'>>): NodeStateCounts {
  const counts = emptyCounts();
  for (const node of nodes) {
    counts[node.state] += 1;
    counts.total += 1;
  }
  return counts;
}

/** Non-zero states in NODE_STATES order (the order of a node's life), for the state bar. */
export function nonZeroStates(counts: NodeStateCounts): Array<{ state: NodeState; count: number }> {
  return NODE_STATES.filter((s) => counts[s] > 0).map((state) => ({ state, count: counts[state] }));
}

/** How operators and the portal write the states (the wire sends lower case). */
export const NODE_STATE_LABELS: Record<NodeState, string> = {
  creating: 'creating',
  starting: 'starting',
  waitingforstarttask: 'waitingForStartTask',
  starttaskfailed: 'startTaskFailed',
  idle: 'idle',
  running: 'running',
  rebooting: 'rebooting',
  reimaging: 'reimaging',
  leavingpool: 'leavingPool',
  offline: 'offline',
  preempted: 'preempted',
  unusable: 'unusable',
  unknown: 'unknown',
};

/** States an operator should look at: the node does not run tasks and will not by itself. */
export const TROUBLED_STATES: ReadonlySet<NodeState> = new Set<NodeState>([
  'starttaskfailed',
  'unusable',
  'unknown',
  'offline',
]);

/** The `e` filter: nodes with errors, or a failed start task, or in a troubled state. */
export function isErrored(node: NodeRow): boolean {
  return (
    node.errors.length > 0 || node.startTaskFailure !== undefined || TROUBLED_STATES.has(node.state)
  );
}

/** What a diff remembers of one poll: id → state and when it entered it. */
export interface NodeSnapshot {
  observedAt: Date;
  nodes: ReadonlyMap<string, { state: NodeState; since?: Date }>;
}

export function snapshotOf(nodes: Iterable<NodeRow>, observedAt: Date): NodeSnapshot {
  const map = new Map<string, { state: NodeState; since?: Date }>();
  for (const n of nodes) {
    map.set(
      n.id,
      n.stateTransitionTime ? { state: n.state, since: n.stateTransitionTime } : { state: n.state },
    );
  }
  return { observedAt, nodes: map };
}

/**
 * A node's change between two polls. `from: null` — the node joined the pool; `to: null` — it
 * left (resize down, removed). `at` is Azure's stateTransitionTime when it has one that falls in
 * the interval, else the time of the poll that saw it (a node can change several times between
 * polls; we see only the last state, as the portal would).
 */
export interface NodeTransition {
  nodeId: string;
  from: NodeState | null;
  to: NodeState | null;
  at: Date;
}

export function diffSnapshots(previous: NodeSnapshot, next: NodeSnapshot): NodeTransition[] {
  const transitions: NodeTransition[] = [];
  const atFor = (since: Date | undefined): Date =>
    since && since > previous.observedAt && since <= next.observedAt ? since : next.observedAt;
  for (const [nodeId, now] of next.nodes) {
    const before = previous.nodes.get(nodeId);
    if (before === undefined) {
      transitions.push({ nodeId, from: null, to: now.state, at: atFor(now.since) });
    } else if (before.state !== now.state) {
      transitions.push({ nodeId, from: before.state, to: now.state, at: atFor(now.since) });
    }
  }
  for (const [nodeId, before] of previous.nodes) {
    if (!next.nodes.has(nodeId)) {
      transitions.push({ nodeId, from: before.state, to: null, at: next.observedAt });
    }
  }
  // Oldest first, like a log; ties keep node order so output is stable.
  return transitions.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Appends to a transitions log and keeps only the newest `max` entries, so a screen left open
 * for hours holds bounded memory (SPEC §7 endurance).
 */
export function appendTransitions(
  log: readonly NodeTransition[],
  added: readonly NodeTransition[],
  max = 500,
): NodeTransition[] {
  if (added.length === 0) return log.length <= max ? (log as NodeTransition[]) : log.slice(-max);
  const combined = log.concat(added);
  return combined.length > max ? combined.slice(combined.length - max) : combined;
}

/** Milliseconds the node has been in its state, or undefined when Azure gave no transition time. */
export function timeInState(
  node: Pick<NodeRow, 'stateTransitionTime'>,
  now: Date,
): number | undefined {
  if (!node.stateTransitionTime) return undefined;
  return Math.max(0, now.getTime() - node.stateTransitionTime.getTime());
}

/** `tvm-3 starting → idle 14:02:11` (UTC unless a time zone offset formatter is given). */
export function formatTransition(t: NodeTransition, clock: (d: Date) => string = utcClock): string {
  const from = t.from === null ? '(joined)' : NODE_STATE_LABELS[t.from];
  const to = t.to === null ? '(left)' : NODE_STATE_LABELS[t.to];
  return `${t.nodeId} ${from} → ${to} ${clock(t.at)}`;
}

function utcClock(d: Date): string {
  return d.toISOString().slice(11, 19);
}
