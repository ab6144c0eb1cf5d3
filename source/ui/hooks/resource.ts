/**
 * The state of one thing a screen reads from Azure: its last value, whether a fetch is in
 * flight, the last failure and the retry being waited out. Pure; useResource drives it.
 *
 * Every action carries the key of the request it belongs to, so the value of what the screen
 * showed before (another pool, another subscription) is never shown as the value of what it
 * shows now.
 */
import type { RetryEvent } from '../../azure/index.js';

export interface ResourceState<T> {
  key: string | undefined;
  value: T | undefined;
  loading: boolean;
  /** The last fetch's failure; cleared by the next success. The last value is kept beside it. */
  error: unknown;
  /** The retry being waited out right now ("retrying (429, 2s)…"). */
  retry: RetryEvent | undefined;
  /** When the value was read (ms since the epoch). */
  loadedAt: number | undefined;
}

export type ResourceAction<T> =
  | { type: 'start'; key: string }
  | { type: 'retry'; key: string; event: RetryEvent }
  | { type: 'loaded'; key: string; value: T; at: number }
  | { type: 'failed'; key: string; error: unknown };

export function initialResource<T>(key: string | undefined): ResourceState<T> {
  return {
    key,
    value: undefined,
    loading: key !== undefined,
    error: undefined,
    retry: undefined,
    loadedAt: undefined,
  };
}

export function resourceReducer<T>(
  state: ResourceState<T>,
  action: ResourceAction<T>,
): ResourceState<T> {
  // News about another key means the screen moved on to it: start from a clean slate. (The
  // hook aborts a key's fetch before moving on and drops whatever that fetch says afterwards.)
  const current = action.key === state.key ? state : initialResource<T>(action.key);
  return apply(current, action);
}

function apply<T>(state: ResourceState<T>, action: ResourceAction<T>): ResourceState<T> {
  switch (action.type) {
    case 'start':
      return { ...state, loading: true, retry: undefined };
    case 'retry':
      return { ...state, retry: action.event };
    case 'loaded':
      return {
        ...state,
        value: action.value,
        loading: false,
        error: undefined,
        retry: undefined,
        loadedAt: action.at,
      };
    case 'failed':
      return { ...state, loading: false, error: action.error, retry: undefined };
  }
}

/** What a screen renders for `key`: the state if it is about that key, else a fresh load. */
export function viewOf<T>(state: ResourceState<T>, key: string | undefined): ResourceState<T> {
  return state.key === key ? state : initialResource(key);
}
