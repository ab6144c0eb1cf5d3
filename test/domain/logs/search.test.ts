import { describe, expect, it } from 'vitest';
import {
  arraySource,
  findInLine,
  nextMatch,
  parseQuery,
  searchSource,
  type Direction,
} from '../../../source/domain/logs/search.js';

describe('findInLine', () => {
  it('finds every occurrence, case-insensitively for a lower-case query', () => {
    expect(findInLine('Error error ERROR', parseQuery('error'))).toEqual([
      [0, 5],
      [6, 11],
      [12, 17],
    ]);
  });

  it('matches exactly when the query has a capital (smart case)', () => {
    expect(findInLine('Error error ERROR', parseQuery('ERROR'))).toEqual([[12, 17]]);
  });

  it('treats regex characters literally', () => {
    expect(findInLine('health=Status.TvmJoinPoolInProgress (x)', parseQuery('status.tvm'))).toEqual(
      [[7, 17]],
    );
    expect(findInLine('a.b', parseQuery('a*b'))).toEqual([]);
    expect(findInLine('anything', parseQuery(''))).toEqual([]);
  });
});

describe('nextMatch (n / N)', () => {
  const lines = ['start', 'hit one', 'nothing', 'hit two', 'end'];
  const q = parseQuery('hit');

  it('moves forward from the current line and wraps at the end', () => {
    expect(nextMatch(lines, q, 0)).toEqual({ line: 1, wrapped: false });
    expect(nextMatch(lines, q, 1)).toEqual({ line: 3, wrapped: false });
    expect(nextMatch(lines, q, 3)).toEqual({ line: 1, wrapped: true });
  });

  it('moves backward and wraps at the top', () => {
    expect(nextMatch(lines, q, 3, 'backward')).toEqual({ line: 1, wrapped: false });
    expect(nextMatch(lines, q, 1, 'backward')).toEqual({ line: 3, wrapped: true });
  });

  it('comes back to the only match, and finds nothing when there is nothing', () => {
    expect(nextMatch(['x', 'only hit', 'y'], q, 1)).toEqual({ line: 1, wrapped: true });
    expect(nextMatch(lines, parseQuery('absent'), 0)).toBeUndefined();
    expect(nextMatch([], q, 0)).toBeUndefined();
  });
});

describe('searchSource: the same answers, read window by window', () => {
  // A pseudo-random file with matches scattered, compared with nextMatch over the whole array.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = Array.from({ length: 997 }, (_, i) =>
    random() < 0.02 ? `line ${i} MATCH` : `line ${i}`,
  );
  const query = parseQuery('match');

  it.each(['forward', 'backward'] as Direction[])(
    '%s, from every line, with small windows',
    async (direction) => {
      const source = arraySource(lines);
      for (let from = 0; from < lines.length; from += 13) {
        const expected = nextMatch(lines, query, from, direction);
        expect(await searchSource(source, query, from, direction, { window: 17 })).toEqual(
          expected,
        );
      }
    },
  );

  it('reads only windows of the asked size', async () => {
    const asked: number[] = [];
    const source = {
      lineCount: lines.length,
      lines: (start: number, count: number) => {
        asked.push(count);
        return Promise.resolve(lines.slice(start, start + count));
      },
    };
    await searchSource(source, parseQuery('absent'), 0, 'forward', { window: 50 });
    expect(Math.max(...asked)).toBeLessThanOrEqual(50);
    expect(asked.reduce((a, b) => a + b, 0)).toBe(lines.length);
  });
});
