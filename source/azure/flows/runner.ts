/**
 * The guided flows' engine (SPEC §4.2, issue 7): read → plan → check permissions → apply step by
 * step with progress → verify. It stops at the first failure and reports exactly what was
 * applied, what failed (in plain words) and what was not, with what to run to finish. A re-run
 * plans again from a fresh reading of Azure, so it does only what is left.
 */
import { PROPAGATION_MS } from '../../domain/doctor/context.js';
import type { DomainError } from '../../domain/errors.js';
import {
  auditEntry,
  buildReport,
  doctorVerifier,
  isEmptyPlan,
  planFlow,
  propagationPending,
  requiredSteps,
  type ApplyOutcome,
  type ApplyReport,
  type FlowChoices,
  type PermissionCheck,
  type Plan,
  type PlanStep,
  type StepResult,
  type Verifier,
} from '../../domain/plans/index.js';
import { isAbortError, toDomainError } from '../errors.js';
import { sleep as realSleep } from '../retry.js';
import type { ExecContext } from './context.js';
import { execute } from './execute.js';
import { checkPlanPermissions } from './permissions.js';
import { readFlowState } from './read.js';
import type { ApplyOptions, FlowRunnerOptions, PlannedFlow, VerifyResult } from './types.js';

/** The error in plain words: the step's title already says what was being done. */
function stepError(step: PlanStep, error: DomainError): StepResult['error'] {
  const conflict = error.kind === 'Conflict' && error.statusCode === 412;
  const prefix = error.operation ? `${error.operation}: ` : '';
  const plain =
    prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return {
    kind: error.kind,
    message: conflict
      ? `${step.targetName} was changed by someone else since the plan was read (If-Match ${'pool' in step ? (step.pool.etag ?? '') : ''} no longer matches); nothing was overwritten`
      : plain,
    nextStep: conflict ? 'Re-read and plan again from the pool as it is now' : error.nextStep,
    ...(error.azureCode ? { azureCode: error.azureCode } : {}),
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
}

export class FlowRunner {
  private readonly now: () => Date;
  private readonly verifier: Verifier;

  constructor(private readonly options: FlowRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.verifier = options.verifier ?? doctorVerifier;
  }

  get caller() {
    return this.options.caller;
  }

  isReadOnly(): boolean {
    const ro = this.options.readOnly;
    return typeof ro === 'function' ? ro() : ro === true;
  }

  /** The state the choices need (the doctor's snapshot of the account, plus what they name). */
  read(choices: FlowChoices, signal?: AbortSignal) {
    return readFlowState(this.options.collector, choices, {
      now: this.now,
      ...(signal ? { signal } : {}),
    });
  }

  async plan(choices: FlowChoices, signal?: AbortSignal): Promise<PlannedFlow> {
    const snapshot = await this.read(choices, signal);
    return { snapshot, result: planFlow(snapshot, choices) };
  }

  /** The permission pre-check alone (for the screen to show before asking to confirm). */
  checkPermissions(
    plan: Plan,
    stepIds?: ReadonlySet<string>,
    signal?: AbortSignal,
  ): Promise<PermissionCheck> {
    return checkPlanPermissions(
      this.options.collector.gateways.authorization,
      plan,
      this.options.caller,
      stepIds,
      signal ? { signal } : {},
    );
  }

  async apply(plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
    const { onProgress, signal } = options;
    const confirmed = (s: PlanStep) =>
      !s.optional ||
      options.confirmed === true ||
      (Array.isArray(options.confirmed) && options.confirmed.includes(s.id));
    const results: StepResult[] = plan.steps.map((step) => ({ step, status: 'not-applied' }));
    const toRun = new Set(plan.steps.filter(confirmed).map((s) => s.id));
    const auditProblems: string[] = [];
    const ctx: ExecContext = {
      gateways: this.options.collector.gateways,
      call: signal ? { signal } : {},
      etags: new Map(),
      grants: [],
      now: this.now,
      sleep: this.options.sleep ?? realSleep,
      pollMs: this.options.resize?.pollMs ?? 15_000,
      timeoutMs: this.options.resize?.timeoutMs ?? 30 * 60_000,
      propagationMs: this.options.propagationMs ?? PROPAGATION_MS,
      waiting: () => undefined,
    };
    // The report as things stand: a resize stopped at 0 nodes is carried in it.
    const report = (outcome: ApplyOutcome, permission?: PermissionCheck, half = ctx.half) =>
      buildReport({
        plan,
        outcome,
        steps: results,
        ...(permission ? { permission } : {}),
        ...(half ? { halfResized: half } : {}),
        auditProblems,
      });

    if (isEmptyPlan(plan)) return report('nothing-to-do');
    if (this.isReadOnly()) return report('read-only');
    let permission: PermissionCheck | undefined;
    if (options.permissionCheck !== 'skip') {
      onProgress?.({ type: 'checking-permissions' });
      permission = await this.checkPermissions(plan, toRun, signal);
      if (permission.verdict === 'denied') return report('denied', permission);
    }

    for (const [index, step] of plan.steps.entries()) {
      if (!toRun.has(step.id)) {
        results[index] = { step, status: 'skipped', detail: 'not confirmed' };
        onProgress?.({ type: 'step-done', index, result: results[index] });
        continue;
      }
      if (signal?.aborted) return report('aborted', permission);
      onProgress?.({ type: 'step-started', index, total: plan.steps.length, step });
      ctx.waiting = (message) => onProgress?.({ type: 'step-waiting', index, step, message });
      ctx.call = {
        ...(signal ? { signal } : {}),
        onRetry: (event) => onProgress?.({ type: 'retry', index, event }),
      };
      try {
        const done = await execute(step, ctx);
        results[index] = { step, ...done };
      } catch (error) {
        if (isAbortError(error)) return report('aborted', permission);
        const domain = toDomainError(error, { operation: step.title });
        results[index] = { step, status: 'failed', error: stepError(step, domain) };
        await this.audit(results[index], plan, auditProblems);
        onProgress?.({ type: 'step-done', index, result: results[index] });
        const nothingYet = !results.some(
          (r) => r.status === 'applied' || r.status === 'already-held',
        );
        const outcome: ApplyOutcome =
          domain.kind === 'ReadOnly' && nothingYet
            ? 'read-only'
            : domain.kind === 'Conflict' && domain.statusCode === 412
              ? 'conflict'
              : 'failed';
        return report(outcome, permission);
      }
      await this.audit(results[index], plan, auditProblems);
      onProgress?.({ type: 'step-done', index, result: results[index] });
    }
    return report('completed', permission);
  }

  private async audit(result: StepResult | undefined, plan: Plan, problems: string[]) {
    const sink = this.options.audit;
    const entry = result && auditEntry(result, plan.flow, this.options.caller, new Date());
    if (!sink || !entry) return;
    try {
      await sink.append(entry);
    } catch (error) {
      problems.push(
        `could not record "${entry.what}": ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Re-reads Azure, runs the verifier (the doctor) over what the plan touched, and plans again:
   * once everything holds the new plan has no required step. Role assignments younger than the
   * documented 10 minutes are named with the time to re-check.
   */
  async verify(
    plan: Plan,
    options: { signal?: AbortSignal; verifier?: Verifier; choices?: FlowChoices } = {},
  ): Promise<VerifyResult> {
    const choices = options.choices ?? plan.choices;
    const snapshot = await this.read(choices, options.signal);
    const verdict = (options.verifier ?? this.verifier)(snapshot, plan);
    const remaining = planFlow(snapshot, choices);
    const roleSteps = plan.steps.filter((s) => s.kind === 'create-role-assignment');
    const young = snapshot.roleAssignments.filter((a) =>
      roleSteps.some(
        (s) =>
          s.kind === 'create-role-assignment' &&
          a.scope.toLowerCase() === s.scope.toLowerCase() &&
          a.roleDefinitionName === s.role.guid.toLowerCase(),
      ),
    );
    const propagation = propagationPending(young, snapshot.now);
    const left = remaining.ok ? requiredSteps(remaining.plan) : [];
    const ok = verdict.ok && remaining.ok && left.length === 0;
    const parts = [
      verdict.summary,
      !remaining.ok
        ? `could not plan again: ${remaining.problem}`
        : left.length
          ? `${left.length} step(s) still to apply`
          : remaining.plan.steps.length
            ? `${remaining.plan.steps.length} optional step(s) not yet done`
            : 'nothing left to change',
      ...(propagation.recheckAt
        ? [
            `new role assignments can take up to 10 minutes to work: re-check after ${propagation.recheckAt.toISOString()}`,
          ]
        : []),
    ];
    return { snapshot, verdict, remaining, propagation, ok, summary: `${parts.join('; ')}.` };
  }
}
