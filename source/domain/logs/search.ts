/**
 * The log viewer's `/` search with `n`/`N`, as less and k9s do it: a plain substring (no regex
 * surprises with the brackets and dots of log lines), case-insensitive unless the query has a
 * capital letter ("smart case"), wrapping around the ends of the file.
 *
 * Two forms: over lines in memory (a window, a small file), and over any source that can hand
 * out lines by number (the streamed blob's line index), read window by window so a search through
 * a 30 MB log never holds more than one window.
 */

export type Direction = 'forward' | 'backward';

export interface Query {
  text: string;
  caseSensitive: boolean;
}

/** Smart case: a query with an upper-case letter is matched exactly, otherwise case-insensitively. */
export function parseQuery(text: string): Query {
  return { text, caseSensitive: text !== text.toLowerCase() };
}

/** Every [start, end) of the query in a line (non-overlapping), for highlighting. */
export function findInLine(line: string, query: Query): Array<[number, number]> {
  if (!query.text) return [];
  const hay = query.caseSensitive ? line : line.toLowerCase();
  const needle = query.caseSensitive ? query.text : query.text.toLowerCase();
  const spans: Array<[number, number]> = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length))
    spans.push([at, at + needle.length]);
  return spans;
}

export interface SearchHit {
  line: number;
  /** True when the search went past the end (or the start) and came round. */
  wrapped: boolean;
}

/**
 * The next line after `from` (or before it, backward) that contains the query, wrapping once
 * round the file; `from` itself is checked last, so `n` on a match moves to the next one.
 */
export function nextMatch(
  lines: readonly string[],
  query: Query,
  from: number,
  direction: Direction = 'forward',
): SearchHit | undefined {
  const n = lines.length;
  if (!n || !query.text) return undefined;
  const step = direction === 'forward' ? 1 : -1;
  const start = Math.min(Math.max(from, 0), n - 1);
  for (let k = 1; k <= n; k++) {
    const i = (((start + step * k) % n) + n) % n;
    if (findInLine(lines[i] ?? '', query).length) {
      const wrapped = direction === 'forward' ? i <= start : i >= start;
      return { line: i, wrapped };
    }
  }
  return undefined;
}

/** Anything that can give lines by number: the streamed line index, or an array. */
export interface LineSource {
  /** Lines known so far (the whole file once indexed). */
  readonly lineCount: number;
  lines(start: number, count: number, signal?: AbortSignal): Promise<string[]>;
}

/**
 * nextMatch over a LineSource, reading `window` lines at a time in the search direction.
 * Memory stays at one window whatever the file's size.
 */
export async function searchSource(
  source: LineSource,
  query: Query,
  from: number,
  direction: Direction = 'forward',
  options: { window?: number; signal?: AbortSignal } = {},
): Promise<SearchHit | undefined> {
  const n = source.lineCount;
  if (!n || !query.text) return undefined;
  const window = Math.max(1, options.window ?? 2048);
  const start = Math.min(Math.max(from, 0), n - 1);
  // Lines to visit: after `start` to the end, then from the top round to `start` (forward);
  // mirrored backward. Each run is [lo, hi) and whether reaching it means the search wrapped.
  const runs: Array<[number, number, boolean]> =
    direction === 'forward'
      ? [
          [start + 1, n, false],
          [0, start + 1, true],
        ]
      : [
          [0, start, false],
          [start, n, true],
        ];
  for (const [lo, hi, wrapped] of runs) {
    if (direction === 'forward') {
      for (let at = lo; at < hi; at += window) {
        const chunk = await source.lines(at, Math.min(window, hi - at), options.signal);
        const k = chunk.findIndex((l) => findInLine(l, query).length > 0);
        if (k !== -1) return { line: at + k, wrapped };
      }
    } else {
      for (let end = hi; end > lo; end -= window) {
        const at = Math.max(lo, end - window);
        const chunk = await source.lines(at, end - at, options.signal);
        for (let k = chunk.length - 1; k >= 0; k--)
          if (findInLine(chunk[k] ?? '', query).length) return { line: at + k, wrapped };
      }
    }
  }
  return undefined;
}

/** An array as a LineSource (tests, and small files read whole). */
export function arraySource(all: readonly string[]): LineSource {
  return {
    lineCount: all.length,
    lines: (start, count) => Promise.resolve(all.slice(start, start + count)),
  };
}
