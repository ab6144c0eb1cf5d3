/**
 * A 30 MB agent-debug.log in the sandbox's blob storage, opened the way the log viewer will:
 * indexed range by range, read at the top, the middle and the end, searched, and scanned for
 * signatures — with the live heap measured throughout. The figures are printed; the assertions
 * are that memory stays far below the blob's size (bounded), not how fast it goes.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StorageGateway } from '../../source/azure/storage.js';
import { searchSource, parseQuery } from '../../source/domain/logs/search.js';
import { SignatureScan } from '../../source/domain/logs/signatures.js';
import { startStorageFixture, type StorageFixture } from './storage-fixture.js';

const TARGET_BYTES = 30 * 1024 * 1024;
const BLOB = 'pool/node/big/agent-debug.log';
const JOIN_AT = 100_000;

/** Line i of the generated log: deterministic, so any window can be checked. */
function line(i: number, last: number): string {
  if (i === JOIN_AT)
    return `${stamp(i)} INFO  pool not fully joined yet, health=Status.TvmJoinPoolInProgress`;
  if (i === last - 10)
    return `${stamp(i)} WARN  download failed: HTTP 403 AuthorizationPermissionMismatch This request is not authorized to perform this operation using this permission.`;
  return `${stamp(i)} INFO  heartbeat ${i} queue=${i % 7} running=${i % 3} ${'.'.repeat(i % 40)}`;
}
const stamp = (i: number) => new Date(Date.UTC(2026, 10, 23) + i * 100).toISOString();

let fx: StorageFixture;
let storage: StorageGateway;
let lineCount = 0;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/**
 * Live memory after a full collection. V8 frees ArrayBuffer backing stores (Node's Buffers) from
 * a concurrent sweeper after the collection, so a few turns of the event loop are let by first;
 * read at once, `arrayBuffers` still counts buffers that are already garbage.
 */
async function live(): Promise<{ heap: number; buffers: number }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

beforeAll(async () => {
  fx = await startStorageFixture();
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Contributor');
  await fx.sandbox.ensureContainer('stbatchlogs', 'big-logs');
  storage = new StorageGateway(fx.operator.blobService(fx.storage('stbatchlogs').blobEndpoint));
  // Count the lines first (the signature near the end depends on the last line's number).
  let bytes = 0;
  while (bytes < TARGET_BYTES) bytes += Buffer.byteLength(line(lineCount++, -1)) + 1;
  const blob = fx.operator
    .blobService(fx.storage('stbatchlogs').blobEndpoint)
    .getContainerClient('big-logs')
    .getBlockBlobClient(BLOB);
  const ids: string[] = [];
  let block: string[] = [];
  let size = 0;
  const stage = async () => {
    const id = Buffer.from(String(ids.length).padStart(6, '0')).toString('base64');
    const body = Buffer.from(`${block.join('\n')}\n`);
    await blob.stageBlock(id, body, body.length);
    ids.push(id);
    block = [];
    size = 0;
  };
  for (let i = 0; i < lineCount; i++) {
    const text = line(i, lineCount);
    block.push(text);
    size += text.length + 1;
    if (size >= 4 * 1024 * 1024) await stage();
  }
  if (block.length) await stage();
  await blob.commitBlockList(ids);
}, 180_000);
afterAll(() => fx?.embedded.stop());

it('opens, reads anywhere, searches and scans a 30 MB blob with bounded memory', async () => {
  const baseline = await live();
  const peak = { heap: 0, buffers: 0 };
  const sample = async () => {
    const now = await live();
    peak.heap = Math.max(peak.heap, now.heap - baseline.heap);
    peak.buffers = Math.max(peak.buffers, now.buffers - baseline.buffers);
  };

  const index = await storage.openLines('big-logs', BLOB);
  expect(index.size).toBeGreaterThanOrEqual(TARGET_BYTES);
  // The first screen needs the first range only.
  expect(await index.lines(0, 40)).toEqual(
    Array.from({ length: 40 }, (_, i) => line(i, lineCount)),
  );
  expect(index.complete).toBe(false);
  await sample();

  let ranges = 1;
  while (!index.complete) {
    await index.ensure(index.lineCount + 1);
    ranges++;
    await sample();
  }
  expect(index.lineCount).toBe(lineCount);

  for (const at of [0, Math.floor(lineCount / 2), lineCount - 40]) {
    expect(await index.lines(at, 40)).toEqual(
      Array.from({ length: 40 }, (_, i) => line(at + i, lineCount)),
    );
    await sample();
  }

  const hit = await searchSource(
    index,
    parseQuery('AuthorizationPermissionMismatch'),
    JOIN_AT,
    'forward',
  );
  expect(hit).toEqual({ line: lineCount - 10, wrapped: false });
  const back = await searchSource(index, parseQuery('TvmJoinPoolInProgress'), 0, 'backward');
  expect(back).toEqual({ line: JOIN_AT, wrapped: true });
  await sample();

  const scan = new SignatureScan();
  for (let at = 0; at < index.lineCount; at += 4096) {
    (await index.lines(at, 4096)).forEach((l, i) => scan.add(l, at + i));
    if (at % (4096 * 8) === 0) await sample();
  }
  expect(scan.results().map((g) => [g.match.signature, g.match.line])).toEqual([
    ['tvm-join-in-progress', JOIN_AT],
    ['permission-mismatch', lineCount - 10],
  ]);
  expect(scan.explanation()?.match.rule).toBe('MI003');
  await sample();
  const end = await live();
  const retained = end.heap + end.buffers - baseline.heap - baseline.buffers;

  console.log(
    `30 MB blob (${mb(index.size)}, ${lineCount} lines) read in ${ranges} ranges of 1 MiB; ` +
      `${index.checkpointCount} checkpoints kept; growth over the run: V8 heap peak ${mb(peak.heap)}, ` +
      `Buffers peak ${mb(peak.buffers)}, retained at the end ${mb(retained)}`,
  );
  // Bounded: a fraction of the blob at any moment, and only the index (and its cache) kept after.
  expect(peak.heap).toBeLessThan(index.size / 4);
  expect(peak.buffers).toBeLessThan(index.size / 4);
  expect(retained).toBeLessThan(8 * 1024 * 1024);
}, 180_000);
