/**
 * The live Nodes screen's state: the latest poll, counts by state, and the transitions log since
 * the screen opened. Each poll is folded in here: O(n) snapshot, diff and count, no sort, so a
 * 10,000-node refresh stays within its budget (SPEC §7). The first poll is the baseline: nodes
 * already there did not "join".
 */
import type { NodeRow } from '../../../domain/model.js';
import {
  appendTransitions,
  countNodeStates,
  diffSnapshots,
  emptyCounts,
  isErrored,
  snapshotOf,
} from '../../../domain/nodes.js';
import type { NodeSnapshot, NodeStateCounts, NodeTransition } from '../../../domain/nodes.js';

/** The log keeps the newest entries only, so a screen left open for hours holds flat memory. */
export const TRANSITIONS_KEPT = 500;

export interface NodesState {
  nodes: readonly NodeRow[];
  counts: NodeStateCounts;
  /** Nodes the `e` filter keeps. */
  errored: number;
  snapshot: NodeSnapshot | undefined;
  transitions: readonly NodeTransition[];
  /** When the latest poll was read: "time in state" is measured to it. */
  observedAt: number | undefined;
  /** When the first poll was read: the log covers changes since then. */
  since: number | undefined;
  errorsOnly: boolean;
}

export type NodesAction =
  { type: 'polled'; nodes: readonly NodeRow[]; at: number } | { type: 'toggleErrors' };

export function initialNodes(): NodesState {
  return {
    nodes: [],
    counts: emptyCounts(),
    errored: 0,
    snapshot: undefined,
    transitions: [],
    observedAt: undefined,
    since: undefined,
    errorsOnly: false,
  };
}

export function nodesReducer(state: NodesState, action: NodesAction): NodesState {
  switch (action.type) {
    case 'toggleErrors':
      return { ...state, errorsOnly: !state.errorsOnly };
    case 'polled': {
      const snapshot = snapshotOf(action.nodes, new Date(action.at));
      const added = state.snapshot === undefined ? [] : diffSnapshots(state.snapshot, snapshot);
      let errored = 0;
      for (const node of action.nodes) if (isErrored(node)) errored++;
      return {
        ...state,
        nodes: action.nodes,
        counts: countNodeStates(action.nodes),
        errored,
        snapshot,
        transitions: appendTransitions(state.transitions, added, TRANSITIONS_KEPT),
        observedAt: action.at,
        since: state.since ?? action.at,
      };
    }
  }
}
