/**
 * The result of applying a plan, exact enough that the operator is never left guessing (SPEC
 * §4.2): which steps were applied, which failed and why in plain words, which were not applied,
 * and what to run to finish — or to undo. Pure: the runner fills it, screens and commands print it.
 */
import type { DomainErrorKind } from '../errors.js';
import { explainPermissions, missingByScope, type PermissionCheck } from './permissions.js';
import type { FlowChoices, Plan, PlanStep, PoolSize } from './types.js';

export type StepStatus = 'applied' | 'already-held' | 'failed' | 'not-applied' | 'skipped';

export interface StepError {
  kind: DomainErrorKind;
  /** One sentence, plain words. */
  message: string;
  nextStep: string;
  azureCode?: string;
  statusCode?: number;
  requestId?: string;
}

export interface StepResult {
  step: PlanStep;
  status: StepStatus;
  /** What happened, one line: "role assignment created", "already held", "not confirmed". */
  detail?: string;
  error?: StepError;
  /** The command that reverts an applied step. */
  undo?: string;
}

export type ApplyOutcome =
  /** Every step ran (optional ones the operator did not confirm are `skipped`). */
  | 'completed'
  | 'nothing-to-do'
  /** A step failed; the ones before it stay applied. */
  | 'failed'
  /** A pool changed since the plan was read (ETag): nothing of it was overwritten. */
  | 'conflict'
  /** The permission pre-check found a missing permission: nothing was applied. */
  | 'denied'
  | 'read-only'
  | 'aborted';

export interface ApplyReport {
  flow: Plan['flow'];
  title: string;
  outcome: ApplyOutcome;
  /** One sentence. */
  summary: string;
  steps: StepResult[];
  permission?: PermissionCheck;
  /** What to run to finish, one command or sentence per line. */
  toFinish: string[];
  /** The choices a re-run should use (with sizes to restore after a half-done resize). */
  resume: FlowChoices;
  /** Audit lines that could not be written (the changes themselves are made). */
  auditProblems: string[];
}

export const appliedSteps = (r: ApplyReport): StepResult[] =>
  r.steps.filter((s) => s.status === 'applied' || s.status === 'already-held');
export const failedStep = (r: ApplyReport): StepResult | undefined =>
  r.steps.find((s) => s.status === 'failed');
export const notAppliedSteps = (r: ApplyReport): StepResult[] =>
  r.steps.filter((s) => s.status === 'not-applied');

const RERUN =
  'Or run the flow again: it re-reads Azure and plans only what is left, picking up where this run stopped.';

export interface ReportInput {
  plan: Plan;
  outcome: ApplyOutcome;
  steps: StepResult[];
  permission?: PermissionCheck;
  /** A resize that reached 0 but not its size back. */
  halfResized?: PoolSize;
  auditProblems?: string[];
}

export function buildReport(input: ReportInput): ApplyReport {
  const { plan, outcome, steps } = input;
  const applied = steps.filter((s) => s.status === 'applied' || s.status === 'already-held');
  const failed = steps.find((s) => s.status === 'failed');
  const left = steps.filter((s) => s.status === 'not-applied' || s.status === 'failed');
  const restore = [
    ...(plan.choices.restore ?? []).filter(
      (r) => r.poolId.toLowerCase() !== input.halfResized?.poolId.toLowerCase(),
    ),
    ...(input.halfResized ? [input.halfResized] : []),
  ];
  const resume: FlowChoices = { ...plan.choices, ...(restore.length ? { restore } : {}) };
  const count = (n: number, what: string) => `${n} step${n === 1 ? '' : 's'} ${what}`;
  const toFinish: string[] = [];
  let summary: string;
  switch (outcome) {
    case 'nothing-to-do':
      summary = 'Nothing to change: Azure already holds what was asked.';
      break;
    case 'read-only':
      summary = 'Read-only mode: nothing applied.';
      toFinish.push('Leave read-only mode (:ro, or start without --read-only), then apply again.');
      break;
    case 'denied':
      summary = `Nothing applied: you lack ${input.permission ? missingByScope(input.permission).length : 0} permission(s) this plan needs.`;
      toFinish.push(...(input.permission ? explainPermissions(input.permission) : []));
      toFinish.push(...left.map((s) => s.step.az));
      break;
    case 'completed': {
      const skipped = steps.filter((s) => s.status === 'skipped');
      summary = `${count(applied.length, 'applied')}${skipped.length ? `; ${count(skipped.length, 'not confirmed')}` : ''}.`;
      toFinish.push(...skipped.map((s) => `${s.step.title}: ${s.step.az}`));
      break;
    }
    default: {
      const what =
        outcome === 'conflict'
          ? `${failed?.step.targetName ?? 'a resource'} was changed by someone else since the plan was read; nothing of theirs was overwritten`
          : outcome === 'aborted'
            ? 'stopped before it finished'
            : `step "${failed?.step.title ?? '?'}" failed: ${failed?.error?.message ?? 'unknown error'}`;
      summary = `${count(applied.length, 'applied')}, ${count(left.length, 'not applied')}: ${what.replace(/\.+$/, '')}.`;
      if (input.halfResized)
        toFinish.push(
          `Pool ${failed?.step.targetName ?? input.halfResized.poolId} is at 0 nodes: size it back to ${input.halfResized.dedicated} dedicated and ${input.halfResized.lowPriority} low-priority nodes (a re-run does it).`,
        );
      if (outcome === 'conflict')
        toFinish.push(
          'Re-read (r) and plan again: the new plan starts from the pool as it is now.',
        );
      else toFinish.push('To finish by hand, run:', ...left.map((s) => s.step.az));
      toFinish.push(RERUN);
    }
  }
  return {
    flow: plan.flow,
    title: plan.title,
    outcome,
    summary,
    steps,
    ...(input.permission ? { permission: input.permission } : {}),
    toFinish,
    resume,
    auditProblems: input.auditProblems ?? [],
  };
}

const MARK: Record<StepStatus, string> = {
  applied: '✓',
  'already-held': '✓',
  failed: '✗',
  'not-applied': '·',
  skipped: '–',
};

/** The report as lines (commands, the doctor-like text screens): one per step, then what to do. */
export function describeReport(r: ApplyReport): string[] {
  const lines = [r.summary];
  r.steps.forEach((s, i) => {
    const detail = s.error ? `: ${s.error.message}` : s.detail ? ` (${s.detail})` : '';
    lines.push(`${MARK[s.status]} ${i + 1}. ${s.step.title} — ${s.status}${detail}`);
  });
  if (r.toFinish.length) lines.push('', ...r.toFinish);
  const undo = r.steps.filter((s) => s.undo);
  if (undo.length && r.outcome !== 'completed')
    lines.push('', 'To undo what was applied:', ...undo.map((s) => s.undo ?? ''));
  for (const p of r.auditProblems) lines.push(`audit log: ${p}`);
  return lines;
}
