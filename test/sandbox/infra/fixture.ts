/**
 * A small world for the infrastructure tests, built directly in the World maps: one tenant, one
 * subscription, an operator with a secret, a reader without data roles, a storage account, and a
 * Batch pool whose nodes hold zero, one or two user-assigned identities.
 */
import { randomUUID } from 'node:crypto';
import tls from 'node:tls';
import type { SeedResult } from '../../../source/sandbox/index.js';
import type { ComputeNode, UserAssignedIdentity } from '../../../source/sandbox/world/model.js';
import {
  installBuiltInRoles,
  ROLE,
  roleDefinitionId,
} from '../../../source/sandbox/world/roles.js';
import type { World } from '../../../source/sandbox/world/world.js';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const RG = 'rg-infra';
const rgId = `/subscriptions/${SUB}/resourceGroups/${RG}`;

export const operator = {
  objectId: randomUUID(),
  appId: randomUUID(),
  secret: 'operator-secret-value',
};
export const reader = {
  objectId: randomUUID(),
  appId: randomUUID(),
  secret: 'reader-secret-value',
};
export const STORAGE = 'stinfra';
export const storageId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${STORAGE}`;
export const ACCOUNT = 'batchinfra';
export const accountId = `${rgId}/providers/Microsoft.Batch/batchAccounts/${ACCOUNT}`;
export const POOL = 'pool-two-ids';
export const poolId = `${accountId}/pools/${POOL}`;

const identity = (name: string): UserAssignedIdentity => ({
  id: `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
  name,
  location: 'westeurope',
  principalId: randomUUID(),
  clientId: randomUUID(),
  tenantId: '',
});
export const idA = identity('id-a');
export const idB = identity('id-b');

export function assign(world: World, principalId: string, roleGuid: string, scope: string): void {
  const name = randomUUID();
  const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  world.roleAssignments.set(id.toLowerCase(), {
    id,
    name,
    scope,
    roleDefinitionId: roleDefinitionId(SUB, roleGuid),
    principalId,
    principalType: 'ServicePrincipal',
    createdOn: world.clock.now(),
    updatedOn: world.clock.now(),
  });
}

function node(id: string, identities: UserAssignedIdentity[]): ComputeNode {
  return {
    id,
    accountId,
    poolName: POOL,
    state: 'idle',
    stateTransitionTime: 0,
    allocationTime: 0,
    ipAddress: '10.0.0.4',
    vmSize: 'standard_d2s_v3',
    isDedicated: true,
    identityResourceIds: identities.map((i) => i.id),
    errors: [],
    applicationPackagesDownloaded: [],
  };
}

export function buildWorld(world: World): SeedResult {
  world.tenantId = randomUUID();
  world.subscriptions.set(SUB, {
    subscriptionId: SUB,
    displayName: 'Infra',
    tenantId: world.tenantId,
    state: 'Enabled',
    resourceGroups: [RG],
  });
  installBuiltInRoles(world, SUB);
  world.principals.set(operator.objectId, {
    ...operator,
    displayName: 'operator',
    principalType: 'ServicePrincipal',
  });
  world.principals.set(reader.objectId, {
    ...reader,
    displayName: 'reader',
    principalType: 'ServicePrincipal',
  });
  for (const i of [idA, idB]) {
    i.tenantId = world.tenantId;
    world.userAssignedIdentities.set(i.id.toLowerCase(), i);
    world.principals.set(i.principalId, {
      objectId: i.principalId,
      appId: i.clientId,
      displayName: i.name,
      principalType: 'ServicePrincipal',
      managedIdentityResourceId: i.id,
    });
  }
  world.storageAccounts.set(storageId.toLowerCase(), {
    id: storageId,
    name: STORAGE,
    location: 'westeurope',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    networkRuleSet: {
      bypass: 'AzureServices',
      defaultAction: 'Allow',
      virtualNetworkRules: [],
      ipRules: [],
    },
    blobEndpoint: '',
    allowSharedKeyAccess: true,
    createdAt: world.clock.now(),
  });
  assign(world, operator.objectId, ROLE.owner, `/subscriptions/${SUB}`);
  assign(world, operator.objectId, ROLE.storageBlobDataContributor, storageId);
  assign(world, reader.objectId, ROLE.reader, `/subscriptions/${SUB}`);
  assign(world, idA.principalId, ROLE.storageBlobDataContributor, storageId);

  const nodes = new Map<string, ComputeNode>();
  nodes.set('tvmps_none_d', node('tvmps_none_d', []));
  nodes.set('tvmps_one_d', node('tvmps_one_d', [idA]));
  nodes.set('tvmps_two_d', node('tvmps_two_d', [idA, idB]));
  world.nodes.set(poolId.toLowerCase(), nodes);
  world.batchAccounts.set(accountId.toLowerCase(), {
    id: accountId,
    name: ACCOUNT,
    location: 'westeurope',
    identity: { type: 'None' },
    encryption: { keySource: 'Microsoft.Batch' },
    poolAllocationMode: 'BatchService',
    allowedAuthenticationModes: ['AAD'],
    publicNetworkAccess: 'Enabled',
    accountEndpoint: '',
    provisioningState: 'Succeeded',
    createdAt: world.clock.now(),
  });
  return { subscriptionId: SUB, clientId: operator.appId, clientSecret: operator.secret };
}

/** Trusts the sandbox's CA for every TLS client in this process (Node ≥ 22.19 / 24.5). */
export function trustCa(caPem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/** Decodes a JWT's claims without checking it (the tests check what the sandbox put in). */
export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
