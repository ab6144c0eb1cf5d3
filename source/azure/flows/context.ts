/**
 * What a run shares between its steps: the gateways, the ETags of the pools it wrote, the role
 * assignments it made (for the propagation wait), the clock and the waits.
 */
import type { PoolSize, PoolTarget } from '../../domain/plans/index.js';
import type { CallOptions } from '../call.js';
import type { Gateways } from '../index.js';

export interface ExecContext {
  gateways: Gateways;
  call: CallOptions;
  /** Pool ETags by lower-cased id: the plan's, then the one our last write returned. */
  etags: Map<string, string>;
  /** When the role assignments this run made (or found) were created. */
  grants: Date[];
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollMs: number;
  timeoutMs: number;
  propagationMs: number;
  waiting: (message: string) => void;
  /** Set while a pool sits at 0 nodes between the two halves of a resize. */
  half?: PoolSize;
}

export interface Executed {
  status: 'applied' | 'already-held';
  detail: string;
  undo?: string;
}

/** The target with the ETag to send, recorded on first use. */
export function withEtag(ctx: ExecContext, pool: PoolTarget): PoolTarget {
  const key = pool.id.toLowerCase();
  const etag = ctx.etags.get(key) ?? pool.etag;
  return etag ? { ...pool, etag } : pool;
}

export function rememberEtag(ctx: ExecContext, pool: PoolTarget, etag: string | undefined): void {
  if (etag) ctx.etags.set(pool.id.toLowerCase(), etag);
}
