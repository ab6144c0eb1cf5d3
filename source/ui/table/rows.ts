/**
 * Filtering and sorting rows, done once per data change or sort change (never per key press):
 * on a 10,000-node pool a re-sort costs milliseconds that a cursor move must not pay.
 */
import { matchesFilter, parseFilter } from '../filter.js';
import type { Column } from './layout.js';
import type { SortOrder } from './state.js';

/** The text a row is filtered on: every column's full value. */
export function rowText<T>(row: T, columns: readonly Column<T>[]): string {
  return columns.map((c) => c.text(row)).join(' ');
}

/** The rows the `/` filter keeps; the same array when there is no filter (memo-friendly). */
export function filterRows<T>(
  rows: readonly T[],
  filter: string,
  textOf: (row: T) => string,
): readonly T[] {
  if (parseFilter(filter).needle === '') return rows;
  return rows.filter((row) => matchesFilter(textOf(row), filter));
}

/**
 * Rows in the order of one column, stable (ties keep the service's order). Keys are computed
 * once per row rather than in the comparator, and compared without localeCompare, which is ten
 * times slower on 10,000 rows.
 */
export function sortRows<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  sort: SortOrder | undefined,
): readonly T[] {
  const column = sort === undefined ? undefined : columns.find((c) => c.id === sort.column);
  if (column === undefined || sort === undefined) return rows;
  const keyOf = (row: T): string | number =>
    column.sortKey === undefined ? column.text(row).toLowerCase() : column.sortKey(row);
  const keyed = rows.map((row, i) => ({ row, i, key: keyOf(row) }));
  const direction = sort.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key < b.key) return -direction;
    if (a.key > b.key) return direction;
    return a.i - b.i;
  });
  return keyed.map((k) => k.row);
}
