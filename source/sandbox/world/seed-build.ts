/** Builders the seed (and tests) use to put resources into a world the way ARM would hold them. */
import type { AutoStorage, BatchAccount, KeyVault, Pool, RoleAssignment, StorageAccount } from './model.js';
import { guidFrom, resourceGroupId } from './ids.js';
import { resizePool } from './behaviour.js';
import { createIdentity } from '../arm/identities.js';
import { activatePackage, addApplication, addPackage, findApplication } from './applications.js';
import type { World } from './world.js';

export interface Place {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
}

const rgId = (p: Place) => resourceGroupId(p.subscriptionId, p.resourceGroup);

export function addIdentity(world: World, place: Place, name: string) {
  return createIdentity(world, { id: `${rgId(place)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`, name, location: place.location, deterministic: true });
}

export function addStorage(world: World, place: Place, name: string, firewall?: { allowedSubnets: string[] }): StorageAccount {
  const account: StorageAccount = {
    id: `${rgId(place)}/providers/Microsoft.Storage/storageAccounts/${name}`,
    name,
    location: place.location,
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    networkRuleSet: {
      bypass: 'AzureServices',
      defaultAction: firewall ? 'Deny' : 'Allow',
      virtualNetworkRules: (firewall?.allowedSubnets ?? []).map((id) => ({ id, action: 'Allow' as const, state: 'Succeeded' })),
      ipRules: [],
    },
    blobEndpoint: '', // filled by the server once the storage gate listens (server.syncWorld)
    allowSharedKeyAccess: true,
    createdAt: world.clock.now() - 86_400_000,
  };
  world.storageAccounts.set(account.id.toLowerCase(), account);
  return account;
}

export function assign(world: World, principalId: string, roleGuid: string, scope: string, principalType: RoleAssignment['principalType'] = 'ServicePrincipal'): RoleAssignment {
  const name = guidFrom(`assignment:${principalId}:${roleGuid}:${scope.toLowerCase()}`);
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '';
  const at = world.clock.now() - 86_400_000;
  const assignment: RoleAssignment = {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId,
    principalType,
    createdOn: at,
    updatedOn: at,
  };
  world.roleAssignments.set(assignment.id.toLowerCase(), assignment);
  return assignment;
}

/**
 * A Batch account as if created a day ago. Its identity: the user-assigned `identityIds`, or with
 * `systemAssigned` one of its own (a service principal named after the account, as Entra creates
 * it), or none.
 */
export function addAccount(
  world: World,
  place: Place,
  name: string,
  options: { identityIds?: string[]; systemAssigned?: boolean; autoStorage?: Omit<AutoStorage, 'lastKeySync'>; keyIdentifier?: string },
): BatchAccount {
  const id = `${rgId(place)}/providers/Microsoft.Batch/batchAccounts/${name}`;
  const identities = Object.fromEntries(
    (options.identityIds ?? []).map((identityId) => {
      const identity = world.userAssignedIdentities.get(identityId.toLowerCase());
      return [identity?.id ?? identityId, { principalId: identity?.principalId ?? '', clientId: identity?.clientId ?? '' }];
    }),
  );
  let identity: BatchAccount['identity'] = options.identityIds?.length ? { type: 'UserAssigned', userAssignedIdentities: identities } : { type: 'None' };
  if (options.systemAssigned) {
    const principalId = guidFrom(`system-identity:${id.toLowerCase()}`);
    world.principals.set(principalId, { objectId: principalId, displayName: name, principalType: 'ServicePrincipal', appId: guidFrom(`system-identity-app:${id.toLowerCase()}`), managedIdentityResourceId: id });
    identity = { type: 'SystemAssigned', principalId, tenantId: world.tenantId };
  }
  const account: BatchAccount = {
    id,
    name,
    location: place.location,
    identity,
    ...(options.autoStorage ? { autoStorage: { ...options.autoStorage, lastKeySync: new Date(world.clock.now() - 86_400_000).toISOString() } } : {}),
    encryption: options.keyIdentifier ? { keySource: 'Microsoft.KeyVault', keyVaultProperties: { keyIdentifier: options.keyIdentifier } } : { keySource: 'Microsoft.Batch' },
    poolAllocationMode: 'BatchService',
    allowedAuthenticationModes: ['SharedKey', 'AAD', 'TaskAuthenticationToken'],
    publicNetworkAccess: 'Enabled',
    accountEndpoint: '', // filled by the server when it opens the account's listener (server.syncWorld)
    provisioningState: 'Succeeded',
    createdAt: world.clock.now() - 86_400_000,
  };
  world.batchAccounts.set(account.id.toLowerCase(), account);
  return account;
}

/**
 * A pool as if created through ARM `ageMs` ago: its nodes were allocated then with the pool's
 * identities of that time, and settle through the lifecycle on the first tick.
 */
export function addPool(world: World, account: BatchAccount, name: string, properties: Record<string, unknown>, identityIds: string[], ageMs = 30 * 60_000): Pool {
  const at = world.clock.now() - ageMs;
  const identities = Object.fromEntries(
    identityIds.map((id) => {
      const identity = world.userAssignedIdentities.get(id.toLowerCase());
      return [identity?.id ?? id, { principalId: identity?.principalId ?? '', clientId: identity?.clientId ?? '' }];
    }),
  );
  const pool: Pool = {
    id: `${account.id}/pools/${name}`,
    name,
    accountId: account.id,
    ...(identityIds.length ? { identity: { type: 'UserAssigned' as const, userAssignedIdentities: identities } } : {}),
    properties: {
      vmSize: 'STANDARD_D2S_V3',
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts', version: 'latest' },
          nodeAgentSkuId: 'batch.node.ubuntu 22.04',
        },
      },
      interNodeCommunication: 'Disabled',
      taskSlotsPerNode: 1,
      ...properties,
    },
    etag: world.nextEtag(at),
    creationTime: at,
    lastModified: at,
    identityLastModified: at,
    allocationState: 'Steady',
    allocationStateTransitionTime: at,
  };
  world.pools.set(pool.id.toLowerCase(), pool);
  resizePool(world, pool, at);
  return pool;
}

export function addVault(world: World, place: Place, name: string, options: { purgeProtection: boolean; rbac?: boolean; keyAccess?: string[] }): KeyVault {
  const vault: KeyVault = {
    id: `${rgId(place)}/providers/Microsoft.KeyVault/vaults/${name}`,
    name,
    location: place.location,
    tenantId: world.tenantId,
    vaultUri: `https://${name}.vault.azure.net/`,
    enableSoftDelete: true,
    ...(options.purgeProtection ? { enablePurgeProtection: true } : {}),
    enableRbacAuthorization: options.rbac ?? false,
    accessPolicies: (options.keyAccess ?? []).map((objectId) => ({ tenantId: world.tenantId, objectId, permissions: { keys: ['get', 'wrapKey', 'unwrapKey'] } })),
    keys: [{ name: 'batch-cmk', kty: 'RSA', keySize: 2048, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], version: guidFrom(`key:${name}`).replace(/-/g, ''), enabled: true, created: world.clock.now() - 86_400_000 }],
  };
  world.keyVaults.set(vault.id.toLowerCase(), vault);
  return vault;
}

export const keyIdentifier = (vault: KeyVault): string => `${vault.vaultUri}keys/${vault.keys[0]?.name ?? ''}/${vault.keys[0]?.version ?? ''}`;

/** An application with an uploaded, active package version in the account's autostorage, as if created a day ago. */
export function addActivePackage(world: World, account: BatchAccount, name: string, version: string): void {
  const application = findApplication(world, account.id, name) ?? addApplication(world, account, name);
  const record = addPackage(world, application, version, account.autoStorage?.storageAccountId ?? '');
  activatePackage(world, record, 'zip');
  record.lastActivationTime = world.clock.now() - 86_400_000;
}
