/** FlowRows as screen rows: one Line each, in the theme's colour for its tone. */
import type { ReactNode } from 'react';
import { Line } from '../../components/Line.js';
import type { Theme } from '../../theme.js';
import type { FlowRow } from './rows.js';

export function flowRowNodes(rows: readonly FlowRow[], theme: Theme): ReactNode[] {
  return rows.map((row, i) => {
    const color = row.tone === undefined ? undefined : theme.colours[row.tone];
    return (
      <Line key={i} bold={row.bold === true} {...(color === undefined ? {} : { color })}>
        {row.text === '' ? ' ' : row.text}
      </Line>
    );
  });
}
