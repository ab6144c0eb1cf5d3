/**
 * A windowed table: only the rows that fit are rendered, so a 10,000-node pool costs the same
 * frame as a 10-row one. Rows are memoised: a cursor move re-renders two rows, a refresh only
 * the rows whose data changed.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { fit } from '../format.js';
import { cellText, GAP, layoutColumns, MARK_WIDTH, naturalWidths } from '../table/layout.js';
import type { Column, PlacedColumn } from '../table/layout.js';
import { cursorOf, windowStart } from '../table/state.js';
import type { TableState } from '../table/state.js';
import { useTheme } from '../theme.js';
import type { Theme } from '../theme.js';
import { Line } from './Line.js';

export interface TableProps<T> {
  columns: readonly Column<T>[];
  /** Rows as shown: already filtered and sorted. */
  rows: readonly T[];
  /** Key of each row, in the same order. */
  keys: readonly string[];
  state: TableState;
  width: number;
  /** Rows available, the header included. */
  height: number;
  /** What to say when there are no rows. */
  empty: string;
}

export function Table<T>({ columns, rows, keys, state, width, height, empty }: TableProps<T>) {
  const theme = useTheme();
  // Sized to the content of the rows shown: recomputed when they change, not when the cursor moves.
  const natural = useMemo(() => naturalWidths(columns, rows), [columns, rows]);
  const placed = useMemo(() => layoutColumns(columns, width, natural), [columns, width, natural]);
  const bodyRows = Math.max(0, height - 1);
  const cursor = cursorOf(state, keys);
  const start = windowStart(state.offset, cursor, bodyRows, rows.length);
  const visible = rows.slice(start, start + bodyRows);
  if (height <= 0) return null;
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      <Header placed={placed} sort={state.sort} theme={theme} />
      {rows.length === 0 ? (
        <Line color={theme.colours.muted}>{`  ${empty}`}</Line>
      ) : (
        visible.map((row, i) => (
          <Row
            key={keys[start + i] ?? start + i}
            row={row}
            placed={placed}
            selected={start + i === cursor}
            theme={theme}
          />
        ))
      )}
    </Box>
  );
}

function Header<T>({
  placed,
  sort,
  theme,
}: {
  placed: readonly PlacedColumn<T>[];
  sort: TableState['sort'];
  theme: Theme;
}) {
  const arrow = (descending: boolean) =>
    theme.unicode ? (descending ? '↓' : '↑') : descending ? 'v' : '^';
  const text = placed
    .map(({ column, width }) => {
      const title =
        sort?.column === column.id ? `${column.title}${arrow(sort.descending)}` : column.title;
      return fit(title, width, column.align, theme.unicode ? '…' : '~');
    })
    .join(' '.repeat(GAP));
  return (
    <Line bold color={theme.colours.muted}>
      {' '.repeat(MARK_WIDTH)}
      {text}
    </Line>
  );
}

interface RowProps<T> {
  row: T;
  placed: readonly PlacedColumn<T>[];
  selected: boolean;
  theme: Theme;
}

function RowImpl<T>({ row, placed, selected, theme }: RowProps<T>) {
  const mark = theme.unicode ? '…' : '~';
  const gap = ' '.repeat(GAP);
  return (
    <Line inverse={selected}>
      {selected ? (theme.unicode ? '› ' : '> ') : '  '}
      {placed.map(({ column, width }, i) => (
        <Text key={column.id} color={column.colour?.(row, theme)}>
          {(i === 0 ? '' : gap) + fit(cellText(column, row, width), width, column.align, mark)}
        </Text>
      ))}
    </Line>
  );
}

// memo loses the generic parameter; the cast restores it for callers.
const Row = memo(RowImpl) as typeof RowImpl;
