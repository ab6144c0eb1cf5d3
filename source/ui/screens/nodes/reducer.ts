/**
 * The live Nodes screen's state: the latest poll, counts by state, and the transitions log since
 * the screen opened. Each poll arrives already folded in by a NodeTracker (domain/nodes.ts): the
 * diff, the counts and the rows to keep were worked out as the pages arrived, so this stays a
 * few assignments however large the pool. The first poll is the baseline: nodes already there
 * did not "join".
 */
import type { NodeRow } from '../../../domain/model.js';
import { appendTransitions, emptyCounts } from '../../../domain/nodes.js';
import type { NodeStateCounts, NodeTransition, TrackedPoll } from '../../../domain/nodes.js';

/** The log keeps the newest entries only, so a screen left open for hours holds flat memory. */
export const TRANSITIONS_KEPT = 500;

export interface NodesState {
  nodes: readonly NodeRow[];
  counts: NodeStateCounts;
  /** Nodes the `e` filter keeps. */
  errored: number;
  transitions: readonly NodeTransition[];
  /** When the latest poll was read: "time in state" is measured to it. */
  observedAt: number | undefined;
  /** When the first poll was read: the log covers changes since then. */
  since: number | undefined;
  errorsOnly: boolean;
}

export type NodesAction = { type: 'polled'; poll: TrackedPoll } | { type: 'toggleErrors' };

export function initialNodes(): NodesState {
  return {
    nodes: [],
    counts: emptyCounts(),
    errored: 0,
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
      const { poll } = action;
      const at = poll.observedAt.getTime();
      return {
        ...state,
        nodes: poll.nodes,
        counts: poll.counts,
        errored: poll.errored,
        transitions: appendTransitions(state.transitions, poll.transitions, TRANSITIONS_KEPT),
        observedAt: at,
        since: state.since ?? at,
      };
    }
  }
}
