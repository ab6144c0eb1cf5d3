/**
 * A small OData `$filter` evaluator for the Batch list operations: comparisons (eq, ne, gt, ge,
 * lt, le) of a property with a string, number, boolean or datetime literal, combined with and/or/
 * not and parentheses — what the Batch docs show for nodes, e.g. `state eq 'idle'` or
 * `(state eq 'unusable') or (state eq 'starting')` (batch-efficient-list-queries.md).
 */

export type Predicate = (item: Record<string, unknown>) => boolean;

export class FilterSyntaxError extends Error {}

type Token = { kind: 'ident' | 'string' | 'number' | 'lparen' | 'rparen' | 'comma'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', value: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('unterminated string');
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else {
      const m = /^(datetime'[^']*'|-?\d+(\.\d+)?|[A-Za-z_][\w./]*)/.exec(text.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}'`);
      const word = m[0];
      if (word.startsWith("datetime'")) tokens.push({ kind: 'string', value: word.slice(9, -1) });
      else tokens.push({ kind: /^-?\d/.test(word) ? 'number' : 'ident', value: word });
      i += word.length;
    }
  }
  return tokens;
}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function compare(actual: unknown, op: string, literal: Token): boolean {
  let a: unknown = actual;
  let b: unknown = literal.value;
  if (literal.kind === 'number') b = Number(literal.value);
  else if (literal.kind === 'ident' && /^(true|false)$/i.test(literal.value)) b = literal.value.toLowerCase() === 'true';
  else if (literal.kind === 'ident' && literal.value.toLowerCase() === 'null') b = undefined;
  if (typeof a === 'string' && typeof b === 'string') {
    const da = Date.parse(a);
    const db = Date.parse(b);
    if (/^\d{4}-\d\d-\d\dT/.test(b) && !Number.isNaN(da) && !Number.isNaN(db)) [a, b] = [da, db];
    else [a, b] = [a.toLowerCase(), b.toLowerCase()];
  }
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'gt': return (a as number) > (b as number);
    case 'ge': return (a as number) >= (b as number);
    case 'lt': return (a as number) < (b as number);
    default: return (a as number) <= (b as number);
  }
}

const read = (item: Record<string, unknown>, path: string): unknown =>
  path.split('/').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), item);

/** Compiles `text` into a predicate; throws FilterSyntaxError for what it cannot parse. */
export function compileFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new FilterSyntaxError('unexpected end of filter');
    return t;
  };
  const isWord = (t: Token | undefined, w: string) => t?.kind === 'ident' && t.value.toLowerCase() === w;

  function expr(): Predicate {
    let left = term();
    while (isWord(peek(), 'or')) {
      next();
      const l = left;
      const r = term();
      left = (x) => l(x) || r(x);
    }
    return left;
  }
  function term(): Predicate {
    let left = factor();
    while (isWord(peek(), 'and')) {
      next();
      const l = left;
      const r = factor();
      left = (x) => l(x) && r(x);
    }
    return left;
  }
  function factor(): Predicate {
    const t = next();
    if (t.kind === 'lparen') {
      const inner = expr();
      if (next().kind !== 'rparen') throw new FilterSyntaxError('expected )');
      return inner;
    }
    if (isWord(t, 'not')) {
      const inner = factor();
      return (x) => !inner(x);
    }
    if (t.kind === 'ident' && /^(startswith|endswith|substringof)$/i.test(t.value)) {
      if (next().kind !== 'lparen') throw new FilterSyntaxError('expected (');
      const field = next();
      if (next().kind !== 'comma') throw new FilterSyntaxError('expected ,');
      const literal = next();
      if (next().kind !== 'rparen') throw new FilterSyntaxError('expected )');
      const fn = t.value.toLowerCase();
      return (x) => {
        const raw = read(x, field.value);
        const v = (typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '').toLowerCase();
        const s = literal.value.toLowerCase();
        return fn === 'startswith' ? v.startsWith(s) : fn === 'endswith' ? v.endsWith(s) : v.includes(s);
      };
    }
    if (t.kind !== 'ident') throw new FilterSyntaxError(`unexpected '${t.value}'`);
    const op = next();
    if (op.kind !== 'ident' || !OPS.has(op.value.toLowerCase())) throw new FilterSyntaxError(`expected a comparison after '${t.value}'`);
    const literal = next();
    if (literal.kind === 'lparen' || literal.kind === 'rparen' || literal.kind === 'comma') throw new FilterSyntaxError('expected a literal');
    const operator = op.value.toLowerCase();
    return (x) => compare(read(x, t.value), operator, literal);
  }

  if (tokens.length === 0) return () => true;
  const predicate = expr();
  if (pos !== tokens.length) throw new FilterSyntaxError(`unexpected '${tokens[pos]?.value ?? ''}'`);
  return predicate;
}
