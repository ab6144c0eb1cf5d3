import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../source/domain/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['24H', 86_400_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['', undefined],
    ['0h', undefined],
    ['1', undefined],
    ['h', undefined],
    ['1w', undefined],
    ['-1h', undefined],
  ])('%j → %s', (input, expected) => expect(parseDuration(input)).toBe(expected));
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_000, '59s'],
    [61_000, '1m1s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3 * 86_400_000, '3d'],
  ])('%d → %s', (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});
