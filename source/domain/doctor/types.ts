/**
 * The doctor's vocabulary (SPEC §4.1, RULES.md §3): the snapshot of what the Azure APIs returned
 * for one scope, and the findings the rules draw from it. Plain data, safe to serialise: the
 * collector (azure/collector.ts) fills a Snapshot, the rules read nothing else, and the command
 * and the screen print the report.
 */
import type {
  BatchAccountSummary,
  NodeRow,
  PoolSummary,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
  UserAssignedIdentityInfo,
} from '../model.js';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stable rule ids (RULES.md §3). Never renumbered: scripts key on them. */
export type RuleId =
  | 'MI001'
  | 'MI002'
  | 'MI003'
  | 'MI004'
  | 'MI005'
  | 'MI006'
  | 'MI007'
  | 'MI008'
  | 'MI009'
  | 'MI010'
  | 'MI017'
  | 'MI018'
  | 'MI019'
  | 'MI020'
  | 'MI021'
  | 'MI024'
  | 'MI027'
  | 'MI028';

/** The in-app guided flow that fixes a finding (SPEC §4.2). */
export type FixFlow = 'pool-identity' | 'autostorage-mi' | 'account-identity';

export interface Fix {
  flow?: FixFlow;
  /** The `az` command (or ARM PATCH body) to copy, with the real ids filled in. */
  az: string;
  /** What the command alone does not say: a follow-up step, a wait, a caveat. */
  note?: string;
}

export type EvidenceValue = string | number | boolean | null | string[];

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** ARM id of the account or pool the finding is about. */
  resource: string;
  /** `account` or `account/pool`: how an operator names it. */
  resourceName: string;
  /** One line, as the operator sees the problem. */
  symptom: string;
  /** The property values that fired the rule, by property path. */
  evidence: Record<string, EvidenceValue>;
  fix: Fix;
}

/** Rules that could not be evaluated for a resource because their data could not be read. */
export interface NotChecked {
  rules: RuleId[];
  resource: string;
  reason: string;
}

export interface DoctorScope {
  subscriptionId: string;
  /** Batch account name. */
  account?: string;
  /** Pool id (with `account`). */
  pool?: string;
}

/** Microsoft.Storage/storageAccounts, the parts MI017 reads. */
export interface StorageAccountInfo {
  id: string;
  name: string;
  /** primaryEndpoints.blob, e.g. https://name.blob.core.windows.net/ */
  blobEndpoint?: string;
  publicNetworkAccess?: string;
  networkAcls: {
    defaultAction: 'Allow' | 'Deny';
    bypass?: string;
    virtualNetworkRules: Array<{ id: string; state?: string }>;
    ipRules: string[];
  };
}

/** Microsoft.KeyVault/vaults, the parts MI019 and MI021 read. */
export interface KeyVaultInfo {
  id: string;
  name: string;
  vaultUri: string;
  tenantId?: string;
  /** undefined: Azure omitted it (vaults created since 2020 have soft delete on). */
  enableSoftDelete?: boolean;
  /** Azure omits it while purge protection is off. */
  enablePurgeProtection?: boolean;
  enableRbacAuthorization: boolean;
  accessPolicies: Array<{ objectId: string; keys: string[] }>;
}

/** Microsoft.KeyVault/vaults/keys (ARM view, no key material), the parts MI020 reads. */
export interface KeyVaultKeyInfo {
  /** ARM id: {vaultId}/keys/{name}. */
  id: string;
  vaultId: string;
  name: string;
  kty?: string;
  keySize?: number;
  keyOps: string[];
  enabled?: boolean;
}

export interface PoolSnapshot {
  pool: PoolSummary;
  /** undefined: the nodes could not be read (see Snapshot.gaps). */
  nodes?: NodeRow[];
}

export interface AccountSnapshot {
  account: BatchAccountSummary;
  /** undefined: the pools could not be listed (see Snapshot.gaps). */
  pools?: PoolSnapshot[];
}

export type SnapshotPart =
  | 'pools'
  | 'nodes'
  | 'identity'
  | 'storageAccount'
  | 'storageAccounts'
  | 'roleAssignments'
  | 'roleDefinitions'
  | 'keyVaults'
  | 'key';

/** A part of the snapshot the collector could not read, and why (one sentence). */
export interface Gap {
  part: SnapshotPart;
  /** ARM id (or URL for a key) of what could not be read. */
  resource: string;
  reason: string;
}

export interface Snapshot {
  scope: DoctorScope;
  /** ARM endpoint for the `az rest` fixes (https://management.azure.com on Azure). */
  armEndpoint: string;
  /** When the snapshot was taken, on the clock the resources' timestamps use. */
  now: Date;
  accounts: AccountSnapshot[];
  /** User-assigned identities with principalId/clientId, from identity blocks and GETs. */
  identities: UserAssignedIdentityInfo[];
  storageAccounts: StorageAccountInfo[];
  /** Role assignments listed at `roleAssignmentScopes` (at, above and below each). */
  roleAssignments: RoleAssignmentInfo[];
  roleAssignmentScopes: string[];
  roleDefinitions: RoleDefinitionInfo[];
  /** undefined: not listed (no CMK account in scope, or the listing failed: see gaps). */
  keyVaults?: KeyVaultInfo[];
  keys: KeyVaultKeyInfo[];
  gaps: Gap[];
}

export interface DoctorReport {
  scope: DoctorScope;
  checkedAt: Date;
  findings: Finding[];
  notChecked: NotChecked[];
}
