/**
 * What stands between a plan and Azure: the permission pre-check and the confirmations. The
 * required steps are confirmed together; each optional step (a resize to 0 and back, which
 * stops what runs on the pool's nodes) is confirmed on its own (SPEC §4.2). A required step
 * whose permission is missing refuses the apply; an optional one is not offered. Pure.
 */
import type { PermissionCheck, Plan, PlanStep } from '../../../domain/plans/index.js';
import { requiredSteps } from '../../../domain/plans/index.js';
import type { Check } from './state.js';

export type Prompt = { kind: 'required'; steps: PlanStep[] } | { kind: 'optional'; step: PlanStep };

export interface Gate {
  /** The questions to ask, in order (none while checking or when refused). */
  prompts: Prompt[];
  /** The permission pre-check is still running. */
  checking: boolean;
  /** A required step needs a permission the operator lacks: nothing may be applied. */
  refused: boolean;
  /** Optional steps not offered because their permission is missing. */
  withheld: PlanStep[];
  /** The check could not tell (a role held through a group, a definition not readable). */
  unsure: boolean;
}

export const promptKey = (p: Prompt): string => (p.kind === 'required' ? 'required' : p.step.id);

export function missingSteps(check: PermissionCheck | undefined): Set<string> {
  return new Set(check?.verdict === 'denied' ? check.missing.map((m) => m.stepId) : []);
}

export function gateOf(plan: Plan, permission: Check<PermissionCheck> | undefined): Gate {
  const checking = permission?.status === 'running';
  const check = permission?.status === 'done' ? permission.value : undefined;
  const missing = missingSteps(check);
  const required = requiredSteps(plan);
  const refused = required.some((s) => missing.has(s.id));
  const optional = plan.steps.filter((s) => s.optional);
  const withheld = optional.filter((s) => missing.has(s.id));
  const unsure = permission?.status === 'failed' || check?.verdict === 'unknown';
  if (checking || refused) return { prompts: [], checking, refused, withheld, unsure };
  const prompts: Prompt[] = [
    ...(required.length ? [{ kind: 'required' as const, steps: required }] : []),
    ...optional
      .filter((s) => !missing.has(s.id))
      .map((step) => ({ kind: 'optional' as const, step })),
  ];
  return { prompts, checking, refused, withheld, unsure };
}

/** The question on screen now, or undefined when every prompt is answered (or none is due). */
export function currentPrompt(gate: Gate, answers: Record<string, boolean>): Prompt | undefined {
  return gate.prompts.find((p) => answers[promptKey(p)] === undefined);
}
