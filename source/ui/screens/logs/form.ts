/**
 * The Logs screen's state (SPEC §3 screen 7): the upload form (time window, destination,
 * authorization), then the upload's progress, then the uploaded files. Pure, one reducer.
 */
import type { BlobInfo } from '../../../azure/storage.js';

export const WINDOWS = ['hour', 'day', 'allocation', 'boot'] as const;
export type WindowPreset = (typeof WINDOWS)[number];

export const WINDOW_LABELS: Record<WindowPreset, string> = {
  hour: 'last hour',
  day: 'last 24 h',
  allocation: 'since node allocation',
  boot: 'since last boot',
};

const DAY_MS = 86_400_000;

export interface NodeTimes {
  allocationTime?: Date;
  lastBootTime?: Date;
}

export type WindowStart =
  { ok: true; start: Date; overDay: boolean } | { ok: false; reason: string };

/** Where the window starts; over 24 h the node uploads many files, which the screen warns of. */
export function windowStart(preset: WindowPreset, now: Date, node: NodeTimes): WindowStart {
  const at = (start: Date): WindowStart => ({
    ok: true,
    start,
    overDay: now.getTime() - start.getTime() > DAY_MS,
  });
  switch (preset) {
    case 'hour':
      return at(new Date(now.getTime() - 3_600_000));
    case 'day':
      return at(new Date(now.getTime() - DAY_MS));
    case 'allocation':
      return node.allocationTime
        ? at(node.allocationTime)
        : { ok: false, reason: 'the node reports no allocation time' };
    case 'boot':
      return node.lastBootTime
        ? at(node.lastBootTime)
        : { ok: false, reason: 'the node reports no last boot time (it never booted)' };
  }
}

export type Field = 'window' | 'destination' | 'authorization';
export const FIELDS: readonly Field[] = ['window', 'destination', 'authorization'];

export type Phase =
  | { kind: 'form' }
  | { kind: 'uploading'; text: string; listed: number; expected: number }
  | { kind: 'files'; directory: string; files: BlobInfo[]; complete: boolean; selected: number }
  | { kind: 'failed'; message: string };

export interface LogsState {
  field: number;
  window: WindowPreset;
  /** False: the autostorage container; true: the URL typed with `/`. */
  typedDestination: boolean;
  /** Index into the authorization choices (pool identities, then the SAS in the URL). */
  authorization: number;
  phase: Phase;
}

export type LogsAction =
  | { type: 'move'; by: number }
  /** Enter on a field: its next choice. `choices` is how many the authorization field has. */
  | { type: 'cycle'; choices: number }
  | { type: 'started'; text: string }
  | { type: 'progress'; text: string; listed: number; expected: number }
  | { type: 'uploaded'; directory: string; files: BlobInfo[]; complete: boolean }
  | { type: 'failed'; message: string }
  | { type: 'select'; by: number | 'top' | 'bottom' }
  | { type: 'reset' };

export const initialLogs = (authorization = 0): LogsState => ({
  field: 0,
  window: 'hour',
  typedDestination: false,
  authorization,
  phase: { kind: 'form' },
});

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

export function logsReducer(state: LogsState, action: LogsAction): LogsState {
  switch (action.type) {
    case 'move':
      if (state.phase.kind !== 'form') return state;
      return { ...state, field: clamp(state.field + action.by, 0, FIELDS.length - 1) };
    case 'cycle': {
      if (state.phase.kind !== 'form') return state;
      switch (FIELDS[state.field]) {
        case 'window':
          return {
            ...state,
            window: WINDOWS[(WINDOWS.indexOf(state.window) + 1) % WINDOWS.length] ?? 'hour',
          };
        case 'destination':
          return { ...state, typedDestination: !state.typedDestination };
        default:
          return action.choices > 0
            ? { ...state, authorization: (state.authorization + 1) % action.choices }
            : state;
      }
    }
    case 'started':
      return { ...state, phase: { kind: 'uploading', text: action.text, listed: 0, expected: 0 } };
    case 'progress':
      if (state.phase.kind !== 'uploading') return state;
      return {
        ...state,
        phase: {
          kind: 'uploading',
          text: action.text,
          listed: action.listed,
          expected: action.expected,
        },
      };
    case 'uploaded':
      return {
        ...state,
        phase: {
          kind: 'files',
          directory: action.directory,
          files: action.files,
          complete: action.complete,
          selected: Math.max(
            0,
            action.files.findIndex((f) => f.name.endsWith('agent-debug.log')),
          ),
        },
      };
    case 'failed':
      return { ...state, phase: { kind: 'failed', message: action.message } };
    case 'select': {
      const phase = state.phase;
      if (phase.kind !== 'files') return state;
      const last = phase.files.length - 1;
      const next =
        action.by === 'top' ? 0 : action.by === 'bottom' ? last : phase.selected + action.by;
      return { ...state, phase: { ...phase, selected: clamp(next, 0, Math.max(0, last)) } };
    }
    case 'reset':
      return { ...state, phase: { kind: 'form' } };
  }
}
