/** Rows of plain text for a ScrollPanel (a node's errors, an identity's uses): wrapped, toned. */
import type { Theme } from '../theme.js';
import { Line } from './Line.js';

export interface TextRow {
  text: string;
  tone?: 'error' | 'warning' | 'muted';
}

/** Greedy word wrap; a word longer than the width is cut into pieces. */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    const next = line === '' ? rest : `${line} ${rest}`;
    if (next.length > width) {
      lines.push(line);
      line = rest;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `text` wrapped to `width`, each row indented, all in one tone. */
export function wrapped(
  text: string,
  width: number,
  indent = 0,
  tone?: TextRow['tone'],
): TextRow[] {
  return wrapText(text, width - indent).map((t) => ({
    text: ' '.repeat(indent) + t,
    ...(tone ? { tone } : {}),
  }));
}

export function renderTextRows(rows: readonly TextRow[], theme: Theme) {
  return rows.map((row, i) => (
    <Line key={i} color={row.tone === undefined ? undefined : theme.colours[row.tone]}>
      {row.text === '' ? ' ' : row.text}
    </Line>
  ));
}
