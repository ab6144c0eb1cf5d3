/**
 * The Token screen's state (SPEC §5): which pool identity, the steps as they complete, and the
 * outcome. Pure. The token itself never enters this state: only its first 8 characters.
 */
import type { StepResult } from '../../../domain/token/steps.js';

export interface TokenState {
  identity: number;
  run:
    | { kind: 'idle' }
    | { kind: 'running'; steps: StepResult[] }
    | { kind: 'done'; steps: StepResult[]; passed: boolean; token?: string }
    | { kind: 'failed'; message: string };
}

export type TokenAction =
  | { type: 'cycle'; choices: number }
  | { type: 'started' }
  | { type: 'step'; step: StepResult }
  | { type: 'done'; passed: boolean; steps: StepResult[]; token?: string }
  | { type: 'failed'; message: string };

export const initialToken = (identity = 0): TokenState => ({ identity, run: { kind: 'idle' } });

export function tokenReducer(state: TokenState, action: TokenAction): TokenState {
  switch (action.type) {
    case 'cycle':
      if (state.run.kind === 'running' || action.choices <= 0) return state;
      return { identity: (state.identity + 1) % action.choices, run: { kind: 'idle' } };
    case 'started':
      return { ...state, run: { kind: 'running', steps: [] } };
    case 'step':
      if (state.run.kind !== 'running') return state;
      return { ...state, run: { kind: 'running', steps: [...state.run.steps, action.step] } };
    case 'done':
      return {
        ...state,
        run: {
          kind: 'done',
          steps: action.steps,
          passed: action.passed,
          // Never more than the first 8 characters, whatever the caller handed in.
          ...(action.token !== undefined ? { token: action.token.slice(0, 8) } : {}),
        },
      };
    case 'failed':
      return { ...state, run: { kind: 'failed', message: action.message } };
  }
}

/** The failed step whose fix is a guided flow, if any. */
export function flowStep(state: TokenState): StepResult | undefined {
  return state.run.kind === 'done' ? state.run.steps.find((s) => s.flow !== undefined) : undefined;
}
