/**
 * Verification after applying (SPEC §4.2: "verify by re-reading and re-running the doctor"): the
 * doctor's rules over the re-read snapshot, narrowed to what the plan touched, plus the plan made
 * again from that snapshot — which must be empty once everything holds. Role assignments younger
 * than the documented propagation time are named with the time to re-check.
 */
import { PROPAGATION_MS, autoStorageUse, usesAutoStorage } from '../doctor/context.js';
import { runDoctor } from '../doctor/engine.js';
import type { Finding, Snapshot } from '../doctor/types.js';
import type { RoleAssignmentInfo } from '../model.js';
import { sameResourceId } from '../resource-id.js';
import type { Plan } from './types.js';

export interface VerifierResult {
  ok: boolean;
  /** Findings about what the plan touched (all severities). */
  findings: Finding[];
  summary: string;
}

/** The doctor when present; a caller may supply another (e.g. a narrower check). */
export type Verifier = (snapshot: Snapshot, plan: Plan) => VerifierResult;

/**
 * ARM ids a plan is about: its account, the pools its choices name (flow 1: the pool; flow 2: the
 * pools chosen, else those taking packages or files from autostorage) and the steps' targets.
 */
export function planResources(snapshot: Snapshot, plan: Plan): string[] {
  const c = plan.choices;
  const pools =
    snapshot.accounts.find((a) => sameResourceId(a.account.id, plan.account.id))?.pools ?? [];
  const named = pools.filter((p) =>
    c.flow === 'pool-identity'
      ? p.pool.name.toLowerCase() === c.pool.toLowerCase()
      : c.flow === 'autostorage-mi'
        ? c.pools
          ? c.pools.includes(p.pool.name)
          : usesAutoStorage(autoStorageUse(p.pool))
        : false,
  );
  return [plan.account.id, ...named.map((p) => p.pool.id), ...plan.steps.map((s) => s.target)];
}

export const doctorVerifier: Verifier = (snapshot, plan) => {
  const resources = planResources(snapshot, plan);
  const findings = runDoctor(snapshot).findings.filter((f) =>
    resources.some((r) => sameResourceId(r, f.resource)),
  );
  const errors = findings.filter((f) => f.severity === 'error' || f.severity === 'critical');
  return {
    ok: errors.length === 0,
    findings,
    summary: errors.length
      ? `the doctor still reports ${errors.length} error(s): ${[...new Set(errors.map((f) => `${f.rule} on ${f.resourceName}`))].join(', ')}`
      : `the doctor reports no error for ${plan.account.name}`,
  };
};

/** Role assignments on the plan's principals younger than the propagation time, and when to re-check. */
export function propagationPending(
  assignments: readonly RoleAssignmentInfo[],
  now: Date,
): { assignments: RoleAssignmentInfo[]; recheckAt?: Date } {
  const young = assignments.filter(
    (a) => a.createdOn && now.getTime() - a.createdOn.getTime() < PROPAGATION_MS,
  );
  if (!young.length) return { assignments: [] };
  const last = Math.max(...young.map((a) => a.createdOn?.getTime() ?? 0));
  return { assignments: young, recheckAt: new Date(last + PROPAGATION_MS) };
}
