import { describe, expect, it } from 'vitest';
import { wrapText } from '../../source/ui/components/text-rows.js';
import { clampScroll, scrollReducer } from '../../source/ui/components/scroll.js';
import {
  describeCounts,
  fit,
  formatCount,
  formatDuration,
  nameOf,
} from '../../source/ui/format.js';
import { countNodeStates } from '../../source/domain/nodes.js';
import { forbidden, network } from '../../source/domain/errors.js';
import { describeProblem } from '../../source/ui/problem.js';

describe('format', () => {
  it.each([
    [undefined, ''],
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [3_725_000, '1h02m'],
    [90_000_000, '1d01h'],
  ])('formatDuration(%s) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    ['abc', 5, 'left', 'abc  '],
    ['abc', 5, 'right', '  abc'],
    ['abcdef', 4, 'left', 'abc…'],
    ['✓', 2, 'left', '✓ '],
    ['abc', 0, 'left', ''],
  ] as const)('fit(%s, %i, %s)', (text, width, align, out) => {
    expect(fit(text, width, align)).toBe(out);
  });

  it('writes counts and names as the screens do', () => {
    expect(formatCount(10_000)).toBe('10,000');
    expect(formatCount(999)).toBe('999');
    expect(
      nameOf('/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/'),
    ).toBe('st1');
    expect(nameOf(undefined)).toBe('');
    const counts = countNodeStates([
      { state: 'idle' },
      { state: 'starttaskfailed' },
      { state: 'idle' },
    ]);
    expect(describeCounts(counts)).toBe('startTaskFailed 1 · idle 2');
    expect(describeCounts(countNodeStates([]))).toBe('no nodes');
  });

  it('wraps words, and cuts a word longer than the line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
    expect(wrapText('', 10)).toEqual([]);
  });

  it('scrolls within the text', () => {
    expect(scrollReducer(0, { by: 5, total: 20, height: 10 })).toBe(5);
    expect(scrollReducer(5, { by: 'bottom', total: 20, height: 10 })).toBe(10);
    expect(scrollReducer(5, { by: -9, total: 20, height: 10 })).toBe(0);
    expect(scrollReducer(0, { by: 3, total: 5, height: 10 })).toBe(0);
    expect(clampScroll(15, 12, 10)).toBe(2);
  });
});

describe('describeProblem', () => {
  it('names the role and scope a 403 on a read needs', () => {
    const scope = '/subscriptions/00000000-0000-0000-0000-000000000001';
    const problem = describeProblem(
      forbidden({ action: 'Microsoft.Batch/batchAccounts/read', scope }, 'denied'),
    );
    expect(problem.text).toBe(
      `Reading needs Microsoft.Batch/batchAccounts/read on ${scope}, which your identity lacks`,
    );
    expect(problem.next).toContain(
      `Ask an owner for Reader (or any role with Microsoft.Batch/batchAccounts/read) on ${scope}`,
    );
  });

  it('passes other domain errors through, and says something plain about the rest', () => {
    const error = network('socket hang up');
    expect(describeProblem(error)).toEqual({ text: error.message, next: error.nextStep });
    expect(describeProblem(new Error('first line\nstack'))).toMatchObject({ text: 'first line' });
  });
});
