/**
 * Reads from Azure for a screen: once, or every `intervalMs` (usePolling). One fetch at a time:
 * the next poll is scheduled only when the last one has settled, and `reload` (the `r` key)
 * does nothing while a fetch is in flight. Leaving the screen, or changing `key`, aborts the
 * fetch in flight, its retries and its waits.
 */
import { useCallback, useEffect, useEffectEvent, useReducer, useRef } from 'react';
import type { CallOptions } from '../../azure/index.js';
import { isAbortError } from '../../azure/errors.js';
import { initialResource, resourceReducer, viewOf } from './resource.js';
import type { ResourceAction, ResourceState } from './resource.js';

export type Loader<T> = (call: Required<Pick<CallOptions, 'signal' | 'onRetry'>>) => Promise<T>;

export interface ResourceOptions<T> {
  /** Poll: fetch again this long after the previous fetch settled. */
  intervalMs?: number;
  /** Told of each new value, e.g. to fold a node poll into the screen's reducer. */
  onLoaded?: (value: T, at: number) => void;
}

export interface Resource<T> {
  state: ResourceState<T>;
  /** Fetch now, unless a fetch is already in flight. */
  reload: () => void;
}

/** `key` names what is read (undefined: nothing to read yet); a new key starts over. */
export function useResource<T>(
  key: string | undefined,
  load: Loader<T>,
  options: ResourceOptions<T> = {},
): Resource<T> {
  const [state, dispatch] = useReducer(
    resourceReducer as (s: ResourceState<T>, a: ResourceAction<T>) => ResourceState<T>,
    key,
    initialResource<T>,
  );
  const latestLoad = useEffectEvent(load);
  const loaded = useEffectEvent((value: T, at: number) => options.onLoaded?.(value, at));
  const control = useRef<{ reload: () => void } | undefined>(undefined);
  const intervalMs = options.intervalMs;

  useEffect(() => {
    if (key === undefined) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let inFlight = false;
    const run = async (announce: boolean) => {
      inFlight = true;
      // The first fetch needs no 'start': a new key already reads as loading.
      if (announce) dispatch({ type: 'start', key });
      try {
        const value = await latestLoad({
          signal: controller.signal,
          onRetry: (event) => {
            if (!controller.signal.aborted) dispatch({ type: 'retry', key, event });
          },
        });
        if (controller.signal.aborted) return;
        const at = Date.now();
        loaded(value, at);
        dispatch({ type: 'loaded', key, value, at });
      } catch (error) {
        if (controller.signal.aborted || isAbortError(error)) return;
        dispatch({ type: 'failed', key, error });
      } finally {
        inFlight = false;
      }
      if (intervalMs !== undefined && !controller.signal.aborted) {
        timer = setTimeout(() => void run(true), intervalMs);
      }
    };
    control.current = {
      reload: () => {
        if (inFlight || controller.signal.aborted) return;
        clearTimeout(timer);
        void run(true);
      },
    };
    void run(false);
    return () => {
      controller.abort();
      clearTimeout(timer);
      control.current = undefined;
    };
  }, [key, intervalMs]);

  const reload = useCallback(() => control.current?.reload(), []);
  return { state: viewOf(state, key), reload };
}
