/**
 * A table's selection, scroll position and sort, as a pure reducer. The selection is held by
 * row key, not position, so that it stays on the same node while a live refresh re-sorts or a
 * filter narrows the rows; the position is the fallback when that row goes away.
 */

export interface SortOrder {
  column: string;
  descending: boolean;
}

export interface TableState {
  /** Key of the selected row. */
  selected?: string;
  /** Where the selection was, for when its row disappears. */
  index: number;
  /** First row shown. */
  offset: number;
  sort?: SortOrder;
}

export type TableAction =
  | {
      type: 'move';
      /** Rows to move (negative: up), or to the first/last row. */
      by: number | 'top' | 'bottom';
      /** Keys of the rows as shown (sorted, filtered). */
      keys: readonly string[];
      /** Rows visible at once. */
      height: number;
    }
  | { type: 'select'; key: string }
  /** Next sortable column; after the last, back to the service's own order. */
  | { type: 'sort'; columns: readonly string[] }
  | { type: 'reverse' };

export function initialTable(selected?: string, sort?: SortOrder): TableState {
  return {
    index: 0,
    offset: 0,
    ...(selected === undefined ? {} : { selected }),
    ...(sort === undefined ? {} : { sort }),
  };
}

/** Position of the selection among `keys`, or -1 when there are no rows. */
export function cursorOf(state: TableState, keys: readonly string[]): number {
  if (keys.length === 0) return -1;
  if (state.selected !== undefined) {
    const found = keys.indexOf(state.selected);
    if (found >= 0) return found;
  }
  return Math.min(Math.max(0, state.index), keys.length - 1);
}

/** First visible row: as scrolled, moved just enough to show the cursor, no blank tail. */
export function windowStart(offset: number, cursor: number, height: number, count: number): number {
  if (height <= 0 || count <= 0) return 0;
  let start = Math.min(offset, Math.max(0, count - height));
  if (cursor >= 0 && cursor < start) start = cursor;
  if (cursor >= start + height) start = cursor - height + 1;
  return Math.max(0, start);
}

export function tableReducer(state: TableState, action: TableAction): TableState {
  switch (action.type) {
    case 'move': {
      const { keys, height } = action;
      if (keys.length === 0) return state;
      const cursor = cursorOf(state, keys);
      const target =
        action.by === 'top' ? 0 : action.by === 'bottom' ? keys.length - 1 : cursor + action.by;
      const index = Math.min(Math.max(0, target), keys.length - 1);
      const offset = windowStart(state.offset, index, Math.max(1, height), keys.length);
      const selected = keys[index];
      return { ...state, index, offset, ...(selected === undefined ? {} : { selected }) };
    }
    case 'select':
      return { ...state, selected: action.key };
    case 'sort': {
      const at = state.sort === undefined ? -1 : action.columns.indexOf(state.sort.column);
      const next = action.columns[at + 1];
      const { sort: _previous, ...rest } = state;
      return next === undefined ? rest : { ...rest, sort: { column: next, descending: false } };
    }
    case 'reverse':
      return state.sort === undefined
        ? state
        : { ...state, sort: { ...state.sort, descending: !state.sort.descending } };
  }
}
