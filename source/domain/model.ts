/**
 * What the program knows about Azure, in Azure's own words (`identity`, `autoStorage`,
 * `nodeIdentityReference`, `userAssignedIdentities`), so that an operator reading the code or the
 * JSON recognises the portal. Gateways fill these from the SDK models; screens, commands and the
 * doctor read only these. Plain data: no classes, no methods, safe to diff and to serialise.
 */

/** Where a resource lives, parsed from its ARM id. */
export interface ArmLocation {
  /** The ARM resource id, as Azure returned it. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
}

/** A user-assigned identity as an `userAssignedIdentities` map entry shows it. */
export interface UserAssignedIdentityRef {
  /** ARM id (the map key). Azure varies the case: compare with sameResourceId. */
  resourceId: string;
  /** Last segment of the id. */
  name: string;
  principalId?: string;
  clientId?: string;
}

/** BatchAccountIdentity. */
export interface BatchAccountIdentity {
  type: 'None' | 'SystemAssigned' | 'UserAssigned';
  /** SystemAssigned only. */
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities: UserAssignedIdentityRef[];
}

/** BatchPoolIdentity. */
export interface BatchPoolIdentity {
  type: 'None' | 'UserAssigned';
  userAssignedIdentities: UserAssignedIdentityRef[];
}

export type AutoStorageAuthenticationMode = 'StorageKeys' | 'BatchAccountManagedIdentity';

/** AutoStorageProperties. */
export interface AutoStorage {
  storageAccountId: string;
  /** Azure omits it for StorageKeys accounts: undefined means StorageKeys. */
  authenticationMode: AutoStorageAuthenticationMode;
  nodeIdentityReference?: { resourceId: string };
  lastKeySync?: Date;
}

/** EncryptionProperties, with what the CMK rules need pre-computed. */
export interface AccountEncryption {
  keySource: 'Microsoft.Batch' | 'Microsoft.KeyVault';
  keyIdentifier?: string;
  /** A key identifier without a version follows key rotation (…/keys/name vs …/keys/name/version). */
  versionless?: boolean;
}

export type AuthenticationMode = 'SharedKey' | 'AAD' | 'TaskAuthenticationToken';

/** One row of the Accounts screen, and the doctor's view of an account. */
export interface BatchAccountSummary extends ArmLocation {
  name: string;
  location: string;
  /** Host name without scheme; the data plane's batchUrl is `https://` + this. */
  accountEndpoint?: string;
  provisioningState?: string;
  poolAllocationMode?: 'BatchService' | 'UserSubscription';
  identity: BatchAccountIdentity;
  autoStorage?: AutoStorage;
  encryption: AccountEncryption;
  allowedAuthenticationModes: AuthenticationMode[];
  publicNetworkAccess?: string;
  tags: Record<string, string>;
}

/** Account detail adds what only the detail screen and the JSON view show. */
export interface BatchAccountDetail extends BatchAccountSummary {
  keyVaultReference?: { id: string; url: string };
  poolQuota?: number;
  dedicatedCoreQuota?: number;
  lowPriorityCoreQuota?: number;
  /** The resource as ARM served it, for the `y` JSON view. */
  raw: unknown;
}

/** Where in a pool's specification an `identityReference` appears (rule MI009). */
export interface IdentityReferenceUse {
  resourceId: string;
  /** e.g. `startTask.resourceFiles[0]`, `containerRegistries[1]`, `mountConfiguration[0]`. */
  where: string;
}

/** A resource file of the start task: the autostorage kind matters to MI003. */
export interface ResourceFileRef {
  autoStorageContainerName?: string;
  storageContainerUrl?: string;
  httpUrl?: string;
  identityReference?: { resourceId: string };
}

export type AllocationState = 'Steady' | 'Resizing' | 'Stopping';

/** A pool as the Pools screen and the doctor see it (ARM's Pool, identity-relevant parts). */
export interface PoolSummary extends ArmLocation {
  /** The pool id within the account (the ARM resource name). */
  name: string;
  accountName: string;
  /** ARM id of the owning Batch account. */
  accountId: string;
  /** ETag for If-Match on update. */
  etag?: string;
  displayName?: string;
  vmSize?: string;
  identity: BatchPoolIdentity;
  applicationPackages: Array<{ id: string; version?: string }>;
  /** certificateReferences: retired on 29 Feb 2024 (MI024). Certificate ids. */
  certificates: string[];
  startTaskResourceFiles: ResourceFileRef[];
  identityReferences: IdentityReferenceUse[];
  /** Kinds of mounts: azureBlobFileSystemConfiguration, azureFileShareConfiguration, ... */
  mountKinds: string[];
  /** VM extensions by type, with the KeyVault extension's msiClientId if set (MI025). */
  extensions: Array<{ name: string; type: string; msiClientId?: string }>;
  subnetId?: string;
  allocationState?: AllocationState;
  allocationStateTransitionTime?: Date;
  provisioningState?: string;
  currentDedicatedNodes: number;
  currentLowPriorityNodes: number;
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  autoScale: boolean;
  resizeErrors: Array<{ code: string; message: string }>;
  creationTime?: Date;
  /** Changes when pool-level settings (identity included) change: MI010 compares it with node allocationTime. */
  lastModified?: Date;
  raw?: unknown;
}

/** ComputeNodeState as the Batch data plane sends it (lower case on the wire). */
export const NODE_STATES = [
  'creating',
  'starting',
  'waitingforstarttask',
  'starttaskfailed',
  'idle',
  'running',
  'rebooting',
  'reimaging',
  'leavingpool',
  'offline',
  'preempted',
  'unusable',
  'unknown',
] as const;
export type NodeState = (typeof NODE_STATES)[number];

export function isNodeState(value: string): value is NodeState {
  return (NODE_STATES as readonly string[]).includes(value);
}

export interface NodeError {
  code: string;
  message: string;
  details: Array<{ name: string; value: string }>;
}

/** One row of the Nodes screen: only what `$select` fetches, so 10,000 rows stay small. */
export interface NodeRow {
  id: string;
  state: NodeState;
  schedulingState?: 'enabled' | 'disabled';
  stateTransitionTime?: Date;
  allocationTime?: Date;
  ipAddress?: string;
  isDedicated?: boolean;
  errors: NodeError[];
  /** startTaskInfo.failureInfo when the start task failed (MI018). */
  startTaskFailure?: { code: string; message: string; category?: string };
}

/** A single node with everything the node detail / JSON view shows. */
export interface NodeDetail extends NodeRow {
  vmSize?: string;
  lastBootTime?: Date;
  nodeAgentVersion?: string;
  raw: unknown;
}

export interface UploadBatchServiceLogsResult {
  virtualDirectoryName: string;
  numberOfFilesUploaded: number;
}

/** Where a user-assigned identity is used. */
export type IdentityUse =
  | { kind: 'accountIdentity'; accountId: string; accountName: string }
  | { kind: 'nodeIdentityReference'; accountId: string; accountName: string }
  | { kind: 'poolIdentity'; accountId: string; accountName: string; poolName: string }
  | {
      kind: 'identityReference';
      accountId: string;
      accountName: string;
      poolName: string;
      where: string;
    };

/** A user-assigned identity seen anywhere on accounts and pools (Identities screen). */
export interface UserAssignedIdentityInfo extends ArmLocation {
  name: string;
  principalId?: string;
  clientId?: string;
  tenantId?: string;
  location?: string;
  uses: IdentityUse[];
}

/** A role assignment, with its role's name resolved when the definition is known. */
export interface RoleAssignmentInfo {
  id: string;
  /** The assignment's GUID name. */
  name: string;
  scope: string;
  roleDefinitionId: string;
  /** Last segment of roleDefinitionId: the built-in roles' GUIDs are the same in every tenant. */
  roleDefinitionName: string;
  roleName?: string;
  principalId: string;
  principalType?: string;
  condition?: string;
  /** MI006: younger than ~10 minutes may not have propagated yet. */
  createdOn?: Date;
}

export interface RoleDefinitionInfo {
  id: string;
  /** GUID. */
  name: string;
  roleName: string;
  /** 'BuiltInRole' or 'CustomRole'. */
  roleType: string;
  permissions: Array<{
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }>;
}

/** Built-in role GUIDs the doctor and flows name (identical in every Azure tenant). */
export const BUILT_IN_ROLE_IDS = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Managed Identity Operator': 'f1a07417-d97a-45cb-824c-7a7467783830',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
} as const;
export type BuiltInRoleName = keyof typeof BUILT_IN_ROLE_IDS;

/** Last path segment of an ARM id ("id-nodes" of …/userAssignedIdentities/id-nodes). */
export function lastSegment(id: string): string {
  const parts = id.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] ?? id;
}

/** Account changes the flows make (ARM PATCH of BatchAccountUpdateParameters). */
export interface AccountPatch {
  identity?: {
    type: 'None' | 'SystemAssigned' | 'UserAssigned';
    userAssignedIdentities?: string[];
  };
  autoStorage?: {
    storageAccountId: string;
    authenticationMode: AutoStorageAuthenticationMode;
    nodeIdentityReference?: { resourceId: string };
  };
}

/** Pool changes the flows make (ARM PATCH of Pool). Identities replace the pool's set. */
export interface PoolPatch {
  identity?: { type: 'None' | 'UserAssigned'; userAssignedIdentities?: string[] };
  scaleSettings?: { fixedScale: { targetDedicatedNodes: number; targetLowPriorityNodes: number } };
}
