/**
 * A screen's table: rows filtered by `/`, sorted by `s`/`S`, selection and scrolling from the
 * keys, Enter / y / r handed to the screen. Filtering and sorting are memoised on the rows, the
 * filter and the sort, so moving the cursor over 10,000 nodes never re-sorts them.
 */
import { useMemo, useReducer } from 'react';
import type { CommandId, ScreenId } from '../keys.js';
import type { Column } from '../table/layout.js';
import { filterRows, rowText, sortRows } from '../table/rows.js';
import { cursorOf, initialTable, tableReducer } from '../table/state.js';
import type { SortOrder, TableState } from '../table/state.js';
import { useCommands } from './useCommands.js';

export interface TableOptions<T> {
  screen: ScreenId;
  /** The screen reads keys (no prompt, help or panel open). */
  active: boolean;
  rows: readonly T[];
  columns: readonly Column<T>[];
  keyOf: (row: T) => string;
  filter: string;
  /** Rows of the table's body (without its header): a page for PgUp/PgDn. */
  bodyRows: number;
  initialSelected?: string;
  initialSort?: SortOrder;
  onOpen?: (row: T) => 'leave' | void;
  onJson?: (row: T) => 'leave' | void;
  onRefresh?: () => void;
  /** Commands only this screen has (e.g. `e` on nodes, `d` on a selected account). */
  onOther?: (command: CommandId, selected: T | undefined) => 'leave' | void;
}

export interface TableView<T> {
  shown: readonly T[];
  keys: readonly string[];
  state: TableState;
  selected: T | undefined;
}

export function useTable<T>(options: TableOptions<T>): TableView<T> {
  const { rows, columns, keyOf, filter, bodyRows } = options;
  const [state, dispatch] = useReducer(tableReducer, undefined, () =>
    initialTable(options.initialSelected, options.initialSort),
  );
  const filtered = useMemo(
    () => filterRows(rows, filter, (row) => rowText(row, columns)),
    [rows, filter, columns],
  );
  const shown = useMemo(
    () => sortRows(filtered, columns, state.sort),
    [filtered, columns, state.sort],
  );
  const keys = useMemo(() => shown.map(keyOf), [shown, keyOf]);
  const cursor = cursorOf(state, keys);
  const selected = cursor >= 0 ? shown[cursor] : undefined;
  const sortable = useMemo(() => columns.map((c) => c.id), [columns]);

  useCommands(options.screen, options.active, (command) => {
    const move = (by: number | 'top' | 'bottom') => {
      dispatch({ type: 'move', by, keys, height: bodyRows });
    };
    const page = Math.max(1, bodyRows - 1);
    switch (command) {
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'pageUp':
        return move(-page);
      case 'pageDown':
        return move(page);
      case 'top':
        return move('top');
      case 'bottom':
        return move('bottom');
      case 'sort':
        return dispatch({ type: 'sort', columns: sortable });
      case 'reverse':
        return dispatch({ type: 'reverse' });
      case 'refresh':
        return options.onRefresh?.();
      case 'open':
        return selected === undefined ? undefined : options.onOpen?.(selected);
      case 'json':
        return selected === undefined ? undefined : options.onJson?.(selected);
      default:
        return options.onOther?.(command, selected);
    }
  });
  return { shown, keys, state, selected };
}
