import { describe, expect, it } from 'vitest';
import { jsonRows, prettyJson, tokenizeLine, wrapTokens } from '../../source/ui/json/lines.js';

const texts = (rows: Array<Array<{ text: string }>>) =>
  rows.map((r) => r.map((t) => t.text).join(''));

describe('JSON view text', () => {
  it.each([
    [
      '  "name": "pool-a",',
      [
        ['punctuation', '  '],
        ['key', '"name"'],
        ['punctuation', ': '],
        ['string', '"pool-a"'],
        ['punctuation', ','],
      ],
    ],
    [
      '  "n": -1.5e3,',
      [
        ['punctuation', '  '],
        ['key', '"n"'],
        ['punctuation', ': '],
        ['number', '-1.5e3'],
        ['punctuation', ','],
      ],
    ],
    [
      '  "ok": true',
      [
        ['punctuation', '  '],
        ['key', '"ok"'],
        ['punctuation', ': '],
        ['literal', 'true'],
      ],
    ],
    [
      '    null,',
      [
        ['punctuation', '    '],
        ['literal', 'null'],
        ['punctuation', ','],
      ],
    ],
    [
      '  "q": "say \\"hi\\": now"',
      [
        ['punctuation', '  '],
        ['key', '"q"'],
        ['punctuation', ': '],
        ['string', '"say \\"hi\\": now"'],
      ],
    ],
    ['{', [['punctuation', '{']]],
  ])('tokenizes %s', (line, tokens) => {
    expect(tokenizeLine(line).map((t) => [t.kind, t.text])).toEqual(tokens);
  });

  it('wraps a long line under its own indentation, keeping every character', () => {
    const line = `    "id": "${'x'.repeat(40)}",`;
    const rows = wrapTokens(tokenizeLine(line), 20);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of texts(rows)) expect(row.length).toBeLessThanOrEqual(20);
    expect(
      texts(rows)
        .slice(1)
        .every((r) => r.startsWith('      ')),
    ).toBe(true);
    expect(
      texts(rows)
        .map((r, i) => (i === 0 ? r : r.slice(6)))
        .join(''),
    ).toBe(line);
  });

  it('pretty-prints as the portal does, one screen row per short line', () => {
    const value = { name: 'a', identity: { type: 'None' } };
    expect(texts(jsonRows(value, 80))).toEqual(prettyJson(value).split('\n'));
    expect(prettyJson(undefined)).toBe('(nothing)');
  });
});
