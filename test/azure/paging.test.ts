import { RestError, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { mapSettled } from '../../source/azure/concurrency.js';
import { collectPages, type Page } from '../../source/azure/paging.js';

const pages: Record<string, Page<number>> = {
  start: { items: [1, 2, 3], next: 'p2' },
  p2: { items: [4, 5, 6], next: 'p3' },
  p3: { items: [7] },
};
const retry = { operation: 'list', idempotent: true, sleep: () => Promise.resolve() };

describe('collectPages', () => {
  it.each<[number | undefined, number[], boolean, number]>([
    [undefined, [1, 2, 3, 4, 5, 6, 7], false, 3],
    [3, [1, 2, 3], true, 1],
    [4, [1, 2, 3, 4], true, 2],
    [7, [1, 2, 3, 4, 5, 6, 7], false, 3],
    [100, [1, 2, 3, 4, 5, 6, 7], false, 3],
  ])('limit %s', async (limit, items, truncated, fetched) => {
    const result = await collectPages(
      (t) => Promise.resolve(pages[t ?? 'start'] as Page<number>),
      retry,
      limit === undefined ? {} : { limit },
    );
    expect(result).toEqual({ items, truncated, pages: fetched });
  });

  it('retries the failing page from its token, not from the start', async () => {
    const asked: Array<string | undefined> = [];
    let failed = false;
    const result = await collectPages((t) => {
      asked.push(t);
      if (t === 'p2' && !failed) {
        failed = true;
        const request = createPipelineRequest({ url: 'https://x' });
        return Promise.reject(
          new RestError('busy', {
            statusCode: 503,
            request,
            response: { request, status: 503, headers: createHttpHeaders() },
          }),
        );
      }
      return Promise.resolve(pages[t ?? 'start'] as Page<number>);
    }, retry);
    expect(result.items).toHaveLength(7);
    expect(asked).toEqual([undefined, 'p2', 'p2', 'p3']);
  });

  it('stops on a nextLink it has already followed', async () => {
    const result = await collectPages(
      (t) => Promise.resolve({ items: [t ?? 'first'], next: 'loop' }),
      retry,
    );
    expect(result.items).toEqual(['first', 'loop']);
  });
});

describe('mapSettled', () => {
  it('keeps at most `limit` in flight, settles each item, keeps order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapSettled([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      inFlight--;
      if (n === 5) throw new RestError('nope', { statusCode: 403, code: 'AuthorizationFailed' });
      return n * 10;
    });
    expect(peak).toBe(4);
    expect(results.map((r) => (r.ok ? r.value : r.error.kind))).toEqual([
      10,
      20,
      30,
      40,
      'Forbidden',
      60,
      70,
      80,
      90,
      100,
    ]);
  });

  it('rejects with AbortError when aborted', async () => {
    const controller = new AbortController();
    const promise = mapSettled(
      [1, 2, 3],
      1,
      async () => {
        controller.abort();
        return Promise.resolve(1);
      },
      controller.signal,
    );
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});
