/**
 * Runs the doctor for a scope: collects a fresh snapshot through the session's `collect` (the
 * same collector `batch-mi-tui doctor` uses), runs the rules over it and folds the result into
 * the screen's reducer. Once when the screen opens, and again on `rerun` (`r`): a run in flight
 * is then abandoned, so the report always follows the latest configuration. Leaving the screen
 * aborts the run in flight, its retries and waits.
 */
import { useCallback, useEffect, useEffectEvent, useReducer, useRef } from 'react';
import type { Dispatch } from 'react';
import { isAbortError } from '../../../azure/errors.js';
import { runDoctor } from '../../../domain/doctor/engine.js';
import type { DoctorScope } from '../../../domain/doctor/types.js';
import type { Collect } from '../../session.js';
import { doctorReducer, initialDoctor } from './reducer.js';
import type { DoctorAction, DoctorState } from './reducer.js';

export type RunScope = Omit<DoctorScope, 'subscriptionId'>;

export interface DoctorRun {
  state: DoctorState;
  dispatch: Dispatch<DoctorAction>;
  rerun: () => void;
}

export function useDoctorRun(collect: Collect, scope: RunScope): DoctorRun {
  const [state, dispatch] = useReducer(doctorReducer, undefined, initialDoctor);
  // Run ids only grow, over every run this screen makes.
  const runs = useRef(0);
  const control = useRef<{ rerun: () => void } | undefined>(undefined);
  // `:ro` builds a new `collect`: the next run uses it, without starting one.
  const collectNow = useEffectEvent((run: Parameters<Collect>[1]) => collect(scope, run));
  const { account, pool } = scope;

  useEffect(() => {
    let controller: AbortController | undefined;
    const start = () => {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      const run = ++runs.current;
      dispatch({ type: 'start', run, at: Date.now() });
      collectNow({
        signal: current.signal,
        onRetry: (event) => {
          if (!current.signal.aborted) dispatch({ type: 'retry', run, event });
        },
      }).then(
        (snapshot) => {
          if (current.signal.aborted) return;
          dispatch({ type: 'done', run, snapshot, report: runDoctor(snapshot), at: Date.now() });
        },
        (error: unknown) => {
          if (current.signal.aborted || isAbortError(error)) return;
          dispatch({ type: 'failed', run, error });
        },
      );
    };
    control.current = { rerun: start };
    start();
    return () => {
      controller?.abort();
      control.current = undefined;
    };
  }, [account, pool]);

  const rerun = useCallback(() => control.current?.rerun(), []);
  return { state, dispatch, rerun };
}
