/**
 * Random access to the lines of a large text blob without holding it: the viewer opens a 30 MB
 * agent-debug.log at once, scrolls anywhere, jumps to the end and searches, while memory stays
 * at a few megabytes whatever the size.
 *
 * How: the blob is scanned once, range by range, and only the byte offset of every
 * `checkpointEvery`-th line start is kept. Reading lines n…n+k then fetches the bytes between the
 * checkpoints around them and splits them again. Decoded blocks are cached up to a byte budget.
 * Lines longer than `maxLineBytes` are cut into pieces (at a UTF-8 character boundary) so that no
 * read, however unlucky, is unbounded.
 *
 * No I/O here: the byte ranges come from an injected reader (azure/storage.ts reads them from
 * Blob Storage with `x-ms-range`; tests read them from a buffer).
 */
import type { LineSource } from './search.js';

export type RangeReader = (
  offset: number,
  count: number,
  signal?: AbortSignal,
) => Promise<Uint8Array>;

export interface LineIndexOptions {
  /** Bytes per read while indexing (default 1 MiB). */
  chunkBytes?: number;
  /** A checkpoint every this many lines (default 256). */
  checkpointEvery?: number;
  /** Longer lines are shown in pieces of this size (default 16 KiB). */
  maxLineBytes?: number;
  /** Decoded lines kept for re-reading, in characters (default 4 Mi). */
  cacheBytes?: number;
}

const NEWLINE = 0x0a;
const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/**
 * Walks `bytes` (the file's bytes from absolute offset `base`) from a line that started at
 * `lineStart`, calling `onBreak(next)` with the absolute offset where each following line starts.
 * Returns the start of the line still open at the end. Indexing and reading use this one walk,
 * so they always agree on where lines are.
 */
function walk(
  bytes: Uint8Array,
  base: number,
  lineStart: number,
  maxLineBytes: number,
  onBreak: (next: number, end: number) => void,
): number {
  let start = lineStart;
  for (let i = 0; i < bytes.length; i++) {
    const at = base + i;
    const byte = bytes[i] as number;
    if (byte === NEWLINE) {
      onBreak(at + 1, at);
      start = at + 1;
    } else if (at - start >= maxLineBytes && !isContinuation(byte)) {
      // A forced break before this character: it starts the next piece.
      onBreak(at, at);
      start = at;
    }
  }
  return start;
}

export class LineIndex implements LineSource {
  private readonly chunkBytes: number;
  private readonly every: number;
  private readonly maxLineBytes: number;
  private readonly cacheBytes: number;
  /** Byte offset of line k·every, for k = 0, 1, … */
  private readonly checkpoints: number[] = [0];
  private known = 0;
  private scanned = 0;
  private open = 0;
  private done = false;
  private indexing: Promise<void> = Promise.resolve();
  private readonly cache = new Map<number, { lines: string[]; bytes: number }>();
  private cachedBytes = 0;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly read: RangeReader,
    /** The blob's size (Content-Length from its properties). */
    readonly size: number,
    options: LineIndexOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? 1 << 20;
    this.every = options.checkpointEvery ?? 256;
    this.maxLineBytes = options.maxLineBytes ?? 16 << 10;
    this.cacheBytes = options.cacheBytes ?? 4 << 20;
    if (size === 0) this.done = true;
  }

  /** Lines known so far; the whole file's once `complete`. */
  get lineCount(): number {
    return this.known;
  }

  get complete(): boolean {
    return this.done;
  }

  /** How far indexing has read, for a progress bar. */
  get bytesIndexed(): number {
    return this.scanned;
  }

  /** Checkpoints kept: the index's own memory is this many numbers. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** Indexes until at least `lines` lines are known, or the end. Calls are serialised. */
  ensure(lines: number, signal?: AbortSignal): Promise<void> {
    const run = this.indexing.then(async () => {
      while (!this.done && this.known < lines) await this.step(signal);
    });
    // A failed or aborted read must not wedge the next caller.
    this.indexing = run.catch(() => undefined);
    return run;
  }

  /** Indexes the whole blob, reporting bytes read after each range. */
  async indexAll(onProgress?: (bytes: number, size: number) => void, signal?: AbortSignal) {
    while (!this.done) {
      await this.ensure(this.known + 1, signal);
      onProgress?.(this.scanned, this.size);
    }
  }

  private async step(signal?: AbortSignal): Promise<void> {
    const count = Math.min(this.chunkBytes, this.size - this.scanned);
    const bytes = await this.read(this.scanned, count, signal);
    if (bytes.length === 0)
      throw new Error(`The blob ended at byte ${this.scanned} of ${this.size}.`);
    this.open = walk(bytes, this.scanned, this.open, this.maxLineBytes, (next) => {
      this.known += 1;
      if (this.known % this.every === 0) this.checkpoints.push(next);
    });
    this.scanned += bytes.length;
    if (this.scanned >= this.size) {
      // A last line without a newline is a line too.
      if (this.open < this.size) this.known += 1;
      this.done = true;
    }
  }

  /** Lines [start, start+count), indexing further first if they are not known yet. */
  async lines(start: number, count: number, signal?: AbortSignal): Promise<string[]> {
    if (count <= 0) return [];
    await this.ensure(start + count, signal);
    const end = Math.min(start + count, this.known);
    if (start >= end) return [];
    const first = Math.floor(start / this.every);
    const last = Math.floor((end - 1) / this.every);
    const blocks: string[][] = [];
    for (let k = first; k <= last;) {
      const hit = this.cache.get(k);
      if (hit) {
        // Re-inserted: Map order is the LRU order.
        this.cache.delete(k);
        this.cache.set(k, hit);
        blocks.push(hit.lines);
        k++;
        continue;
      }
      let upTo = k;
      while (upTo < last && !this.cache.has(upTo + 1)) upTo++;
      blocks.push(...(await this.readBlocks(k, upTo, signal)));
      k = upTo + 1;
    }
    const offset = start - first * this.every;
    return blocks.flat().slice(offset, offset + (end - start));
  }

  /** Reads checkpoint blocks k…upTo in one range and caches them. */
  private async readBlocks(k: number, upTo: number, signal?: AbortSignal): Promise<string[][]> {
    const from = this.checkpoints[k] as number;
    const to = this.checkpoints[upTo + 1] ?? (this.done ? this.size : this.open);
    const bytes = to > from ? await this.read(from, to - from, signal) : new Uint8Array(0);
    const blocks: string[][] = [];
    let block: string[] = [];
    let lineStart = from;
    const take = (end: number, next: number) => {
      let text = this.decoder.decode(bytes.subarray(lineStart - from, end - from));
      if (text.endsWith('\r')) text = text.slice(0, -1);
      block.push(text);
      lineStart = next;
      if (block.length === this.every) {
        blocks.push(block);
        block = [];
      }
    };
    const open = walk(bytes, from, from, this.maxLineBytes, (next, end) => take(end, next));
    if (open < to) take(to, to);
    if (block.length) blocks.push(block);
    blocks.forEach((lines, i) => this.remember(k + i, lines));
    return blocks;
  }

  private remember(k: number, lines: string[]): void {
    // The last block grows while indexing goes on: only a full (or final) block is kept.
    if (lines.length < this.every && !this.done) return;
    const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
    this.cache.set(k, { lines, bytes });
    this.cachedBytes += bytes;
    for (const [key, value] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes || key === k) break;
      this.cache.delete(key);
      this.cachedBytes -= value.bytes;
    }
  }
}

/** A RangeReader over bytes in memory (tests, and logs small enough to read whole). */
export function bufferReader(bytes: Uint8Array): RangeReader {
  return (offset, count) => Promise.resolve(bytes.subarray(offset, offset + count));
}
