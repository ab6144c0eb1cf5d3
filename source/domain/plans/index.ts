/**
 * Flow plans (SPEC §4.2): pure functions from (the current state, the operator's choices) to an
 * ordered plan. The state is the doctor's snapshot (azure/collector.ts reads it), so a plan and
 * the doctor judge the same reading of Azure. An empty plan means Azure already holds what was
 * asked: a re-run changes nothing.
 */
import type { Snapshot } from '../doctor/types.js';
import { planAccountIdentity } from './account-identity.js';
import { planAutoStorage } from './autostorage.js';
import { planPoolIdentity } from './pool-identity.js';
import { PlanState } from './state.js';
import type { FlowChoices, PlanResult } from './types.js';

export function planFlow(snapshot: Snapshot, choices: FlowChoices): PlanResult {
  const state = new PlanState(snapshot);
  switch (choices.flow) {
    case 'pool-identity':
      return planPoolIdentity(state, choices);
    case 'autostorage-mi':
      return planAutoStorage(state, choices);
    case 'account-identity':
      return planAccountIdentity(state, choices);
  }
}

export * from './types.js';
export {
  choicesForFinding,
  isComplete,
  type ChoiceNeed,
  type SuggestedChoices,
} from './choices.js';
export {
  ACCOUNT_WRITE,
  IDENTITY_ASSIGN,
  POOL_WRITE,
  ROLE_ASSIGNMENT_WRITE,
  allowsAction,
  evaluatePermissions,
  explainPermissions,
  missingByScope,
  needsOf,
  suggestRole,
  type MissingPermission,
  type PermissionCheck,
  type PermissionNeed,
} from './permissions.js';
export {
  appliedSteps,
  buildReport,
  describeReport,
  failedStep,
  notAppliedSteps,
  type ApplyOutcome,
  type ApplyReport,
  type ReportInput,
  type StepError,
  type StepResult,
  type StepStatus,
} from './report.js';
export { auditEntry, formatAuditEntry, scrub, type AuditActor, type AuditEntry } from './audit.js';
export {
  doctorVerifier,
  planResources,
  propagationPending,
  type Verifier,
  type VerifierResult,
} from './verify.js';
export { STUCK_STARTING_MS } from './recycle.js';
export { KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, systemIdentityName } from './steps.js';
