import { describe, expect, it } from 'vitest';
import { Clock } from '../../../source/sandbox/world/clock.js';
import { World } from '../../../source/sandbox/world/world.js';
import { installBehaviour } from '../../../source/sandbox/world/behaviour.js';
import { nodesOf } from '../../../source/sandbox/world/nodes.js';
import { SEED, seedWorld } from '../../../source/sandbox/world/seed.js';
import { hasPermission } from '../../../source/sandbox/world/rbac.js';
import { guidFrom } from '../../../source/sandbox/world/ids.js';

function seeded() {
  const world = new World(new Clock({ speed: 0 }));
  const info = seedWorld(world);
  installBehaviour(world);
  world.tick();
  const states = (account: string, pool: string) => {
    const p = [...world.pools.values()].find((x) => x.name === pool && x.accountId.endsWith(`/${account}`));
    return [...(p ? nodesOf(world, p).values() : [])].map((n) => n.state);
  };
  return { world, info, states };
}

describe('seeded world', () => {
  it('has the operator (Owner) and reader (Reader) principals', () => {
    const { world, info } = seeded();
    const scope = `/subscriptions/${info.subscriptionId}`;
    const owner = guidFrom(`principal:${SEED.operator.clientId}`);
    const reader = guidFrom(`principal:${SEED.reader.clientId}`);
    expect(hasPermission(world, owner, scope, { action: 'Microsoft.Authorization/roleAssignments/write' })).toBe(true);
    expect(hasPermission(world, reader, scope, { action: 'Microsoft.Batch/batchAccounts/read' })).toBe(true);
    expect(hasPermission(world, reader, scope, { action: 'Microsoft.Batch/batchAccounts/write' })).toBe(false);
    expect(info.clientSecret).toBe(SEED.operator.clientSecret);
  });

  it('reproduces every row of tables A and B once settled', () => {
    const { states } = seeded();
    expect(states('batchhealthy', 'packages-same-identity')).toEqual(['idle', 'idle']); // A1
    expect(states('batchnorole', 'packages-no-role')).toEqual(['idle', 'idle']); // A2
    expect(states('batchnoref', 'packages-no-reference')).toEqual(['starting', 'starting']); // A3
    expect(states('batchhealthy', 'packages-other-identity')).toEqual(['unusable', 'unusable']); // A4
    expect(states('batchhealthy', 'starttask-same-identity')).toEqual(['idle', 'idle']); // B1
    expect(states('batchnorole', 'starttask-no-role')).toEqual(['starttaskfailed', 'starttaskfailed']); // B2
    expect(states('batchnoref', 'starttask-no-reference')).toEqual(['starttaskfailed', 'starttaskfailed']); // B3
    expect(states('batchhealthy', 'starttask-other-identity')).toEqual(['starttaskfailed', 'starttaskfailed']); // B4
    expect(states('batchcmknoaccess', 'workers')).toEqual(['unusable', 'unusable']);
    expect(states('batchcmk', 'workers')).toEqual(['idle', 'idle']);
    expect(states('batchfirewall', 'subnet-not-allowed')).toEqual(['starttaskfailed', 'starttaskfailed']);
    expect(states('batchfirewall', 'subnet-allowed')).toEqual(['idle', 'idle']);
  });

  it('adds the doctor\'s MI001, MI007 and MI009 configurations, each its own account, with the node outcomes they imply', () => {
    const { world, states } = seeded();
    const account = (name: string) => [...world.batchAccounts.values()].find((a) => a.name === name);
    const pool = (name: string) => [...world.pools.values()].find((p) => p.name === name);
    // MI001: managed-identity autostorage, no account identity; its pool takes nothing from autostorage.
    expect(account('batchnoaccountidentity')).toMatchObject({ identity: { type: 'None' }, autoStorage: { authenticationMode: 'BatchAccountManagedIdentity' } });
    expect(states('batchnoaccountidentity', 'workers')).toEqual(['idle']);
    // MI007: a system-assigned account identity (a principal of its own), a pool with none, its start task fails as B3 does.
    const system = account('batchsystemidentity');
    expect(system?.identity.type).toBe('SystemAssigned');
    expect(world.principals.get(system?.identity.principalId ?? '')?.managedIdentityResourceId).toBe(system?.id);
    expect(pool('starttask-no-identity')?.identity).toBeUndefined();
    expect(states('batchsystemidentity', 'starttask-no-identity')).toEqual(['starttaskfailed']);
    const failure = (accountName: string, poolName: string) => {
      const p = [...world.pools.values()].find((x) => x.name === poolName && x.accountId.endsWith(`/${accountName}`));
      return [...(p ? nodesOf(world, p).values() : [])][0]?.startTaskInfo?.failureInfo?.code;
    };
    expect(failure('batchsystemidentity', 'starttask-no-identity')).toBe('ResourceContainerAccessDenied');
    // MI009: the resource file's identityReference is not on the pool: storage answers 400.
    expect(states('batchidreference', 'resourcefile-other-identity')).toEqual(['starttaskfailed']);
    expect(failure('batchidreference', 'resourcefile-other-identity')).toBe('ResourceContainerListMiscError');
  });

  it('sets logs up: the operator may write to the autostorage accounts, node identities to their batch-logs container only', () => {
    const { world } = seeded();
    const storage = (name: string) => [...world.storageAccounts.values()].find((x) => x.name === name)?.id ?? '';
    const principal = (name: string) => [...world.userAssignedIdentities.values()].find((i) => i.name === name)?.principalId ?? '';
    const container = (account: string, name: string) => `${storage(account)}/blobServices/default/containers/${name}`;
    const can = (oid: string, scope: string, verb: 'read' | 'write') =>
      hasPermission(world, oid, scope, { dataAction: `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${verb}` });
    const operator = guidFrom(`principal:${SEED.operator.clientId}`);
    for (const account of ['stbatchauto', 'stbatchfirewall']) {
      expect(can(operator, container(account, 'batch-logs'), 'write')).toBe(true);
      expect(hasPermission(world, operator, container(account, 'batch-logs'), { action: 'Microsoft.Storage/storageAccounts/blobServices/containers/write' })).toBe(true);
    }
    expect(can(operator, container('stbatchlogs', 'x'), 'read')).toBe(false);
    for (const name of ['id-batch-nodes', 'id-batch-nodes-norole', 'id-workload']) expect(can(principal(name), container('stbatchauto', 'batch-logs'), 'write')).toBe(true);
    expect(can(principal('id-batch-nodes'), container('stbatchfirewall', 'batch-logs'), 'write')).toBe(true);
    // What tables A and B are about is unchanged: id-batch-nodes-norole (A2/B2) reads nothing else
    // in autostorage and id-batch-nodes (A1/B1) writes nowhere else.
    const packages = [...world.applications.values()].find((a) => a.id.toLowerCase().includes('/batchaccounts/batchnorole/'))?.packages.get('1.0')?.container ?? '';
    expect(packages).not.toBe('');
    for (const c of ['inputs', packages]) expect(can(principal('id-batch-nodes-norole'), container('stbatchauto', c), 'read')).toBe(false);
    expect(can(principal('id-batch-nodes'), container('stbatchauto', 'inputs'), 'write')).toBe(false);
    expect(can(principal('id-batch-nodes'), storage('stbatchauto'), 'write')).toBe(false);
  });

  it('has a 10,000-node pool, a two-identity pool and a vault without purge protection', () => {
    const { world, states } = seeded();
    expect(states('batchscale', 'render-farm').filter((s) => s === 'idle')).toHaveLength(SEED.largePoolNodes);
    const two = [...world.pools.values()].find((p) => p.name === 'two-identities');
    expect(Object.keys(two?.identity?.userAssignedIdentities ?? {})).toHaveLength(2);
    expect([...world.keyVaults.values()].some((v) => !v.enablePurgeProtection)).toBe(true);
    // Every account's endpoint is left for the server to fill.
    expect([...world.batchAccounts.values()].every((a) => a.accountEndpoint === '')).toBe(true);
  });
});
