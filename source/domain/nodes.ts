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

/** Whether two rows of the same node say the same thing (every field the screen can show). */
export function sameNodeRow(a: NodeRow, b: NodeRow): boolean {
  if (a === b) return true;
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.schedulingState === b.schedulingState &&
    a.stateTransitionTime?.getTime() === b.stateTransitionTime?.getTime() &&
    a.allocationTime?.getTime() === b.allocationTime?.getTime() &&
    a.ipAddress === b.ipAddress &&
    a.isDedicated === b.isDedicated &&
    sameErrors(a.errors, b.errors) &&
    a.startTaskFailure?.code === b.startTaskFailure?.code &&
    a.startTaskFailure?.message === b.startTaskFailure?.message &&
    a.startTaskFailure?.category === b.startTaskFailure?.category
  );
}

function sameErrors(a: NodeRow['errors'], b: NodeRow['errors']): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((e, i) => {
    const f = b[i];
    return (
      f !== undefined &&
      e.code === f.code &&
      e.message === f.message &&
      e.details.length === f.details.length &&
      e.details.every((d, j) => d.name === f.details[j]?.name && d.value === f.details[j]?.value)
    );
  });
}

/** One poll of a NodeTracker, folded in. */
export interface TrackedPoll {
  /**
   * Every node, in the order the service listed them. When no node changed, joined or left, this
   * is the very array of the previous poll; a node that did not change keeps its row object. So
   * a live view re-renders, re-sorts and re-filters only when something did change.
   */
  nodes: readonly NodeRow[];
  /** False when `nodes` is the previous poll's array. */
  changed: boolean;
  counts: NodeStateCounts;
  /** Nodes isErrored keeps. */
  errored: number;
  /** Since the previous poll, oldest first; none for the first poll (the baseline). */
  transitions: NodeTransition[];
  observedAt: Date;
}

/** A poll in progress: `add` rows as pages arrive, then `finish`. */
export interface NodePoll {
  /**
   * The row held for a node: a lister that hands it back for a node that did not change (rather
   * than an equal new row) saves the allocation (see BatchDataGateway.eachNode).
   */
  held: (id: string) => NodeRow | undefined;
  add: (rows: readonly NodeRow[]) => void;
  finish: (observedAt: Date) => TrackedPoll;
}

/** What the tracker holds of one node: its latest row and the last poll that listed it. */
interface Slot {
  row: NodeRow;
  seen: number;
}

/**
 * A pool's nodes as a live view holds them from poll to poll (the Nodes screen on 10,000 nodes
 * every 5 s). Rows are folded in as they arrive, so a poll never holds the pool twice: a node
 * whose row did not change keeps the row already held, and the fresh one is dropped at once
 * (garbage that dies young). Diffing happens on the way, so there is no separate snapshot
 * either. The same transitions as diffSnapshots.
 *
 * A poll that fails or is abandoned part-way changes nothing the tracker holds; a poll begun
 * later supersedes it.
 */
export class NodeTracker {
  private readonly slots = new Map<string, Slot>();
  private nodes: readonly NodeRow[] = [];
  private observedAt: Date | undefined;
  private generation = 0;

  /** Folds a whole listing in at once (tests, small pools). */
  track(rows: readonly NodeRow[], observedAt: Date): TrackedPoll {
    const poll = this.begin();
    poll.add(rows);
    return poll.finish(observedAt);
  }

  begin(): NodePoll {
    const generation = ++this.generation;
    const slots = this.slots;
    const previous = this.nodes;
    const baseline = this.observedAt === undefined;
    // The rows in service order, copied from `previous` only from the first difference on.
    let next: NodeRow[] | undefined;
    let at = 0;
    // Nodes that changed or joined, in service order: the log lists them in that order.
    const moved: Array<{ slot: Slot | undefined; row: NodeRow }> = [];
    const joined = new Set<string>();
    let listed = 0;
    const counts = emptyCounts();
    let errored = 0;

    const place = (row: NodeRow) => {
      if (next === undefined) {
        if (previous[at] === row) {
          at++;
          return;
        }
        next = previous.slice(0, at);
      }
      next.push(row);
      at++;
    };

    // The slot `held` last found: `add` usually asks for the same node next (one lookup, not two).
    let lastId: string | undefined;
    let lastSlot: Slot | undefined;

    return {
      held: (id) => {
        lastId = id;
        lastSlot = slots.get(id);
        return lastSlot?.row;
      },
      add: (rows) => {
        for (const row of rows) {
          const slot = row.id === lastId ? lastSlot : slots.get(row.id);
          let kept = row;
          if (slot !== undefined) {
            // Listed twice (the pool changed while it was paged), or by a newer poll.
            if (slot.seen >= generation) continue;
            slot.seen = generation;
            listed++;
            if (sameNodeRow(slot.row, row)) kept = slot.row;
            else moved.push({ slot, row });
          } else {
            if (joined.has(row.id)) continue;
            joined.add(row.id);
            moved.push({ slot: undefined, row });
          }
          place(kept);
          counts[kept.state] += 1;
          counts.total += 1;
          if (isErrored(kept)) errored++;
        }
      },
      finish: (observedAt) => {
        if (generation !== this.generation) throw new Error('a newer poll superseded this one');
        const since = this.observedAt;
        const atFor = (t: Date | undefined): Date =>
          since && t && t > since && t <= observedAt ? t : observedAt;
        const transitions: NodeTransition[] = [];
        for (const { slot, row } of moved) {
          const from = slot === undefined ? null : slot.row.state;
          if (!baseline && from !== row.state)
            transitions.push({
              nodeId: row.id,
              from,
              to: row.state,
              at: atFor(row.stateTransitionTime),
            });
          if (slot === undefined) slots.set(row.id, { row, seen: generation });
          else slot.row = row;
        }
        // Nodes this poll did not list have left (resize down, removed).
        // (In the order of the previous poll, as diffSnapshots lists them.)
        if (listed + joined.size < slots.size) {
          for (const { id } of previous) {
            const slot = slots.get(id);
            if (slot === undefined || slot.seen === generation) continue;
            slots.delete(id);
            transitions.push({ nodeId: id, from: slot.row.state, to: null, at: observedAt });
          }
        }
        if (next === undefined && at < previous.length) next = previous.slice(0, at);
        this.nodes = next ?? previous;
        this.observedAt = observedAt;
        return {
          nodes: this.nodes,
          changed: next !== undefined,
          counts,
          errored,
          transitions: transitions.sort((a, b) => a.at.getTime() - b.at.getTime()),
          observedAt,
        };
      },
    };
  }
}
