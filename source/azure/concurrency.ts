/**
 * Fan-out across accounts with at most `limit` calls in flight: ARM throttles per principal and
 * per subscription, and a subscription with 40 accounts must not fire 40 listings at once.
 * One failing account (a 403 on one resource group) must not hide the others, so results are
 * settled per item, in input order.
 */
import type { DomainError } from '../domain/errors.js';
import { isAbortError, toDomainError } from './errors.js';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export async function mapSettled<I, O>(
  items: readonly I[],
  limit: number,
  fn: (item: I, index: number) => Promise<O>,
  signal?: AbortSignal,
): Promise<Array<Settled<O>>> {
  const results = new Array<Settled<O>>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const index = nextIndex++;
      if (index >= items.length) return;
      try {
        results[index] = { ok: true, value: await fn(items[index] as I, index) };
      } catch (error) {
        // An abort ends the whole fan-out: rethrown below, after the workers settle.
        if (isAbortError(error) && signal?.aborted) return;
        results[index] = { ok: false, error: toDomainError(error) };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () =>
    worker(),
  );
  await Promise.all(workers);
  if (signal?.aborted) {
    const e = new Error('The operation was aborted');
    e.name = 'AbortError';
    throw e;
  }
  return results;
}
