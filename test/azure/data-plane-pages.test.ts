/**
 * The node listing read as it arrives: ListPageReader on Batch-shaped pages cut into pieces
 * anywhere, and BatchDataGateway.eachNode over a transport that streams pages (and breaks one
 * part-way), with the real ms-rest-js client in between.
 */
import { Readable } from 'node:stream';
import { BatchServiceClient } from '@azure/batch';
import { HttpHeaders, type WebResourceLike } from '@azure/ms-rest-js';
import { describe, expect, it } from 'vitest';
import { ListPageReader, PageFormatError } from '../../source/azure/batch-data-pages.js';
import { BatchDataGateway, isoMs, toNodeRow } from '../../source/azure/batch-data.js';
import type { RetryEvent } from '../../source/azure/retry.js';
import { BATCH_CLIENT_RETRY_OPTIONS } from '../../source/azure/sdk-options.js';
import type { NodeRow } from '../../source/domain/model.js';

const wireNode = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `tvmps_${i.toString(16).padStart(64, '0')}_d`,
  state: 'idle',
  schedulingState: 'enabled',
  stateTransitionTime: '2026-11-23T16:53:10.4140000Z',
  allocationTime: '2026-11-23T16:50:40.4140000Z',
  ipAddress: `10.0.${i >> 8}.${i & 255}`,
  isDedicated: true,
  ...extra,
});

/** A page as Batch writes it: metadata, the items, and (unless last) the next link. */
function pageText(items: unknown[], nextLink?: string): string {
  return JSON.stringify({
    'odata.metadata': 'https://acct.westeurope.batch.azure.com/$metadata#nodes',
    value: items,
    ...(nextLink === undefined ? {} : { 'odata.nextLink': nextLink }),
  });
}

/** Feeds `text` to a reader in pieces of `size` (or at the given cut points). */
function read(text: string, cut: number | number[], batchChars?: number) {
  const items: unknown[] = [];
  const batches: number[] = [];
  const reader = new ListPageReader((batch) => {
    batches.push(JSON.stringify(batch).length);
    items.push(...batch);
  }, batchChars);
  const points = typeof cut === 'number' ? [] : [...cut, text.length];
  if (typeof cut === 'number')
    for (let at = cut; at < text.length + cut; at += cut) points.push(at);
  let from = 0;
  for (const to of points) {
    reader.write(text.slice(from, Math.min(to, text.length)));
    from = Math.min(to, text.length);
  }
  return { items, batches, ...reader.end() };
}

describe('ListPageReader', () => {
  const awkward = [
    wireNode(1),
    // Quotes, backslashes, brackets, braces and commas inside strings; nested arrays of objects.
    wireNode(2, {
      state: 'unusable',
      errors: [
        {
          code: 'ApplicationPackageError',
          message: 'a "quoted" path C:\\batch\\ [x], {y}: z\\',
          errorDetails: [{ name: 'Message', value: 'ends in a backslash \\\\' }],
        },
      ],
    }),
    wireNode(3, { ipAddress: 'ünïcødé ✓ \u2028 \n\t' }),
    [1, [2, 3], { four: [5] }],
    'a plain string item, with a comma',
    null,
    42,
  ];
  const link = 'https://acct.westeurope.batch.azure.com/pools/p/nodes?$skiptoken=a%2Fb&x="q"';
  const text = pageText(awkward, link);

  it('reads a page written whole', () => {
    expect(read(text, text.length)).toMatchObject({ items: awkward, nextLink: link });
  });

  it('reads the same whatever the pieces: cut at every position', () => {
    for (let at = 1; at < text.length; at++) {
      const r = read(text, [at]);
      expect(r.items).toEqual(awkward);
      expect(r.nextLink).toBe(link);
    }
  });

  it('reads a piece at a time down to one character', () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const r = read(text, size);
      expect(r.items).toEqual(awkward);
      expect(r.nextLink).toBe(link);
    }
  });

  it('parses in short slices: never the whole page at once, items never split', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => wireNode(i));
    const big = pageText(nodes, link);
    expect(big.length).toBeGreaterThan(200_000);
    const r = read(big, 16 * 1024, 16 * 1024);
    expect(r.items).toEqual(nodes);
    expect(r.batches.length).toBeGreaterThan(10);
    const item = JSON.stringify(nodes[0]).length;
    expect(Math.max(...r.batches)).toBeLessThan(16 * 1024 + 2 * item);
    // Written whole, it is still cut into batches.
    const whole = read(big, big.length, 16 * 1024);
    expect(whole.items).toEqual(nodes);
    expect(Math.max(...whole.batches)).toBeLessThan(16 * 1024 + 2 * item);
  });

  it('reads the last page (no next link), an empty page, and members in any order', () => {
    expect(read(pageText([wireNode(1)]), 5)).toEqual({
      items: [wireNode(1)],
      batches: [expect.any(Number)],
    });
    expect(read(pageText([]), 3)).toEqual({ items: [], batches: [] });
    expect(read('{"value":null}', 2).items).toEqual([]);
    expect(read(' \n{ "odata.nextLink" : "n" , "value" : [ 1 , 2 ] }\n ', 4)).toMatchObject({
      items: [1, 2],
      nextLink: 'n',
    });
    expect(read('{"other":{"value":[9]},"value":[1]}', 5).items).toEqual([1]);
  });

  it.each<[string, string, boolean]>([
    ['a page cut short', text.slice(0, 500), true],
    ['a page cut inside a string', '{"value":[{"id":"tvm', true],
    ['not an object', '[1,2]', false],
    ['garbage before', 'x{"value":[]}', false],
    ['text after', '{"value":[]} x', false],
    ['an invalid item', '{"value":[{"id":tvm}]}', false],
    ['unbalanced', '{"value":[1]]}', false],
  ])('refuses %s', (_name, bad, truncated) => {
    let error: unknown;
    try {
      read(bad, 3);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PageFormatError);
    expect((error as PageFormatError).truncated).toBe(truncated);
  });
});

/**
 * A Batch client whose transport streams each canned page in small pieces (as a socket does);
 * `breakAt` makes the first attempt at one page fail part-way through its body.
 */
function streamingClient(
  pages: string[],
  breakAt?: { page: number; after: number },
): { client: BatchServiceClient; requests: string[] } {
  const requests: string[] = [];
  let broken = false;
  const credentials = { signRequest: (r: WebResourceLike) => Promise.resolve(r) };
  const client = new BatchServiceClient(credentials, 'https://acct.westeurope.batch.azure.com', {
    ...BATCH_CLIENT_RETRY_OPTIONS,
    httpClient: {
      sendRequest: (request: WebResourceLike) => {
        requests.push(request.url);
        const index = Number(/skip=(\d+)/.exec(request.url)?.[1] ?? 0);
        const text = pages[index] ?? '';
        const cut = breakAt?.page === index && !broken ? breakAt.after : undefined;
        if (cut !== undefined) broken = true;
        const body = Readable.from(
          (function* () {
            const end = cut ?? text.length;
            for (let at = 0; at < end; at += 4096)
              yield Buffer.from(text.slice(at, Math.min(end, at + 4096)));
            if (cut !== undefined) {
              const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
              throw error;
            }
          })(),
          { objectMode: false },
        );
        return Promise.resolve({
          request,
          status: 200,
          headers: new HttpHeaders({ 'content-type': 'application/json;odata=minimalmetadata' }),
          readableStreamBody: body,
        });
      },
    },
  });
  return { client, requests };
}

const base = 'https://acct.westeurope.batch.azure.com/pools/p/nodes?api-version=2022-10-01.16.0';
const threePages = (perPage: number) =>
  [0, 1, 2].map((p) =>
    pageText(
      Array.from({ length: perPage }, (_, i) => wireNode(p * perPage + i)),
      p < 2 ? `${base}&skip=${p + 1}` : undefined,
    ),
  );

describe('BatchDataGateway.eachNode', () => {
  it('hands every node over a few at a time, in order, and keeps none', async () => {
    const { client, requests } = streamingClient(threePages(300));
    const batches: NodeRow[][] = [];
    const result = await new BatchDataGateway(client).eachNode('p', (rows) => batches.push(rows));
    expect(result).toEqual({ count: 900, pages: 3 });
    expect(requests).toHaveLength(3);
    const ids = batches.flat().map((n) => n.id);
    expect(ids).toEqual(Array.from({ length: 900 }, (_, i) => wireNode(i).id));
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.flat()[0]).toEqual(toNodeRow(wireNode(0)));
  });

  it('hands back the rows the caller holds for nodes that did not change', async () => {
    const { client } = streamingClient(threePages(10));
    const gw = new BatchDataGateway(client);
    const first: NodeRow[] = [];
    await gw.eachNode('p', (rows) => first.push(...rows));
    const held = new Map(first.map((n) => [n.id, n]));
    // One node's row is out of date: it gets a new row; the others come back as they are.
    const stale = { ...first[4], state: 'starting' } as NodeRow;
    held.set(stale.id, stale);
    const second: NodeRow[] = [];
    await gw.eachNode('p', (rows) => second.push(...rows), {}, { held: (id) => held.get(id) });
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual([stale.id]);
    expect(second[4]).not.toBe(stale);
    expect(second[4]).toEqual(first[4]);
  });

  it('a page that breaks part-way is retried, and resumes after the nodes already handed over', async () => {
    const pages = threePages(300);
    const { client, requests } = streamingClient(pages, { page: 1, after: 30_000 });
    const events: RetryEvent[] = [];
    const gw = new BatchDataGateway(client, {
      onRetry: (e) => events.push(e),
      retryPolicy: { baseDelayMs: 1 },
    });
    const ids: string[] = [];
    const result = await gw.eachNode('p', (rows) => ids.push(...rows.map((n) => n.id)));
    expect(events).toMatchObject([{ reason: 'network', code: 'ECONNRESET' }]);
    expect(requests).toHaveLength(4);
    expect(ids).toEqual(Array.from({ length: 900 }, (_, i) => wireNode(i).id));
    expect(result.count).toBe(900);
  });

  it('listNodes, on the same reading, still returns each page whole after a retry', async () => {
    const { client } = streamingClient(threePages(300), { page: 2, after: 10_000 });
    const gw = new BatchDataGateway(client, { retryPolicy: { baseDelayMs: 1 } });
    const result = await gw.listNodes('p');
    expect(result.items.map((n) => n.id)).toEqual(
      Array.from({ length: 900 }, (_, i) => wireNode(i).id),
    );
  });
});

describe('toNodeRow', () => {
  it('shares the state strings and one frozen empty error list', () => {
    const a = toNodeRow(wireNode(1, { state: 'IDLE' }));
    const b = toNodeRow(wireNode(2));
    expect(a.state).toBe('idle');
    expect(a.errors).toBe(b.errors);
    expect(Object.isFrozen(a.errors)).toBe(true);
    expect(toNodeRow(wireNode(3, { state: 'sideways' })).state).toBe('unknown');
  });
});

describe('isoMs', () => {
  it('reads times as new Date() does, fast for the shape Batch writes', () => {
    const times = [
      '2026-11-23T16:53:10.4140000Z',
      '2026-11-23T16:53:10.9999999Z',
      '2026-11-23T16:53:10Z',
      '2026-11-23T16:53:10.4Z',
      '2024-02-29T23:59:59.999Z',
      '2023-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-31T00:00:00Z',
      '2026-11-23T24:00:00Z',
      '0050-01-01T00:00:00Z',
      '2026-11-23T16:53:10.Z',
      '2026-11-23T16:53:10+01:00',
      '2026-11-23',
      'yesterday',
      '2026-1a-23T16:53:10Z',
    ];
    let seed = 3;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 200; i++)
      times.push(new Date(random(4_000_000_000) * 1000 + random(1000)).toISOString());
    for (const t of times) expect([t, isoMs(t)]).toEqual([t, Date.parse(t)]);
  });
});
