/**
 * The JSON view's text: the resource pretty-printed as the portal's JSON View shows it, split
 * into coloured tokens and wrapped (not cut) to the terminal's width, since the values that
 * matter most — resource ids — are also the longest.
 */

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punctuation';

export interface Token {
  kind: TokenKind;
  text: string;
}

export function prettyJson(value: unknown): string {
  if (value === undefined) return '(nothing)';
  return JSON.stringify(value, null, 2);
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const LITERAL = /^(?:true|false|null)/;

/** Reads a JSON string literal starting at `from` (a `"`); returns its end (exclusive). */
function stringEnd(line: string, from: number): number {
  for (let i = from + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i + 1;
  }
  return line.length;
}

/** Tokens of one line of JSON.stringify(value, null, 2) output. */
export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    if (line[i] === '"') {
      const end = stringEnd(line, i);
      const isKey = line.slice(end, end + 1) === ':';
      tokens.push({ kind: isKey ? 'key' : 'string', text: line.slice(i, end) });
      i = end;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const literal = LITERAL.exec(rest);
    if (literal) {
      tokens.push({ kind: 'literal', text: literal[0] });
      i += literal[0].length;
      continue;
    }
    // Whitespace and punctuation up to the next token, merged into one.
    let j = i + 1;
    while (j < line.length && !/["\d\-tfn]/.test(line[j] ?? '')) j++;
    tokens.push({ kind: 'punctuation', text: line.slice(i, j) });
    i = j;
  }
  return tokens;
}

/**
 * Lays the tokens of one line out in rows of at most `width` characters; a continuation row is
 * indented like the line it continues, plus two, so nesting still reads.
 */
export function wrapTokens(tokens: readonly Token[], width: number): Token[][] {
  if (width <= 0) return [];
  const indent = /^ */.exec(tokens[0]?.text ?? '')?.[0].length ?? 0;
  const continuation = ' '.repeat(Math.min(indent + 2, Math.max(0, width - 8)));
  const rows: Token[][] = [];
  let row: Token[] = [];
  let used = 0;
  for (const token of tokens) {
    let text = token.text;
    while (text.length > 0) {
      const room = width - used;
      if (text.length <= room) {
        row.push({ kind: token.kind, text });
        used += text.length;
        break;
      }
      if (room > 0) row.push({ kind: token.kind, text: text.slice(0, room) });
      text = text.slice(Math.max(0, room));
      rows.push(row);
      row = continuation === '' ? [] : [{ kind: 'punctuation', text: continuation }];
      used = continuation.length;
    }
  }
  rows.push(row);
  return rows;
}

/** Every screen row of the JSON view of `value` at `width`. */
export function jsonRows(value: unknown, width: number): Token[][] {
  return prettyJson(value)
    .split('\n')
    .flatMap((line) => wrapTokens(tokenizeLine(line), width));
}
