/** Azure's behaviour tables (RULES.md §1) row by row: small worlds, simulated time stepped. */
import { describe, expect, it } from 'vitest';
import { Clock } from '../../../source/sandbox/world/clock.js';
import { World } from '../../../source/sandbox/world/world.js';
import { installBehaviour, resizePool } from '../../../source/sandbox/world/behaviour.js';
import { nodesOf } from '../../../source/sandbox/world/nodes.js';
import { ROLE, installBuiltInRoles } from '../../../source/sandbox/world/roles.js';
import { addAccount, addActivePackage, addIdentity, addPool, addStorage, addVault, assign, keyIdentifier, type Place } from '../../../source/sandbox/world/seed-build.js';

const SUB = '00000000-0000-0000-0000-00000000000a';
const place: Place = { subscriptionId: SUB, resourceGroup: 'rg', location: 'westeurope' };

interface Row {
  reference: 'set' | 'unset';
  role: boolean;
  poolIdentity: 'same' | 'different';
}

function build(row: Row, workload: 'packages' | 'starttask', extra: Record<string, unknown> = {}) {
  const world = new World(new Clock({ speed: 0 }));
  world.tenantId = 'tenant';
  installBuiltInRoles(world, SUB);
  installBehaviour(world);
  const ref = addIdentity(world, place, 'ref');
  const other = addIdentity(world, place, 'other');
  const storage = addStorage(world, place, 'auto');
  if (row.role) assign(world, ref.principalId, ROLE.storageBlobDataReader, storage.id);
  const account = addAccount(world, place, 'acc', {
    autoStorage: { storageAccountId: storage.id, authenticationMode: 'BatchAccountManagedIdentity', ...(row.reference === 'set' ? { nodeIdentityReference: { resourceId: ref.id } } : {}) },
  });
  addActivePackage(world, account, 'tools', '1');
  const properties =
    workload === 'packages'
      ? { applicationPackages: [{ id: `${account.id}/applications/tools`, version: '1' }] }
      : { startTask: { commandLine: 'true', resourceFiles: [{ autoStorageContainerName: 'inputs' }], waitForSuccess: true } };
  const pool = addPool(world, account, 'p', { scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } }, ...properties, ...extra }, [row.poolIdentity === 'same' ? ref.id : other.id], 0);
  const nodes = () => [...nodesOf(world, pool).values()];
  return { world, pool, nodes, ref, other, storage, account };
}

const HOUR = 3_600_000;

describe('Table A — application packages', () => {
  it.each([
    ['A1', { reference: 'set', role: true, poolIdentity: 'same' }, 'idle', true, undefined],
    ['A2', { reference: 'set', role: false, poolIdentity: 'same' }, 'idle', false, undefined],
    ['A3 (role)', { reference: 'unset', role: true, poolIdentity: 'same' }, 'starting', false, undefined],
    ['A3 (different)', { reference: 'unset', role: false, poolIdentity: 'different' }, 'starting', false, undefined],
    ['A4 (role)', { reference: 'set', role: true, poolIdentity: 'different' }, 'unusable', false, 'ApplicationPackageError'],
    ['A4 (no role)', { reference: 'set', role: false, poolIdentity: 'different' }, 'unusable', false, 'ApplicationPackageError'],
  ] as const)('%s', (_name, row, state, downloaded, errorCode) => {
    const { world, nodes } = build(row, 'packages');
    expect(nodes().map((n) => n.state)).toEqual(['creating', 'creating']);
    world.clock.advance(HOUR);
    for (const node of nodes()) {
      expect(node.state).toBe(state);
      expect(node.applicationPackagesDownloaded.length > 0).toBe(downloaded);
      expect(node.errors[0]?.code).toBe(errorCode);
    }
    if (errorCode) expect(nodes()[0]?.errors[0]?.message).toBe('One or more application packages specified for the pool are invalid');
  });

  it('passes through creating and starting on the way', () => {
    const { world, nodes } = build({ reference: 'set', role: true, poolIdentity: 'same' }, 'packages');
    world.clock.advance(61_000);
    expect(nodes()[0]?.state).toBe('starting');
    world.clock.advance(90_000);
    expect(nodes()[0]?.state).toBe('idle');
  });
});

describe('application packages must exist and be active', () => {
  it.each(['BatchAccountManagedIdentity', 'StorageKeys'] as const)('%s: a version deleted before the nodes join leaves them unusable with ApplicationPackageError', (mode) => {
    const { world, nodes, account } = build({ reference: 'set', role: true, poolIdentity: 'same' }, 'packages');
    if (account.autoStorage) account.autoStorage.authenticationMode = mode;
    world.applications.get(`${account.id}/applications/tools`.toLowerCase())?.packages.delete('1');
    world.clock.advance(HOUR);
    expect(nodes().map((n) => [n.state, n.errors[0]?.code, n.applicationPackagesDownloaded])).toEqual([
      ['unusable', 'ApplicationPackageError', []],
      ['unusable', 'ApplicationPackageError', []],
    ]);
  });

  it('StorageKeys: an active package is downloaded whatever the identities', () => {
    const { world, nodes, account } = build({ reference: 'unset', role: false, poolIdentity: 'different' }, 'packages');
    if (account.autoStorage) account.autoStorage.authenticationMode = 'StorageKeys';
    world.clock.advance(HOUR);
    expect(nodes().map((n) => [n.state, n.applicationPackagesDownloaded])).toEqual([['idle', ['tools/1']], ['idle', ['tools/1']]]);
  });
});

describe('Table B — start task resource files from autostorage', () => {
  it.each([
    ['B1', { reference: 'set', role: true, poolIdentity: 'same' }, 'idle', undefined],
    ['B2', { reference: 'set', role: false, poolIdentity: 'same' }, 'starttaskfailed', 'ResourceContainerAccessDenied'],
    ['B3', { reference: 'unset', role: true, poolIdentity: 'same' }, 'starttaskfailed', 'ResourceContainerAccessDenied'],
    ['B3 (different)', { reference: 'unset', role: false, poolIdentity: 'different' }, 'starttaskfailed', 'ResourceContainerAccessDenied'],
    ['B4', { reference: 'set', role: true, poolIdentity: 'different' }, 'starttaskfailed', 'ResourceContainerListMiscError'],
  ] as const)('%s', (_name, row, state, code) => {
    const { world, nodes } = build(row, 'starttask');
    world.clock.advance(HOUR);
    const node = nodes()[0];
    expect(node?.state).toBe(state);
    expect(node?.startTaskInfo?.failureInfo?.code).toBe(code);
    if (code) expect(node?.startTaskInfo?.failureInfo?.category).toBe('usererror');
    else expect(node?.startTaskInfo?.exitCode).toBe(0);
  });

  it('the storage firewall denies a subnet it does not list (MI017)', () => {
    const { world, nodes, storage } = build({ reference: 'set', role: true, poolIdentity: 'same' }, 'starttask', { networkConfiguration: { subnetId: '/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/v/subnets/s' } });
    storage.networkRuleSet.defaultAction = 'Deny';
    world.clock.advance(HOUR);
    expect(nodes()[0]?.startTaskInfo?.failureInfo?.code).toBe('ResourceContainerAccessDenied');
  });
});

describe('identity changes and propagation', () => {
  it('nodes allocated before an identity change keep the old identity; resize to 0 and back reallocates (MI010)', () => {
    const { world, pool, nodes, ref, other } = build({ reference: 'set', role: true, poolIdentity: 'different' }, 'packages');
    world.clock.advance(HOUR);
    expect(nodes()[0]?.state).toBe('unusable');
    pool.identity = { type: 'UserAssigned', userAssignedIdentities: { [ref.id]: { principalId: ref.principalId, clientId: ref.clientId } } };
    world.clock.advance(HOUR);
    expect(nodes()[0]?.identityResourceIds).toEqual([other.id]);
    pool.properties.scaleSettings = { fixedScale: { targetDedicatedNodes: 0 } };
    resizePool(world, pool);
    expect(nodes()).toHaveLength(0);
    pool.properties.scaleSettings = { fixedScale: { targetDedicatedNodes: 2 } };
    resizePool(world, pool);
    world.clock.advance(HOUR);
    expect(nodes().map((n) => [n.state, n.identityResourceIds])).toEqual([['idle', [ref.id]], ['idle', [ref.id]]]);
  });

  it('a role granted less than the propagation delay before join does not count yet', () => {
    const { world, nodes, ref, storage } = build({ reference: 'set', role: false, poolIdentity: 'same' }, 'packages');
    world.roleAssignmentPropagationMs = 10 * 60_000;
    const a = assign(world, ref.principalId, ROLE.storageBlobDataReader, storage.id);
    a.createdOn = world.clock.now();
    world.clock.advance(HOUR);
    expect(nodes()[0]?.applicationPackagesDownloaded).toEqual([]);
  });
});

describe('customer-managed keys', () => {
  it('nodes become unusable without get/wrapKey/unwrapKey and recover when access returns', () => {
    const world = new World(new Clock({ speed: 0 }));
    world.tenantId = 'tenant';
    installBuiltInRoles(world, SUB);
    installBehaviour(world);
    const identity = addIdentity(world, place, 'cmk');
    const vault = addVault(world, place, 'kv', { purgeProtection: true });
    const account = addAccount(world, place, 'acc', { identityIds: [identity.id], keyIdentifier: keyIdentifier(vault) });
    const pool = addPool(world, account, 'p', { scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } }, [], 0);
    world.clock.advance(HOUR);
    const node = () => [...nodesOf(world, pool).values()][0];
    expect(node()?.state).toBe('unusable');
    vault.accessPolicies.push({ tenantId: 'tenant', objectId: identity.principalId, permissions: { keys: ['get', 'wrapKey', 'unwrapKey'] } });
    world.clock.advance(1000);
    expect(node()?.state).toBe('idle');
    vault.accessPolicies = [];
    vault.enableRbacAuthorization = true;
    assign(world, identity.principalId, ROLE.keyVaultCryptoServiceEncryptionUser, vault.id);
    world.clock.advance(1000);
    expect(node()?.state).toBe('idle');
  });
});
