/**
 * The guided flows' vocabulary (SPEC §4.2): what the operator chose, and the plan that follows
 * from it and from what Azure holds now. A plan is plain data, safe to show as a diff, to
 * serialise and to compare: ordered steps, each with exactly what it changes (before/after), the
 * `az` command that does the same, and the permissions it needs.
 */
import type { FixFlow } from '../doctor/types.js';
import type { AccountPatch, PoolPatch } from '../model.js';

/** The three flows; the ids the doctor's findings name in `fix.flow`. */
export type FlowId = FixFlow;

export const FLOW_TITLES: Record<FlowId, string> = {
  'pool-identity': 'Attach a user-assigned identity to a pool',
  'autostorage-mi': 'Autostorage with managed identity',
  'account-identity': 'Account identity for autostorage and customer-managed keys',
};

/** How the new identity joins the resource's existing ones. */
export type IdentityMode = 'add' | 'replace';

/** A pool size to come back to: a resize to 0 that stopped before going back (see `restore`). */
export interface PoolSize {
  poolId: string;
  dedicated: number;
  lowPriority: number;
}

interface ChoicesBase {
  /** ARM id of the Batch account the flow works on. */
  accountId: string;
  /**
   * Offer the separate, optional resize-to-0-and-back step where nodes would otherwise keep what
   * they got when they were allocated. Default true.
   */
  recycle?: boolean;
  /** Sizes to restore (from a report whose resize stopped half-way). */
  restore?: PoolSize[];
}

/** Flow 1: attach a user-assigned identity to a pool. */
export interface PoolIdentityChoices extends ChoicesBase {
  flow: 'pool-identity';
  /** The pool id (its ARM name). */
  pool: string;
  /** ARM id of the user-assigned identity to attach. */
  identityId: string;
  /** `add` (default) keeps the pool's other identities; `replace` leaves only this one. */
  mode?: IdentityMode;
}

export type AccountIdentityChoice =
  { type: 'SystemAssigned' } | { type: 'UserAssigned'; resourceId: string };

/** Flow 2: autostorage in BatchAccountManagedIdentity mode, end to end. */
export interface AutoStorageChoices extends ChoicesBase {
  flow: 'autostorage-mi';
  /** ARM id of the storage account to link. */
  storageAccountId: string;
  /** ARM id of the user-assigned identity nodes use (autoStorage.nodeIdentityReference). */
  nodeIdentityId: string;
  /** The identity to give the account when it has none (MI001). */
  accountIdentity?: AccountIdentityChoice;
  /** Pools to put the node identity on; default: those that take packages or files from autostorage. */
  pools?: string[];
}

/** Flow 3: the account's own identity (used by the Batch service, never by nodes). */
export interface AccountIdentityChoices extends ChoicesBase {
  flow: 'account-identity';
  identity: AccountIdentityChoice;
  /** For a user-assigned identity: `add` (default) keeps the others; SystemAssigned always replaces. */
  mode?: IdentityMode;
  /** Give it Storage Blob Data Contributor on managed-identity autostorage. Default true. */
  grantAutoStorage?: boolean;
  /** Give it key access on an RBAC customer-managed-key vault. Default true. */
  grantKeyVault?: boolean;
}

export type FlowChoices = PoolIdentityChoices | AutoStorageChoices | AccountIdentityChoices;

export type StepKind =
  | 'patch-account-identity'
  | 'patch-account-autostorage'
  | 'patch-pool-identity'
  | 'create-role-assignment'
  | 'resize-pool';

export type ChangeValue = string | string[] | null;

/** One property that changes: the diff line a screen shows. */
export interface Change {
  /** Property path as ARM names it: `identity.userAssignedIdentities`, `properties.autoStorage.nodeIdentityReference`. */
  path: string;
  before: ChangeValue;
  after: ChangeValue;
}

/** An ARM action a step needs, at a scope (what AuthorizationFailed would name). */
export interface RequiredPermission {
  action: string;
  scope: string;
  /** Why the step needs it, in operator words. */
  why: string;
}

export interface AccountTarget {
  id: string;
  resourceGroup: string;
  name: string;
}

export interface PoolTarget {
  id: string;
  resourceGroup: string;
  accountName: string;
  accountId: string;
  /** The pool id. */
  name: string;
  /** The ETag the plan was made from: pool writes send it as If-Match. */
  etag?: string;
}

/** Who receives a role: known now, or known only once an earlier step has run. */
export type PrincipalRef =
  | { kind: 'principal'; principalId: string; name: string }
  /** A user-assigned identity whose principalId could not be read while planning. */
  | { kind: 'user-assigned'; resourceId: string; name: string }
  /** The account's system-assigned identity: it exists once the identity step has run. */
  | { kind: 'account-system'; accountId: string; name: string };

interface StepBase {
  /** Stable across re-plans of the same world: a re-run shows the same ids for what is left. */
  id: string;
  title: string;
  /** ARM id of what the step changes. */
  target: string;
  /** How an operator names it: `account/pool`, a storage account name. */
  targetName: string;
  changes: Change[];
  /** The equivalent command to copy. */
  az: string;
  /** The command that puts back what the step changes (known for PATCHes at plan time). */
  undo?: string;
  permissions: RequiredPermission[];
  /** Optional steps need their own confirmation (SPEC §4.2: resize is a separate confirmed step). */
  optional: boolean;
  /** Why the step is there (rule, evidence), one line. */
  reason: string;
}

export interface PatchAccountIdentityStep extends StepBase {
  kind: 'patch-account-identity';
  account: AccountTarget;
  patch: Required<Pick<AccountPatch, 'identity'>>;
}

export interface PatchAccountAutoStorageStep extends StepBase {
  kind: 'patch-account-autostorage';
  account: AccountTarget;
  patch: Required<Pick<AccountPatch, 'autoStorage'>>;
}

export interface PatchPoolIdentityStep extends StepBase {
  kind: 'patch-pool-identity';
  pool: PoolTarget;
  patch: Required<Pick<PoolPatch, 'identity'>>;
}

export interface CreateRoleAssignmentStep extends StepBase {
  kind: 'create-role-assignment';
  scope: string;
  role: { name: string; guid: string };
  principal: PrincipalRef;
}

export interface ResizePoolStep extends StepBase {
  kind: 'resize-pool';
  pool: PoolTarget;
  /** The size to come back to. */
  size: { dedicated: number; lowPriority: number };
  /** true: resize to 0, wait until steady, then back; false: only back (a resumed resize). */
  viaZero: boolean;
}

export type PlanStep =
  | PatchAccountIdentityStep
  | PatchAccountAutoStorageStep
  | PatchPoolIdentityStep
  | CreateRoleAssignmentStep
  | ResizePoolStep;

export type WarningCode =
  | 'existing-nodes'
  | 'role-propagation'
  | 'multiple-identities'
  | 'reference-not-on-pool'
  | 'autoscale'
  | 'firewall'
  | 'cmk-access'
  | 'identity-replaced'
  | 'unconfirmed-roles'
  | 'manual-step';

/** What the documents say the operator must know before confirming. */
export interface PlanWarning {
  code: WarningCode;
  message: string;
  /** The document the warning rests on (RULES.md source tags). */
  source: string;
}

export interface Plan {
  flow: FlowId;
  title: string;
  choices: FlowChoices;
  account: AccountTarget;
  steps: PlanStep[];
  warnings: PlanWarning[];
  /** When the state the plan was made from was read (the snapshot's clock). */
  basedOn: Date;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problem: string };

/** Nothing to change: the world already holds what was asked (idempotent re-run). */
export const isEmptyPlan = (plan: Plan): boolean => plan.steps.length === 0;

/** The steps that need no separate confirmation. */
export const requiredSteps = (plan: Plan): PlanStep[] => plan.steps.filter((s) => !s.optional);
