import { describe, expect, it } from 'vitest';
import {
  GAP,
  MARK_WIDTH,
  cellText,
  layoutColumns,
  naturalWidths,
} from '../../source/ui/table/layout.js';
import type { Column } from '../../source/ui/table/layout.js';
import { filterRows, sortRows } from '../../source/ui/table/rows.js';
import { cursorOf, initialTable, tableReducer, windowStart } from '../../source/ui/table/state.js';
import type { TableAction, TableState } from '../../source/ui/table/state.js';

interface Row {
  name: string;
  n: number;
}
const col = (id: string, extra: Partial<Column<Row>> = {}): Column<Row> => ({
  id,
  title: id,
  min: 4,
  text: (r) => (id === 'n' ? String(r.n) : r.name),
  ...extra,
});
const total = (placed: Array<{ width: number }>) =>
  MARK_WIDTH + placed.reduce((s, p) => s + p.width, 0) + GAP * Math.max(0, placed.length - 1);

interface LayoutCase {
  what: string;
  columns: Column<Row>[];
  width: number;
  natural?: Array<{ full: number; compact?: number }>;
  widths: Record<string, number>;
  hidden?: string;
}

describe('layoutColumns', () => {
  it.each<LayoutCase>([
    {
      what: 'gives every column its content when there is room',
      columns: [col('a', { grow: 1 }), col('b', { grow: 1 }), col('c')],
      width: 80,
      natural: [{ full: 10 }, { full: 20 }, { full: 9 }],
      widths: { a: 10, b: 20, c: 4 },
    },
    {
      what: 'hides the most droppable column first when the minimums do not fit',
      columns: [
        col('a', { min: 30 }),
        col('b', { min: 30, drop: 1 }),
        col('c', { min: 20, drop: 2 }),
      ],
      width: 70,
      widths: { a: 30, b: 30 },
      hidden: 'c',
    },
    {
      what: 'serves the first column (the row name) before the others',
      columns: [col('a', { grow: 1 }), col('b', { grow: 5 })],
      width: 40,
      natural: [{ full: 20 }, { full: 40 }],
      widths: { a: 20, b: 17 },
    },
    {
      what: 'gives a column that needs little (a GUID) all it needs before sharing by weight',
      columns: [col('a', { min: 4 }), col('b', { grow: 9 }), col('guid', { grow: 1, max: 36 })],
      width: 80,
      natural: [{ full: 4 }, { full: 100 }, { full: 36 }],
      widths: { a: 4, guid: 36 },
    },
    {
      what: 'sizes a column for its compact form when its full form cannot fit',
      columns: [col('id', { min: 10, grow: 3 }), col('errors', { min: 4, grow: 1 })],
      width: 50,
      natural: [{ full: 72, compact: 20 }, { full: 23 }],
      widths: { id: 20, errors: 23 },
    },
  ])('$what', ({ columns, width, natural, widths, hidden }) => {
    const placed = layoutColumns(columns, width, natural);
    expect(Object.fromEntries(placed.map((p) => [p.column.id, p.width]))).toMatchObject(widths);
    if (hidden !== undefined) expect(placed.map((p) => p.column.id)).not.toContain(hidden);
    expect(total(placed)).toBeLessThanOrEqual(width);
  });

  it('never exceeds the width, from 20 to 300 columns', () => {
    const columns = [
      col('a', { grow: 2, min: 10 }),
      col('b', { grow: 3, min: 12 }),
      col('c', { drop: 1, min: 15 }),
    ];
    for (let width = 20; width <= 300; width += 7) {
      const placed = layoutColumns(columns, width, [{ full: 50 }, { full: 90 }, { full: 15 }]);
      // Below the first column's minimum nothing fits; the row is then cut by Line.
      expect(total(placed)).toBeLessThanOrEqual(Math.max(width, MARK_WIDTH + 10));
    }
  });

  it('measures natural widths over a sample, title included', () => {
    const rows = [
      { name: 'abc', n: 1 },
      { name: 'abcdefgh', n: 22 },
    ];
    expect(naturalWidths([col('name'), col('n', { title: 'count' })], rows)).toEqual([
      { full: 8 },
      { full: 6 },
    ]);
    expect(naturalWidths([col('name')], rows, 1)).toEqual([{ full: 5 }]);
  });

  it('picks the compact text only when the full one does not fit', () => {
    const c = col('name', { compact: () => 'short' });
    expect(cellText(c, { name: 'a-long-name', n: 0 }, 11)).toBe('a-long-name');
    expect(cellText(c, { name: 'a-long-name', n: 0 }, 10)).toBe('short');
  });
});

describe('tableReducer', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const move = (by: number | 'top' | 'bottom', height = 3): TableAction => ({
    type: 'move',
    by,
    keys,
    height,
  });
  const run = (actions: TableAction[], state: TableState = initialTable()) =>
    actions.reduce(tableReducer, state);

  it.each<[string, TableAction[], { selected: string; offset: number }]>([
    ['down once', [move(1)], { selected: 'b', offset: 0 }],
    ['down past the window scrolls it', [move(1), move(1), move(1)], { selected: 'd', offset: 1 }],
    ['up at the top stays', [move(-1)], { selected: 'a', offset: 0 }],
    ['a page down', [move(3)], { selected: 'd', offset: 1 }],
    ['bottom', [move('bottom')], { selected: 'g', offset: 4 }],
    ['bottom then top', [move('bottom'), move('top')], { selected: 'a', offset: 0 }],
    ['down past the end clamps', [move(100)], { selected: 'g', offset: 4 }],
  ])('%s', (_what, actions, expected) => {
    expect(run(actions)).toMatchObject(expected);
  });

  it('keeps the selection on its row when the rows are reordered, and falls back by position', () => {
    const state = run([move(2)]);
    expect(cursorOf(state, ['c', 'a', 'b'])).toBe(0);
    expect(cursorOf(state, ['x', 'y', 'z', 'w'])).toBe(2);
    expect(cursorOf(state, ['x'])).toBe(0);
    expect(cursorOf(state, [])).toBe(-1);
    expect(cursorOf(initialTable('e'), keys)).toBe(4);
  });

  it('cycles the sort column, then back to the service order; S reverses', () => {
    const columns = ['name', 'n'];
    const one = tableReducer(initialTable(), { type: 'sort', columns });
    expect(one.sort).toEqual({ column: 'name', descending: false });
    expect(tableReducer(one, { type: 'reverse' }).sort).toEqual({
      column: 'name',
      descending: true,
    });
    const two = tableReducer(one, { type: 'sort', columns });
    expect(two.sort).toEqual({ column: 'n', descending: false });
    expect(tableReducer(two, { type: 'sort', columns }).sort).toBeUndefined();
    const unsorted = initialTable();
    expect(tableReducer(unsorted, { type: 'reverse' })).toBe(unsorted);
  });

  it.each([
    [0, 0, 5, 100, 0],
    [0, 7, 5, 100, 3],
    [10, 2, 5, 100, 2],
    [98, 99, 5, 100, 95],
    [50, 3, 5, 4, 0],
    [0, 0, 0, 10, 0],
  ])(
    'windowStart(offset %i, cursor %i, height %i, count %i) = %i',
    (offset, cursor, height, count, start) => {
      expect(windowStart(offset, cursor, height, count)).toBe(start);
    },
  );
});

describe('rows', () => {
  const rows: Row[] = [
    { name: 'pool-b', n: 10 },
    { name: 'pool-a', n: 9 },
    { name: 'gpu', n: 10 },
  ];
  const columns = [col('name'), col('n', { sortKey: (r) => r.n })];

  it('sorts by a column, numbers as numbers, stable, either way', () => {
    expect(
      sortRows(rows, columns, { column: 'name', descending: false }).map((r) => r.name),
    ).toEqual(['gpu', 'pool-a', 'pool-b']);
    expect(sortRows(rows, columns, { column: 'n', descending: false }).map((r) => r.name)).toEqual([
      'pool-a',
      'pool-b',
      'gpu',
    ]);
    expect(sortRows(rows, columns, { column: 'n', descending: true }).map((r) => r.name)).toEqual([
      'pool-b',
      'gpu',
      'pool-a',
    ]);
    expect(sortRows(rows, columns, undefined)).toBe(rows);
  });

  it('filters by substring, ! inverts, and an empty filter returns the same array', () => {
    const text = (r: Row) => `${r.name} ${r.n}`;
    expect(filterRows(rows, 'pool', text).map((r) => r.name)).toEqual(['pool-b', 'pool-a']);
    expect(filterRows(rows, '!pool', text).map((r) => r.name)).toEqual(['gpu']);
    expect(filterRows(rows, '', text)).toBe(rows);
    expect(filterRows(rows, '!', text)).toBe(rows);
  });
});

describe('optional columns', () => {
  it('give way while an essential column would be cut, and come back when there is room', () => {
    const columns = [col('name', { min: 10, grow: 1 }), col('extra', { min: 10, drop: 1 })];
    const natural = [{ full: 30 }, { full: 10 }];
    expect(layoutColumns(columns, 40, natural).map((p) => p.column.id)).toEqual(['name']);
    expect(layoutColumns(columns, 60, natural).map((p) => [p.column.id, p.width])).toEqual([
      ['name', 30],
      ['extra', 10],
    ]);
  });
});
