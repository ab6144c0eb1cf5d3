/**
 * Where a flow's state lives: outside the screen, one store per session, so that leaving the
 * Flows screen (Esc) while a plan is applied neither stops the apply half-way nor loses its
 * report — opening the same flow again shows it. The work a state asks for (pendingWork) is
 * started here, once per run, and its answers are dispatched back with that run.
 */
import { isAbortError } from '../../../azure/errors.js';
import { describeProblem } from '../../problem.js';
import type { RunnerSource } from './services.js';
import { flowReducer, initialFlowState, pendingWork } from './state.js';
import type { FlowAction, FlowState } from './state.js';
import type { FlowStart } from './start.js';

export class FlowEntry {
  private state: FlowState;
  private readonly listeners = new Set<() => void>();
  private readonly started = new Set<string>();

  constructor(start: FlowStart) {
    this.state = initialFlowState(start);
  }

  readonly get = (): FlowState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private reportSeen = false;

  /** Busy: a plan, an apply or a verification is under way. */
  busy(): boolean {
    return pendingWork(this.state) !== undefined;
  }

  /** Worth showing again: still working, or finished while nobody was looking. */
  keep(): boolean {
    return this.busy() || (this.state.phase === 'report' && !this.reportSeen);
  }

  /** The screen showed the report: the next opening starts again from Azure. */
  sawReport(): void {
    if (this.state.phase === 'report' && !this.busy()) this.reportSeen = true;
  }

  dispatch(action: FlowAction, runner?: RunnerSource): FlowState {
    const next = flowReducer(this.state, action);
    if (next !== this.state) {
      this.state = next;
      for (const listener of this.listeners) listener();
    }
    if (runner) this.kick(runner);
    return this.state;
  }

  /** Starts the work the state asks for, unless it is already under way. */
  kick(runner: RunnerSource): void {
    const work = pendingWork(this.state);
    if (work === undefined) return;
    const id = `${work.op}:${work.run}`;
    if (this.started.has(id)) return;
    this.started.add(id);
    void this.perform(work.op, work.run, runner);
  }

  private async perform(
    op: 'plan' | 'permission' | 'apply' | 'verify',
    run: number,
    source: RunnerSource,
  ): Promise<void> {
    const failed = (error: unknown) => {
      const problem = isAbortError(error)
        ? { text: 'Stopped.', next: 'Press r to plan again.' }
        : describeProblem(error);
      switch (op) {
        case 'plan':
          return { type: 'planFailed', run, problem } as const;
        case 'permission':
          return { type: 'permissionFailed', run, problem } as const;
        case 'apply':
          return { type: 'applyFailed', run, problem } as const;
        case 'verify':
          return { type: 'verifyFailed', run, problem } as const;
      }
    };
    let action: FlowAction;
    try {
      const runner = await source();
      const { choices, plan, confirmed } = this.state;
      switch (op) {
        case 'plan': {
          if (!choices) throw new Error('Nothing to plan: the flow has no choices yet.');
          const { result } = await runner.plan(choices);
          action = { type: 'planned', run, result };
          break;
        }
        case 'permission': {
          if (!plan) throw new Error('No plan to check.');
          action = { type: 'permission', run, check: await runner.checkPermissions(plan) };
          break;
        }
        case 'apply': {
          if (!plan) throw new Error('No plan to apply.');
          const report = await runner.apply(plan, {
            confirmed,
            onProgress: (event) => {
              this.dispatch({ type: 'progress', run, event }, source);
            },
          });
          action = { type: 'applied', run, report };
          break;
        }
        case 'verify': {
          if (!plan) throw new Error('No plan to verify.');
          action = { type: 'verified', run, result: await runner.verify(plan) };
          break;
        }
      }
    } catch (error) {
      action = failed(error);
    }
    this.dispatch(action, source);
  }
}

/** The flows of one session, by start (startKey). */
export class FlowStore {
  private readonly entries = new Map<string, FlowEntry>();

  /**
   * The entry for a start: the one under way if its work is not finished (or its report was
   * not seen yet), otherwise a fresh one that plans from Azure as it is now.
   */
  open(key: string, start: FlowStart): FlowEntry {
    const existing = this.entries.get(key);
    if (existing?.keep()) return existing;
    const entry = new FlowEntry(start);
    this.entries.set(key, entry);
    return entry;
  }
}

const stores = new WeakMap<object, FlowStore>();

/** One store per session (its services object). */
export function storeOf(session: object): FlowStore {
  let store = stores.get(session);
  if (store === undefined) {
    store = new FlowStore();
    stores.set(session, store);
  }
  return store;
}
