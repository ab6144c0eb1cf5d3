/**
 * Snapshot builders for the rule tests. `healthy()` is the A1/B1 configuration of RULES.md §1
 * (node identity reference set, with a data role, and on the pool), plus a healthy CMK account;
 * each test changes one thing.
 */
import type {
  AccountSnapshot,
  PoolSnapshot,
  Snapshot,
} from '../../../source/domain/doctor/types.js';
import type {
  BatchAccountSummary,
  NodeRow,
  PoolSummary,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
  UserAssignedIdentityInfo,
} from '../../../source/domain/model.js';
import { BUILT_IN_ROLE_IDS } from '../../../source/domain/model.js';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;
const rg = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;

export const STORAGE = `${rg('rg-data')}/providers/Microsoft.Storage/storageAccounts/stauto`;
export const VAULT = `${rg('rg-data')}/providers/Microsoft.KeyVault/vaults/kv-cmk`;
export const SUBNET = `${rg('rg-net')}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-batch`;
export const identityId = (name: string) =>
  `${rg('rg-id')}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
export const accountId = (name: string) =>
  `${rg('rg-batch')}/providers/Microsoft.Batch/batchAccounts/${name}`;

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

export const ref = (name: string) => ({
  resourceId: identityId(name),
  name,
  principalId: `pid-${name}`,
  clientId: `cid-${name}`,
});

export function account(
  name: string,
  overrides: Partial<BatchAccountSummary> = {},
): BatchAccountSummary {
  return {
    id: accountId(name),
    subscriptionId: SUB,
    resourceGroup: 'rg-batch',
    name,
    location: 'westeurope',
    accountEndpoint: `${name}.westeurope.batch.azure.com`,
    identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-account')] },
    autoStorage: {
      storageAccountId: STORAGE,
      authenticationMode: 'BatchAccountManagedIdentity',
      nodeIdentityReference: { resourceId: identityId('id-nodes') },
    },
    encryption: { keySource: 'Microsoft.Batch' },
    allowedAuthenticationModes: ['AAD'],
    tags: {},
    ...overrides,
  };
}

export function pool(
  accountName: string,
  name: string,
  overrides: Partial<PoolSummary> = {},
): PoolSummary {
  return {
    id: `${accountId(accountName)}/pools/${name}`,
    subscriptionId: SUB,
    resourceGroup: 'rg-batch',
    name,
    accountName,
    accountId: accountId(accountName),
    identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-nodes')] },
    applicationPackages: [{ id: `${accountId(accountName)}/applications/tools`, version: '1.0' }],
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
    lastModified: new Date(NOW.getTime() - 2 * HOUR),
    ...overrides,
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

export const idleNodes = (): NodeRow[] => [node('tvm-1'), node('tvm-2')];

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

const definition = (name: string, roleName: string, dataActions: string[]): RoleDefinitionInfo => ({
  id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${name}`,
  name,
  roleName,
  roleType: 'BuiltInRole',
  permissions: [{ actions: [], notActions: [], dataActions, notDataActions: [] }],
});

export const KV_CRYPTO_USER = 'e147488a-f6f5-4113-8e2d-b22465e65bf6';
export const DEFINITIONS: RoleDefinitionInfo[] = [
  definition(BUILT_IN_ROLE_IDS['Storage Blob Data Reader'], 'Storage Blob Data Reader', [
    'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  ]),
  definition(BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'], 'Storage Blob Data Contributor', [
    'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
    'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
  ]),
  definition(BUILT_IN_ROLE_IDS.Reader, 'Reader', []),
  definition(KV_CRYPTO_USER, 'Key Vault Crypto Service Encryption User', [
    'Microsoft.KeyVault/vaults/keys/read',
    'Microsoft.KeyVault/vaults/keys/wrap/action',
    'Microsoft.KeyVault/vaults/keys/unwrap/action',
  ]),
];

/** The A1 account (`batch`, pool `p`), and a healthy CMK account (`cmk`, pool `w`, no autostorage). */
export function healthy(): Snapshot {
  const batch: AccountSnapshot = {
    account: account('batch'),
    pools: [{ pool: pool('batch', 'p'), nodes: idleNodes() }],
  };
  const cmk: AccountSnapshot = {
    account: account('cmk', {
      identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-cmk')] },
      encryption: {
        keySource: 'Microsoft.KeyVault',
        keyIdentifier: 'https://kv-cmk.vault.azure.net/keys/batch-key/0123',
        versionless: false,
      },
    }),
    pools: [{ pool: pool('cmk', 'w', { applicationPackages: [] }), nodes: idleNodes() }],
  };
  delete cmk.account.autoStorage;
  return {
    scope: { subscriptionId: SUB },
    armEndpoint: 'https://management.azure.com',
    now: NOW,
    accounts: [batch, cmk],
    identities: ['id-account', 'id-nodes', 'id-workload', 'id-cmk'].map(identity),
    storageAccounts: [
      {
        id: STORAGE,
        name: 'stauto',
        blobEndpoint: 'https://stauto.blob.core.windows.net/',
        networkAcls: { defaultAction: 'Allow', virtualNetworkRules: [], ipRules: [] },
      },
    ],
    roleAssignments: [
      assignment('pid-id-account', BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'], STORAGE),
      assignment('pid-id-nodes', BUILT_IN_ROLE_IDS['Storage Blob Data Reader'], STORAGE),
    ],
    roleAssignmentScopes: [STORAGE, VAULT],
    roleDefinitions: DEFINITIONS,
    keyVaults: [
      {
        id: VAULT,
        name: 'kv-cmk',
        vaultUri: 'https://kv-cmk.vault.azure.net/',
        enableSoftDelete: true,
        enablePurgeProtection: true,
        enableRbacAuthorization: false,
        accessPolicies: [{ objectId: 'pid-id-cmk', keys: ['get', 'wrapKey', 'unwrapKey'] }],
      },
    ],
    keys: [
      {
        id: `${VAULT}/keys/batch-key`,
        vaultId: VAULT,
        name: 'batch-key',
        kty: 'RSA',
        keySize: 2048,
        keyOps: ['wrapKey', 'unwrapKey'],
        enabled: true,
      },
    ],
    gaps: [],
  };
}

/** The A1 pool of healthy() (account `batch`, pool `p`). */
export function mainPool(s: Snapshot): PoolSnapshot {
  const p = s.accounts[0]?.pools?.[0];
  if (!p) throw new Error('healthy() changed');
  return p;
}

export function mainAccount(s: Snapshot): BatchAccountSummary {
  const a = s.accounts[0]?.account;
  if (!a) throw new Error('healthy() changed');
  return a;
}

export function cmkAccount(s: Snapshot): BatchAccountSummary {
  const a = s.accounts[1]?.account;
  if (!a) throw new Error('healthy() changed');
  return a;
}

export const dropAssignments = (s: Snapshot, principal: string) => {
  s.roleAssignments = s.roleAssignments.filter((a) => a.principalId !== principal);
};
export const startTaskOnly = (s: Snapshot, container = 'inputs') => {
  mainPool(s).pool.applicationPackages = [];
  mainPool(s).pool.startTaskResourceFiles = [{ autoStorageContainerName: container }];
};
export const vault = (s: Snapshot) => {
  const v = s.keyVaults?.[0];
  if (!v) throw new Error('no vault');
  return v;
};
