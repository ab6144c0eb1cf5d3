/**
 * Column widths for a table that must fit 80 columns and use any extra room: each column has a
 * narrowest useful width; when even those do not fit, the columns an operator needs least in an
 * incident are hidden first; spare room is shared by weight.
 */
import type { Theme } from '../theme.js';

export interface Column<T> {
  id: string;
  title: string;
  /** Narrowest useful width (the title should fit it). */
  min: number;
  /** Widest it ever needs; spare room beyond it goes to other columns. */
  max?: number;
  /** Share of the spare room (default 0: stays at `min`). */
  grow?: number;
  /** Higher is hidden sooner when the terminal is narrow (default 0: never hidden). */
  drop?: number;
  align?: 'left' | 'right';
  text(row: T): string;
  /** A shorter form, used when `text` does not fit the column. */
  compact?(row: T): string;
  /** Sort key; default: `text`. Numbers sort numerically. */
  sortKey?(row: T): string | number;
  colour?(row: T, theme: Theme): string | undefined;
}

export interface PlacedColumn<T> {
  column: Column<T>;
  width: number;
}

/** Room for the selection mark at the start of each row. */
export const MARK_WIDTH = 2;
export const GAP = 1;

/** How wide a column's values are: in full, and in their compact form (when it has one). */
export interface NaturalWidth {
  full: number;
  compact?: number;
}

/**
 * Widths for `columns` in `width`. `natural` (per column, optional) is the widest content seen:
 * a column never grows past it, so spare room goes where values are actually being cut; a column
 * that cannot have its full width is sized for its compact form instead, and the room that
 * frees goes to the others.
 */
export function layoutColumns<T>(
  columns: readonly Column<T>[],
  width: number,
  natural?: readonly NaturalWidth[],
): PlacedColumn<T>[] {
  const available = Math.max(0, width - MARK_WIDTH);
  let shown = columns.map((column, i) => ({ column, natural: natural?.[i] }));
  // Hide the most droppable column (the last one among equals) until the rest fit...
  const hideOne = () => {
    const victim = shown.reduce(
      (worst, s, i) => ((s.column.drop ?? 0) >= (shown[worst]?.column.drop ?? 0) ? i : worst),
      0,
    );
    shown = shown.filter((_, i) => i !== victim);
  };
  while (shown.length > 1 && minimum(shown) > available) hideOne();
  // ...and, while an essential column that could grow would be cut, the optional ones
  // (drop > 0) give way too.
  for (;;) {
    const { widths, wanted } = place(shown, available);
    const cut = shown.some(
      (s, i) =>
        (s.column.drop ?? 0) === 0 &&
        (s.column.grow ?? 0) > 0 &&
        s.natural !== undefined &&
        (widths[i] ?? 0) < (wanted[i] ?? 0),
    );
    if (!cut || !shown.some((s) => (s.column.drop ?? 0) > 0)) {
      return shown.map(({ column }, i) => ({ column, width: widths[i] ?? column.min }));
    }
    hideOne();
  }
}

function minimum<T>(shown: ReadonlyArray<{ column: Column<T> }>): number {
  return shown.reduce((sum, s) => sum + s.column.min, 0) + GAP * Math.max(0, shown.length - 1);
}

/** Widths for the shown columns, and the width each would want (full, or compact if cut). */
function place<T>(
  shown: ReadonlyArray<{ column: Column<T>; natural: NaturalWidth | undefined }>,
  available: number,
): { widths: number[]; wanted: number[] } {
  const capOf = (column: Column<T>, content: number | undefined) =>
    Math.max(column.min, Math.min(column.max ?? Infinity, content ?? Infinity));
  const spare = available - minimum(shown);
  const full = shown.map((s) => capOf(s.column, s.natural?.full));
  const widths = share(shown, full, spare);
  const compact = shown.map((s, i) =>
    (widths[i] ?? 0) < (full[i] ?? 0) && s.natural?.compact !== undefined
      ? capOf(s.column, s.natural.compact)
      : (full[i] ?? 0),
  );
  if (compact.every((c, i) => c === full[i])) return { widths, wanted: full };
  return { widths: share(shown, compact, spare), wanted: compact };
}

/** Minimum widths plus `spare`, handed out up to each column's cap. */
function share<T>(
  shown: ReadonlyArray<{ column: Column<T> }>,
  cap: readonly number[],
  spare: number,
): number[] {
  const widths = shown.map((s) => s.column.min);
  const need = (i: number) => (cap[i] ?? 0) - (widths[i] ?? 0);
  // The first column names the row (account, pool, node): it is served first, up to its cap.
  if (shown.length > 0 && (shown[0]?.column.grow ?? 0) > 0) {
    const first = Math.max(0, Math.min(spare, need(0)));
    widths[0] = (widths[0] ?? 0) + first;
    spare -= first;
  }
  // Max-min fair share of the rest: a column that needs less than an equal share (a GUID, a
  // state) gets all it needs, and what it leaves is shared again; when every column needs more
  // than that, the room is shared by weight.
  let takers = shown
    .map((s, i) => ({ grow: s.column.grow ?? 0, i }))
    .filter(({ grow, i }) => grow > 0 && need(i) > 0);
  while (spare > 0 && takers.length > 0) {
    const satisfied = takers.filter(({ i }) => need(i) <= spare / takers.length);
    if (satisfied.length === 0) {
      const weight = takers.reduce((sum, t) => sum + t.grow, 0);
      let given = 0;
      for (const { grow, i } of takers) {
        const part = Math.floor((spare * grow) / weight);
        widths[i] = (widths[i] ?? 0) + part;
        given += part;
      }
      // What rounding leaves goes to the first takers, one column each.
      for (const { i } of takers.slice(0, spare - given)) widths[i] = (widths[i] ?? 0) + 1;
      break;
    }
    for (const { i } of satisfied) {
      spare -= need(i);
      widths[i] = cap[i] ?? 0;
    }
    takers = takers.filter((t) => !satisfied.includes(t));
  }
  return widths;
}

/**
 * The widest value of each column (its title included, plus room for the sort mark), in full and
 * compact, over the first `sample` rows: enough to size columns without reading all of a
 * 10,000-node pool.
 */
export function naturalWidths<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  sample = 300,
): NaturalWidth[] {
  const seen = rows.length > sample ? rows.slice(0, sample) : rows;
  return columns.map((column) => {
    const title = column.title.length + 1;
    let full = title;
    for (const row of seen) full = Math.max(full, [...column.text(row)].length);
    if (column.compact === undefined) return { full };
    let compact = title;
    for (const row of seen) compact = Math.max(compact, [...column.compact(row)].length);
    return { full, compact };
  });
}

/** A cell's text: the full form when it fits, else the compact form, cut to the width. */
export function cellText<T>(column: Column<T>, row: T, width: number): string {
  const full = column.text(row);
  if ([...full].length <= width || column.compact === undefined) return full;
  return column.compact(row);
}
