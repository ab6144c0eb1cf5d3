/**
 * The Doctor screen's state: the run in flight (when it started, the retry it waits out), the
 * last report and the snapshot it was drawn from, and the selection in the list. Pure;
 * useDoctorRun drives the runs.
 *
 * Every run has an id, and news about any other run than the latest is dropped: a run that `r`
 * replaced can never overwrite the report of the run that replaced it. Each report comes from a
 * fresh collection (no verdict is kept from one run to the next), so a fix made through ARM
 * shows in the next run.
 */
import type { RetryEvent } from '../../../azure/index.js';
import type { DoctorReport, Snapshot } from '../../../domain/doctor/types.js';
import { cursorOf, windowStart } from '../../table/state.js';
import type { TableState } from '../../table/state.js';

/** What a run read: said beside the findings, so "no findings" is never about nothing. */
export interface Coverage {
  accounts: number;
  pools: number;
  nodes: number;
}

export interface DoctorState {
  /** Id of the latest run (0: none started). */
  run: number;
  running: boolean;
  startedAt: number | undefined;
  retry: RetryEvent | undefined;
  /** The latest finished run's report; kept on screen while the next run goes. */
  report: DoctorReport | undefined;
  /** What that run read (a finding's flow starts from it). */
  snapshot: Snapshot | undefined;
  finishedAt: number | undefined;
  /** Why the latest run failed; cleared when the next one starts. */
  error: unknown;
  /** The selected finding (by key) and where it was. */
  selection: TableState;
  /** First row of the list shown. */
  offset: number;
}

export type DoctorAction =
  | { type: 'start'; run: number; at: number }
  | { type: 'retry'; run: number; event: RetryEvent }
  | { type: 'done'; run: number; snapshot: Snapshot; report: DoctorReport; at: number }
  | { type: 'failed'; run: number; error: unknown }
  | {
      type: 'move';
      by: number | 'top' | 'bottom';
      /** Keys of the selectable rows as listed, and their positions among all rows. */
      keys: readonly string[];
      positions: readonly number[];
      /** Rows of the list in all, and shown at once. */
      total: number;
      height: number;
    };

export function initialDoctor(): DoctorState {
  return {
    run: 0,
    running: false,
    startedAt: undefined,
    retry: undefined,
    report: undefined,
    snapshot: undefined,
    finishedAt: undefined,
    error: undefined,
    selection: { index: 0, offset: 0 },
    offset: 0,
  };
}

export function coverageOf(snapshot: Pick<Snapshot, 'accounts'>): Coverage {
  let pools = 0;
  let nodes = 0;
  for (const a of snapshot.accounts) {
    for (const p of a.pools ?? []) {
      pools++;
      nodes += p.nodes?.length ?? 0;
    }
  }
  return { accounts: snapshot.accounts.length, pools, nodes };
}

export function doctorReducer(state: DoctorState, action: DoctorAction): DoctorState {
  switch (action.type) {
    case 'start':
      if (action.run <= state.run) return state;
      return {
        ...state,
        run: action.run,
        running: true,
        startedAt: action.at,
        retry: undefined,
        error: undefined,
      };
    case 'retry':
      return action.run === state.run && state.running ? { ...state, retry: action.event } : state;
    case 'done':
      if (action.run !== state.run || !state.running) return state;
      return {
        ...state,
        running: false,
        retry: undefined,
        report: action.report,
        snapshot: action.snapshot,
        finishedAt: action.at,
      };
    case 'failed':
      if (action.run !== state.run || !state.running) return state;
      return { ...state, running: false, retry: undefined, error: action.error };
    case 'move': {
      const { keys, positions, total, height } = action;
      if (keys.length === 0) return state;
      const cursor = cursorOf(state.selection, keys);
      const target =
        action.by === 'top' ? 0 : action.by === 'bottom' ? keys.length - 1 : cursor + action.by;
      const index = Math.min(Math.max(0, target), keys.length - 1);
      const selected = keys[index];
      // The first entry brings its headings into view with it.
      const offset =
        index === 0 ? 0 : windowStart(state.offset, positions[index] ?? 0, height, total);
      return {
        ...state,
        selection: { ...state.selection, index, ...(selected === undefined ? {} : { selected }) },
        offset,
      };
    }
  }
}

/** Row of the list the selection is on (-1: none), as listed now. */
export function selectedRow(
  state: DoctorState,
  keys: readonly string[],
  positions: readonly number[],
): number {
  const cursor = cursorOf(state.selection, keys);
  return cursor < 0 ? -1 : (positions[cursor] ?? -1);
}

/** First row of the list to show: as scrolled, moved just enough to show the selection. */
export function listStart(state: DoctorState, row: number, height: number, total: number): number {
  return windowStart(state.offset, row, height, total);
}
