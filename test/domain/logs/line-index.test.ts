import { describe, expect, it } from 'vitest';
import {
  LineIndex,
  bufferReader,
  type RangeReader,
} from '../../../source/domain/logs/line-index.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** What a plain split gives: the reference the index must agree with. */
function expectedLines(text: string): string[] {
  if (!text) return [];
  const parts = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) parts.pop();
  return parts;
}

async function allLines(index: LineIndex, window = 7): Promise<string[]> {
  await index.indexAll();
  const out: string[] = [];
  for (let at = 0; at < index.lineCount; at += window) out.push(...(await index.lines(at, window)));
  return out;
}

describe('LineIndex', () => {
  const texts = {
    'ends with a newline': 'alpha\nbeta\n\ngamma delta\n',
    'no final newline': 'one\ntwo\nthree',
    CRLF: 'a\r\nb\r\nc\r\n',
    'one line': 'just this',
    'empty lines only': '\n\n\n',
    'multi-byte text': 'héllo wörld\n✓ passed\n✗ failed — really\n',
    'many lines': Array.from({ length: 1000 }, (_, i) => `${i} ${'x'.repeat(i % 37)}`).join('\n'),
  };

  it.each(Object.entries(texts))(
    '%s: every line, whatever the chunk and checkpoint sizes',
    async (_name, text) => {
      for (const chunkBytes of [1, 3, 64, 1 << 20]) {
        for (const checkpointEvery of [1, 2, 5, 256]) {
          const index = new LineIndex(bufferReader(encode(text)), encode(text).length, {
            chunkBytes,
            checkpointEvery,
          });
          expect(await allLines(index)).toEqual(expectedLines(text));
          expect(index.complete).toBe(true);
        }
      }
    },
  );

  it('an empty blob has no lines', async () => {
    const index = new LineIndex(bufferReader(new Uint8Array(0)), 0);
    expect(index.complete).toBe(true);
    expect(await index.lines(0, 10)).toEqual([]);
  });

  it('cuts over-long lines into pieces at a character boundary', async () => {
    const long = `${'é'.repeat(30)}\nshort\n`; // 60 bytes of two-byte characters
    const index = new LineIndex(bufferReader(encode(long)), encode(long).length, {
      maxLineBytes: 11,
      chunkBytes: 5,
    });
    const lines = await allLines(index);
    expect(lines.join('')).toBe(`${'é'.repeat(30)}short`);
    expect(lines.at(-1)).toBe('short');
    for (const piece of lines.slice(0, -1)) {
      expect(encode(piece).length).toBeLessThanOrEqual(12);
      expect(piece).not.toContain('\ufffd');
    }
  });

  it('reads ahead only as far as asked, and a window read early stays right as indexing goes on', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const bytes = encode(text);
    const reads: Array<[number, number]> = [];
    const reader: RangeReader = (offset, count) => {
      reads.push([offset, count]);
      return Promise.resolve(bytes.subarray(offset, offset + count));
    };
    const index = new LineIndex(reader, bytes.length, { chunkBytes: 64, checkpointEvery: 8 });
    expect(await index.lines(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(index.complete).toBe(false);
    expect(index.bytesIndexed).toBeLessThan(bytes.length);
    // The partly indexed last block must not be cached half-full.
    const early = await index.lines(0, index.lineCount);
    await index.indexAll();
    expect(await index.lines(0, early.length + 20)).toEqual(
      expectedLines(text).slice(0, early.length + 20),
    );
    expect(await index.lines(95, 10)).toEqual([
      'line 95',
      'line 96',
      'line 97',
      'line 98',
      'line 99',
    ]);
    expect(index.checkpointCount).toBe(Math.floor(100 / 8) + 1);
  });

  it('serves re-reads from its cache within the budget', async () => {
    const text = Array.from({ length: 64 }, (_, i) => `row ${i}`).join('\n');
    const bytes = encode(text);
    let calls = 0;
    const index = new LineIndex(
      (o, c) => {
        calls++;
        return Promise.resolve(bytes.subarray(o, o + c));
      },
      bytes.length,
      { checkpointEvery: 8 },
    );
    await index.indexAll();
    const before = calls;
    await index.lines(10, 5);
    await index.lines(10, 5);
    await index.lines(12, 3);
    expect(calls - before).toBe(1);
  });

  it('reports a blob that ends early instead of looping', async () => {
    const index = new LineIndex(() => Promise.resolve(new Uint8Array(0)), 100);
    await expect(index.indexAll()).rejects.toThrow(/ended at byte 0 of 100/);
  });
});
