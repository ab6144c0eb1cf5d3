import { describe, expect, it } from 'vitest';
import { describeFilter, matchesFilter } from '../../source/ui/filter.js';

describe('matchesFilter', () => {
  it.each([
    // text, filter, kept
    ['pool-a', '', true],
    ['pool-a', '   ', true],
    ['pool-a', 'pool', true],
    ['pool-a', 'POOL-A', true],
    ['Pool-A', 'pool-a', true],
    ['pool-a', 'b', false],
    ['pool-a', '!b', true],
    ['pool-a', '!pool', false],
    ['pool-a', '!', true],
    ['pool-a', '! pool', false],
    ['pool-a', ' pool ', true],
    ['tvm-1 starting', 'start', true],
    ['tvm-1 idle', '!start', true],
    ['', 'x', false],
    ['', '!x', true],
  ])('%j with filter %j → %s', (text, filter, kept) => {
    expect(matchesFilter(text, filter)).toBe(kept);
  });
});

describe('describeFilter', () => {
  it.each([
    ['', ''],
    ['!', ''],
    ['Pool', '/Pool'],
    ['!idle', '/!idle'],
  ])('%j reads %j', (filter, shown) => {
    expect(describeFilter(filter)).toBe(shown);
  });
});
