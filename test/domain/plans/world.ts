/**
 * Snapshots for the plan tests. `healthy()` is RULES.md §1 row A1/B1: account `batch` with
 * managed-identity autostorage on `stauto`, node identity reference `id-nodes` (Storage Blob Data
 * Reader there) on pools `pkg` (application packages) and `st` (start-task autostorage files),
 * account identity `id-account` (Storage Blob Data Contributor). Each test changes one thing.
 */
import type {
  AccountSnapshot,
  PoolSnapshot,
  Snapshot,
} from '../../../source/domain/doctor/types.js';
import type {
  NodeRow,
  PoolSummary,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
  UserAssignedIdentityInfo,
} from '../../../source/domain/model.js';
import { BUILT_IN_ROLE_IDS } from '../../../source/domain/model.js';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const NOW = new Date('2025-06-01T12:00:00Z');
export const HOUR = 3_600_000;
const rg = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;

export const STORAGE = `${rg('rg-data')}/providers/Microsoft.Storage/storageAccounts/stauto`;
export const OTHER_STORAGE = `${rg('rg-data')}/providers/Microsoft.Storage/storageAccounts/stother`;
export const VAULT = `${rg('rg-data')}/providers/Microsoft.KeyVault/vaults/kv-cmk`;
export const ACCOUNT = `${rg('rg-batch')}/providers/Microsoft.Batch/batchAccounts/batch`;
export const identityId = (name: string) =>
  `${rg('rg-id')}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
export const poolId = (name: string) => `${ACCOUNT}/pools/${name}`;
export const READER = BUILT_IN_ROLE_IDS['Storage Blob Data Reader'];
export const CONTRIBUTOR = BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'];

export const ref = (name: string) => ({
  resourceId: identityId(name),
  name,
  principalId: `pid-${name}`,
  clientId: `cid-${name}`,
});

export function identity(name: string): UserAssignedIdentityInfo {
  return {
    id: identityId(name),
    subscriptionId: SUB,
    resourceGroup: 'rg-id',
    name,
    principalId: `pid-${name}`,
    clientId: `cid-${name}`,
    uses: [],
  };
}

export function node(id: string, overrides: Partial<NodeRow> = {}): NodeRow {
  return {
    id,
    state: 'idle',
    allocationTime: new Date(NOW.getTime() - HOUR),
    stateTransitionTime: new Date(NOW.getTime() - HOUR / 2),
    errors: [],
    ...overrides,
  };
}

export function pool(name: string, overrides: Partial<PoolSummary> = {}): PoolSummary {
  return {
    id: poolId(name),
    subscriptionId: SUB,
    resourceGroup: 'rg-batch',
    name,
    accountName: 'batch',
    accountId: ACCOUNT,
    etag: `W/"0x8D-${name}"`,
    identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-nodes')] },
    applicationPackages: [],
    certificates: [],
    startTaskResourceFiles: [],
    identityReferences: [],
    mountKinds: [],
    extensions: [],
    currentDedicatedNodes: 2,
    currentLowPriorityNodes: 0,
    targetDedicatedNodes: 2,
    targetLowPriorityNodes: 0,
    autoScale: false,
    resizeErrors: [],
    allocationState: 'Steady',
    lastModified: new Date(NOW.getTime() - 2 * HOUR),
    ...overrides,
  };
}

export const pkgPool = (overrides: Partial<PoolSummary> = {}) =>
  pool('pkg', {
    applicationPackages: [{ id: `${ACCOUNT}/applications/tools`, version: '1.0' }],
    ...overrides,
  });
export const stPool = (overrides: Partial<PoolSummary> = {}) =>
  pool('st', { startTaskResourceFiles: [{ autoStorageContainerName: 'inputs' }], ...overrides });

export function assignment(
  principal: string,
  roleGuid: string,
  scope: string,
  ageMs = 24 * HOUR,
): RoleAssignmentInfo {
  const name = `${principal}-${roleGuid}`.slice(0, 36);
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    roleDefinitionName: roleGuid,
    principalId: principal,
    principalType: 'ServicePrincipal',
    createdOn: new Date(NOW.getTime() - ageMs),
  };
}

export function definition(
  guid: string,
  roleName: string,
  permissions: Partial<RoleDefinitionInfo['permissions'][number]>,
): RoleDefinitionInfo {
  return {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    roleName,
    roleType: 'BuiltInRole',
    permissions: [
      { actions: [], notActions: [], dataActions: [], notDataActions: [], ...permissions },
    ],
  };
}

export const KV_CRYPTO_USER = 'e147488a-f6f5-4113-8e2d-b22465e65bf6';
const BLOB_READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
const BLOB_WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';
export const DEFINITIONS: RoleDefinitionInfo[] = [
  definition(READER, 'Storage Blob Data Reader', { dataActions: [BLOB_READ] }),
  definition(CONTRIBUTOR, 'Storage Blob Data Contributor', {
    dataActions: [BLOB_READ, BLOB_WRITE],
  }),
  definition(KV_CRYPTO_USER, 'Key Vault Crypto Service Encryption User', {
    dataActions: [
      'Microsoft.KeyVault/vaults/keys/read',
      'Microsoft.KeyVault/vaults/keys/wrap/action',
      'Microsoft.KeyVault/vaults/keys/unwrap/action',
    ],
  }),
];

const idleNodes = () => [node('tvm-1'), node('tvm-2')];

export function healthy(pools: PoolSummary[] = [pkgPool(), stPool()]): Snapshot {
  const batch: AccountSnapshot = {
    account: {
      id: ACCOUNT,
      subscriptionId: SUB,
      resourceGroup: 'rg-batch',
      name: 'batch',
      location: 'westeurope',
      identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-account')] },
      autoStorage: {
        storageAccountId: STORAGE,
        authenticationMode: 'BatchAccountManagedIdentity',
        nodeIdentityReference: { resourceId: identityId('id-nodes') },
      },
      encryption: { keySource: 'Microsoft.Batch' },
      allowedAuthenticationModes: ['AAD'],
      tags: {},
    },
    pools: pools.map((p): PoolSnapshot => ({ pool: p, nodes: idleNodes() })),
  };
  return {
    scope: { subscriptionId: SUB, account: 'batch' },
    armEndpoint: 'https://management.azure.com',
    now: NOW,
    accounts: [batch],
    identities: ['id-account', 'id-nodes', 'id-workload', 'id-new'].map(identity),
    storageAccounts: [
      {
        id: STORAGE,
        name: 'stauto',
        networkAcls: { defaultAction: 'Allow', virtualNetworkRules: [], ipRules: [] },
      },
    ],
    roleAssignments: [
      assignment('pid-id-account', CONTRIBUTOR, STORAGE),
      assignment('pid-id-nodes', READER, STORAGE),
    ],
    roleAssignmentScopes: [STORAGE],
    roleDefinitions: DEFINITIONS,
    keys: [],
    gaps: [],
  };
}

/** The batch account's snapshot entry, to change in a test. */
export const batchOf = (s: Snapshot): AccountSnapshot => {
  const a = s.accounts[0];
  if (!a) throw new Error('no account');
  return a;
};

export const poolOf = (s: Snapshot, name: string): PoolSnapshot => {
  const p = batchOf(s).pools?.find((x) => x.pool.name === name);
  if (!p) throw new Error(`no pool ${name}`);
  return p;
};
