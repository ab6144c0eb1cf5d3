/**
 * The Flows screen's state and its one reducer: pick → plan (with the permission pre-check) →
 * confirm (the required steps, then each optional step on its own) → apply with progress →
 * report and verification. Pure; the controller runs the work the state asks for (`pendingWork`)
 * and hands the answers back as actions carrying the run they belong to, so an answer to an
 * older request never lands on a newer plan.
 */
import type { VerifyResult } from '../../../azure/flows/index.js';
import type { FlowProgress } from '../../../azure/flows/index.js';
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import { isEmptyPlan } from '../../../domain/plans/index.js';
import type {
  ApplyReport,
  FlowChoices,
  FlowId,
  PermissionCheck,
  Plan,
  PlanResult,
} from '../../../domain/plans/index.js';
import type { Problem } from '../../problem.js';
import { applyPick, choicesOf, draftOf, picksFor } from './choices.js';
import type { PickValue } from './choices.js';
import { currentPrompt, gateOf, promptKey } from './gate.js';
import { foldProgress } from './progress.js';
import type { StepLine } from './progress.js';
import type { Draft, FlowStart, PickKind } from './start.js';

export type Phase = 'pick' | 'planning' | 'plan' | 'applying' | 'report';

export type Check<T> =
  { status: 'running' } | { status: 'done'; value: T } | { status: 'failed'; problem: Problem };

export interface FlowState {
  flow: FlowId | undefined;
  offered: FlowId[];
  draft: Draft;
  account: BatchAccountSummary | undefined;
  pool: PoolSummary | undefined;
  needs: PickKind[] | undefined;
  origin: string | undefined;
  phase: Phase;
  /** The picker on display (phase 'pick'). */
  pick: PickKind | undefined;
  /** Bumped whenever new work starts; answers of an older run are dropped. */
  run: number;
  choices: FlowChoices | undefined;
  plan: Plan | undefined;
  permission: Check<PermissionCheck> | undefined;
  /** Answers so far: 'required' for the required steps, a step id for an optional step. */
  answers: Record<string, boolean>;
  /** Optional steps the operator confirmed, for the apply under way. */
  confirmed: string[];
  progress: StepLine[];
  report: ApplyReport | undefined;
  verify: Check<VerifyResult> | undefined;
  problem: Problem | undefined;
  /** A one-line note: a declined confirmation, why a key did nothing. */
  notice: string | undefined;
  showAz: boolean;
}

export type FlowAction =
  | { type: 'pick'; value: PickValue }
  | { type: 'planned'; run: number; result: PlanResult }
  | { type: 'planFailed'; run: number; problem: Problem }
  | { type: 'permission'; run: number; check: PermissionCheck }
  | { type: 'permissionFailed'; run: number; problem: Problem }
  | { type: 'answer'; yes: boolean; readOnly: boolean }
  | { type: 'progress'; run: number; event: FlowProgress }
  | { type: 'applied'; run: number; report: ApplyReport }
  | { type: 'applyFailed'; run: number; problem: Problem }
  | { type: 'verified'; run: number; result: VerifyResult }
  | { type: 'verifyFailed'; run: number; problem: Problem }
  /** `r`: plan again from Azure, or re-check the verification. */
  | { type: 'refresh' }
  | { type: 'toggleAz' };

export function initialFlowState(start: FlowStart): FlowState {
  const state: FlowState = {
    flow: start.flow,
    offered: start.offered ?? (start.flow ? [start.flow] : []),
    draft: start.draft,
    account: start.account,
    pool: start.pool,
    needs: start.needs,
    origin: start.origin,
    phase: 'pick',
    pick: undefined,
    run: 0,
    choices: undefined,
    plan: undefined,
    permission: undefined,
    answers: {},
    confirmed: [],
    progress: [],
    report: undefined,
    verify: undefined,
    problem: undefined,
    notice: undefined,
    showAz: false,
  };
  return advance(state);
}

/** The next picker, or planning once nothing is left to pick. */
function advance(state: FlowState): FlowState {
  if (state.flow === undefined) return { ...state, phase: 'pick', pick: 'flow' };
  const [next] = picksFor(state.flow, state.draft, state.account, state.needs);
  if (next !== undefined) return { ...state, phase: 'pick', pick: next };
  return replan(state, choicesOf(state.flow, state.draft));
}

function replan(state: FlowState, choices: FlowChoices | undefined): FlowState {
  const cleared = {
    ...state,
    pick: undefined,
    plan: undefined,
    permission: undefined,
    answers: {},
    confirmed: [],
    progress: [],
    report: undefined,
    verify: undefined,
    notice: undefined,
  };
  if (choices === undefined)
    return {
      ...cleared,
      phase: 'plan',
      problem: { text: 'Something the flow needs was not picked.', next: 'Open the flow again.' },
    };
  return { ...cleared, phase: 'planning', choices, problem: undefined, run: state.run + 1 };
}

/** What the controller should start now, if anything. */
export function pendingWork(
  state: FlowState,
): { op: 'plan' | 'permission' | 'apply' | 'verify'; run: number } | undefined {
  if (state.phase === 'planning') return { op: 'plan', run: state.run };
  if (state.phase === 'plan' && state.permission?.status === 'running')
    return { op: 'permission', run: state.run };
  if (state.phase === 'applying') return { op: 'apply', run: state.run };
  if (state.phase === 'report' && state.verify?.status === 'running')
    return { op: 'verify', run: state.run };
  return undefined;
}

const RERUN_OUTCOMES: ReadonlySet<ApplyReport['outcome']> = new Set([
  'failed',
  'conflict',
  'aborted',
  'denied',
  'read-only',
]);

/** Whether `r` on the report plans again (the run stopped) rather than re-checks. */
export function rerunsOnRefresh(state: FlowState): boolean {
  return state.report === undefined || RERUN_OUTCOMES.has(state.report.outcome);
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'pick': {
      if (state.phase !== 'pick') return state;
      const { value } = action;
      if (value.kind === 'audit') return state;
      if (value.kind === 'flow') return advance({ ...state, flow: value.flow });
      const account = value.kind === 'account' ? value.account : state.account;
      const draft = applyPick(state.draft, value);
      // Another account drops the pool picked for the previous one.
      const pool = value.kind === 'pool' ? value.pool : draft.pool ? state.pool : undefined;
      return advance({ ...state, account, pool, draft });
    }
    case 'planned':
      if (action.run !== state.run || state.phase !== 'planning') return state;
      if (!action.result.ok)
        return {
          ...state,
          phase: 'plan',
          problem: { text: action.result.problem, next: 'Press r to plan again, Esc to leave.' },
        };
      return {
        ...state,
        phase: 'plan',
        plan: action.result.plan,
        permission: isEmptyPlan(action.result.plan) ? undefined : { status: 'running' },
      };
    case 'planFailed':
      if (action.run !== state.run || state.phase !== 'planning') return state;
      return { ...state, phase: 'plan', problem: action.problem };
    case 'permission':
      if (action.run !== state.run || state.permission?.status !== 'running') return state;
      return { ...state, permission: { status: 'done', value: action.check } };
    case 'permissionFailed':
      if (action.run !== state.run || state.permission?.status !== 'running') return state;
      return { ...state, permission: { status: 'failed', problem: action.problem } };
    case 'answer':
      return answer(state, action.yes, action.readOnly);
    case 'progress':
      if (action.run !== state.run || state.phase !== 'applying') return state;
      return { ...state, progress: foldProgress(state.progress, action.event) };
    case 'applied': {
      if (action.run !== state.run || state.phase !== 'applying') return state;
      const { report } = action;
      const changed = report.steps.some(
        (s) => s.status === 'applied' || s.status === 'already-held',
      );
      return {
        ...state,
        phase: 'report',
        report,
        progress: report.steps.map((s) => ({
          status: s.status,
          ...(s.error ? { note: s.error.message } : s.detail ? { note: s.detail } : {}),
        })),
        // Verify by re-reading and re-running the doctor (SPEC §4.2) once something changed.
        verify: changed ? { status: 'running' } : undefined,
        run: changed ? state.run + 1 : state.run,
      };
    }
    case 'applyFailed':
      if (action.run !== state.run || state.phase !== 'applying') return state;
      return { ...state, phase: 'report', problem: action.problem };
    case 'verified':
      if (action.run !== state.run || state.verify?.status !== 'running') return state;
      return { ...state, verify: { status: 'done', value: action.result } };
    case 'verifyFailed':
      if (action.run !== state.run || state.verify?.status !== 'running') return state;
      return { ...state, verify: { status: 'failed', problem: action.problem } };
    case 'refresh':
      return refresh(state);
    case 'toggleAz':
      return { ...state, showAz: !state.showAz };
  }
}

function refresh(state: FlowState): FlowState {
  switch (state.phase) {
    case 'plan':
      if (state.permission?.status === 'running') return state;
      return replan(state, state.choices);
    case 'report':
      if (state.verify?.status === 'running') return state;
      if (rerunsOnRefresh(state)) {
        const choices = state.report?.resume ?? state.choices;
        return replan({ ...state, ...(choices ? { draft: draftOf(choices) } : {}) }, choices);
      }
      return { ...state, verify: { status: 'running' }, run: state.run + 1 };
    default:
      return state;
  }
}

function answer(state: FlowState, yes: boolean, readOnly: boolean): FlowState {
  const { plan } = state;
  if (state.phase !== 'plan' || plan === undefined || isEmptyPlan(plan)) return state;
  if (readOnly)
    return { ...state, notice: 'Read-only mode: nothing can be applied (:ro leaves it).' };
  const gate = gateOf(plan, state.permission);
  if (gate.checking) return { ...state, notice: 'Still checking your permissions…' };
  const current = currentPrompt(gate, state.answers);
  if (current === undefined) return state;
  if (current.kind === 'required' && !yes)
    return { ...state, answers: {}, notice: 'Declined: nothing was applied.' };
  const answers = { ...state.answers, [promptKey(current)]: yes };
  if (gate.prompts.some((p) => answers[promptKey(p)] === undefined))
    return { ...state, answers, notice: undefined };
  const confirmed = gate.prompts.flatMap((p) =>
    p.kind === 'optional' && answers[p.step.id] === true ? [p.step.id] : [],
  );
  const toRun = plan.steps.filter((s) => !s.optional || confirmed.includes(s.id));
  if (toRun.length === 0)
    return { ...state, answers: {}, notice: 'Declined: nothing was applied.' };
  return {
    ...state,
    phase: 'applying',
    answers,
    confirmed,
    notice: undefined,
    run: state.run + 1,
    progress: plan.steps.map((s) =>
      toRun.includes(s) ? { status: 'pending' } : { status: 'skipped', note: 'not confirmed' },
    ),
  };
}
