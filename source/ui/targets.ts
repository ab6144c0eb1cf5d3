/**
 * What screens are about: the account and pool a route shows, and the panel open over a screen.
 * Plain data, kept in the shell's state so that Esc walks back to exactly what was shown.
 */
import type { BatchAccountSummary, PoolSummary } from '../domain/model.js';
import type { FlowStart } from './screens/flows/start.js';

/** The resources a route is about. Pools need an account; nodes need an account and a pool. */
export interface RouteParams {
  account?: BatchAccountSummary;
  pool?: PoolSummary;
  /** A node of the pool (the Logs and Token screens). */
  node?: string;
  /** The Flows screen: which flow, and what is already chosen (screens/flows/start.ts). */
  flow?: FlowStart;
}

/** What the `y` JSON view shows: read again from Azure as it serves it, or a value in hand. */
export type JsonTarget =
  | { kind: 'account'; account: BatchAccountSummary }
  | { kind: 'pool'; pool: PoolSummary }
  | { kind: 'node'; account: BatchAccountSummary; poolId: string; nodeId: string }
  | { kind: 'value'; title: string; value: unknown; note?: string };

/**
 * A panel over the current screen. The screen stays mounted beneath it (a live node poll and its
 * transitions log go on), and Esc closes the panel before it leaves the screen.
 */
export type Panel =
  | { kind: 'json'; target: JsonTarget }
  /** The screen's own detail of one row (a node's errors, an identity's uses). */
  | { kind: 'detail'; key: string; label: string };

export function jsonTitle(target: JsonTarget): string {
  switch (target.kind) {
    case 'account':
      return target.account.name;
    case 'pool':
      return target.pool.name;
    case 'node':
      return target.nodeId;
    case 'value':
      return target.title;
  }
}
