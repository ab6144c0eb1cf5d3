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
