/**
 * The sandbox's world: the state Azure would hold for one tenant. Entities keep Azure's own
 * property names so that the ARM and Batch handlers can serve them in the specs' shapes.
 *
 * Behaviour (what nodes do, what storage answers) is derived from these records, never from
 * names: see ./behaviour.ts.
 */

/** Anything that can sign in or be granted roles: a user, an app's service principal, or a managed identity. */
export interface Principal {
  /** Entra object id (the principalId role assignments name). */
  objectId: string;
  displayName: string;
  principalType: 'User' | 'ServicePrincipal';
  /** Application (client) id: for service principals and managed identities. */
  appId?: string;
  /** Client secret for client-credentials sign-in (operator principals only). Never served back. */
  secret?: string;
  /** For a managed identity: its ARM resource id (becomes `xms_mirid`). */
  managedIdentityResourceId?: string;
}

/** Microsoft.ManagedIdentity/userAssignedIdentities (ManagedIdentity.json, 2024-11-30). */
export interface UserAssignedIdentity {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  principalId: string;
  clientId: string;
  tenantId: string;
}

/** The `identity` block of a Batch account (BatchAccountIdentity). */
export interface BatchAccountIdentity {
  type: 'None' | 'SystemAssigned' | 'UserAssigned';
  /** SystemAssigned only. */
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, { principalId: string; clientId: string }>;
}

export interface AutoStorage {
  storageAccountId: string;
  authenticationMode: 'StorageKeys' | 'BatchAccountManagedIdentity';
  nodeIdentityReference?: { resourceId: string };
  lastKeySync: string;
}

export interface BatchAccount {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  identity: BatchAccountIdentity;
  autoStorage?: AutoStorage;
  encryption: {
    keySource: 'Microsoft.Batch' | 'Microsoft.KeyVault';
    keyVaultProperties?: { keyIdentifier?: string };
  };
  keyVaultReference?: { id: string; url: string };
  poolAllocationMode: 'BatchService' | 'UserSubscription';
  allowedAuthenticationModes: Array<'SharedKey' | 'AAD' | 'TaskAuthenticationToken'>;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  /** `127.0.0.1:PORT`: the account's own Batch data-plane listener (see specs/README.md). */
  accountEndpoint: string;
  provisioningState: 'Succeeded' | 'Failed' | 'Creating' | 'Deleting';
  createdAt: number;
}

/**
 * A pool as ARM holds it. `properties` is kept in the shape of BatchManagement.json's
 * PoolProperties (deploymentConfiguration, scaleSettings, startTask, applicationPackages,
 * certificates, networkConfiguration, mountConfiguration, ...), so a PATCH merges into it and a
 * GET serves it back; read-only properties are computed when serving.
 */
export interface Pool {
  id: string;
  /** The pool id within the account (the ARM resource name). */
  name: string;
  accountId: string;
  identity?: {
    type: 'None' | 'UserAssigned';
    userAssignedIdentities?: Record<string, { principalId: string; clientId: string }>;
  };
  properties: Record<string, unknown>;
  etag: string;
  creationTime: number;
  lastModified: number;
  /** Last time `identity` changed (MI010: nodes allocated before it keep the old identities). */
  identityLastModified: number;
  allocationState: 'Steady' | 'Resizing' | 'Stopping';
  allocationStateTransitionTime: number;
  resizeErrors?: Array<{ code: string; message: string }>;
}

export type ComputeNodeState =
  | 'idle'
  | 'rebooting'
  | 'reimaging'
  | 'running'
  | 'unusable'
  | 'creating'
  | 'starting'
  | 'waitingforstarttask'
  | 'starttaskfailed'
  | 'unknown'
  | 'leavingpool'
  | 'offline'
  | 'preempted'
  | 'upgradingos'
  | 'deallocated'
  | 'deallocating';

export interface NodeError {
  code: string;
  message: string;
  errorDetails?: Array<{ name: string; value: string }>;
}

export interface ComputeNode {
  /** e.g. `tvmps_<hex>_d` as Batch names them. */
  id: string;
  accountId: string;
  poolName: string;
  state: ComputeNodeState;
  stateTransitionTime: number;
  allocationTime: number;
  lastBootTime?: number;
  ipAddress: string;
  vmSize: string;
  isDedicated: boolean;
  /** Identity resource ids the node's VM was allocated with (fixed at allocation). */
  identityResourceIds: string[];
  errors: NodeError[];
  startTaskInfo?: {
    state: 'running' | 'completed';
    startTime: number;
    endTime?: number;
    exitCode?: number;
    retryCount: number;
    result?: 'success' | 'failure';
    failureInfo?: { category: 'usererror' | 'servererror'; code: string; message: string };
  };
  /** Application packages actually present in the node's applications directory. */
  applicationPackagesDownloaded: string[];
  /** Port of this node's IMDS endpoint (each simulated node has its own). */
  imdsPort?: number;
}

export interface StorageAccount {
  id: string;
  name: string;
  location: string;
  kind: 'StorageV2';
  sku: { name: string; tier: 'Standard' | 'Premium' };
  networkRuleSet: {
    bypass: string;
    defaultAction: 'Allow' | 'Deny';
    virtualNetworkRules: Array<{ id: string; action: 'Allow'; state?: string }>;
    ipRules: Array<{ value: string; action: 'Allow' }>;
  };
  /** `https://127.0.0.1:PORT/<name>/` (path-style, as Azurite serves it). */
  blobEndpoint: string;
  allowSharedKeyAccess: boolean;
  createdAt: number;
}

export interface RoleDefinition {
  /** Full id: /subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid} */
  id: string;
  /** The GUID. */
  name: string;
  roleName: string;
  description: string;
  roleType: 'BuiltInRole' | 'CustomRole';
  permissions: Array<{
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }>;
  assignableScopes: string[];
}

export interface RoleAssignment {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
  createdOn: number;
  updatedOn: number;
  createdBy?: string;
}

export interface KeyVaultKey {
  name: string;
  kty: 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM';
  keySize?: number;
  keyOps: string[];
  version: string;
  enabled: boolean;
  created: number;
}

export interface KeyVault {
  id: string;
  name: string;
  location: string;
  tenantId: string;
  vaultUri: string;
  enableSoftDelete: boolean;
  enablePurgeProtection?: boolean;
  enableRbacAuthorization: boolean;
  accessPolicies: Array<{
    tenantId: string;
    objectId: string;
    permissions: { keys?: string[]; secrets?: string[]; certificates?: string[] };
  }>;
  keys: KeyVaultKey[];
}

/** A version of an application (Microsoft.Batch/batchAccounts/applications/versions). */
export interface ApplicationPackage {
  version: string;
  state: 'Pending' | 'Active';
  format?: string;
  /** Where the package's zip lives: the autostorage account at creation, and its container and blob there. */
  storageAccountId: string;
  container: string;
  blobName: string;
  etag: string;
  storageUrlExpiry: number;
  lastActivationTime?: number;
}

/** An application of a Batch account (Microsoft.Batch/batchAccounts/applications). */
export interface Application {
  id: string;
  name: string;
  accountId: string;
  displayName?: string;
  allowUpdates: boolean;
  defaultVersion?: string;
  etag: string;
  /** By lower-cased version. */
  packages: Map<string, ApplicationPackage>;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state: 'Enabled';
  resourceGroups: string[];
}
