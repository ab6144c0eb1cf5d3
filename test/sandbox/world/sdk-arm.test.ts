/** The seeded world through the real SDK clients: ARM (arm-batch, arm-authorization) and legacy @azure/batch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { armClients, batchClient, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSeeded();
  sandbox.clock.advance(60 * 60_000);
});
afterAll(async () => sandbox?.stop());

async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

describe('ARM through @azure/arm-batch', () => {
  it('lists the seeded accounts with identity and autoStorage', async () => {
    const { batch } = armClients(sandbox);
    const accounts = await all(batch.batchAccountOperations.list());
    const healthy = accounts.find((a) => a.name === 'batchhealthy');
    expect(healthy?.autoStorage?.authenticationMode).toBe('BatchAccountManagedIdentity');
    expect(healthy?.autoStorage?.nodeIdentityReference?.resourceId).toMatch(/userAssignedIdentities\/id-batch-nodes$/);
    expect(healthy?.accountEndpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(accounts.find((a) => a.name === 'batchcmk')?.encryption?.keySource).toBe('Microsoft.KeyVault');
  });

  it('creates a pool with a user-assigned identity, and honours If-Match', async () => {
    const { batch } = armClients(sandbox);
    const identityId = `/subscriptions/${sandbox.profile.subscriptionId}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-batch-nodes`;
    const pool = await batch.poolOperations.create('rg-batch', 'batchhealthy', 'sdk-created', {
      identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
      vmSize: 'STANDARD_D2S_V3',
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    });
    expect(pool.identity?.userAssignedIdentities?.[identityId]?.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(pool.allocationState).toBe('Resizing');
    await expect(batch.poolOperations.update('rg-batch', 'batchhealthy', 'sdk-created', { scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } }, { ifMatch: 'W/"0xNOPE"' })).rejects.toMatchObject({ statusCode: 412 });
    const updated = await batch.poolOperations.update('rg-batch', 'batchhealthy', 'sdk-created', { scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } }, { ifMatch: pool.etag ?? '' });
    expect(updated.scaleSettings?.fixedScale?.targetDedicatedNodes).toBe(2);
  });

  it('rejects an unknown identity and a Reader who writes', async () => {
    const { batch } = armClients(sandbox);
    // An identity that does not exist where the operator may assign identities: Batch's identity layer answers 400.
    const missing = `/subscriptions/${sandbox.profile.subscriptionId}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope`;
    await expect(batch.poolOperations.create('rg-batch', 'batchhealthy', 'bad-identity', { identity: { type: 'UserAssigned', userAssignedIdentities: { [missing]: {} } } })).rejects.toMatchObject({ statusCode: 400, code: 'FailedIdentityOperation' });
    // One in a subscription the operator holds no role in: ARM's linked-scope check refuses it first.
    await expect(batch.poolOperations.create('rg-batch', 'batchhealthy', 'bad-identity', { identity: { type: 'UserAssigned', userAssignedIdentities: { '/subscriptions/x/resourceGroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope': {} } } })).rejects.toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    const reader = armClients(sandbox, SEED.reader).batch;
    expect((await all(reader.poolOperations.listByBatchAccount('rg-batch', 'batchhealthy'))).length).toBeGreaterThan(0);
    await expect(reader.poolOperations.create('rg-batch', 'batchhealthy', 'denied', {})).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });
});

describe('ARM through @azure/arm-authorization', () => {
  it('finds built-in roles by name, creates an assignment once, and lists it', async () => {
    const { authorization } = armClients(sandbox);
    const scope = `/subscriptions/${sandbox.profile.subscriptionId}/resourceGroups/rg-batch/providers/Microsoft.Storage/storageAccounts/stbatchauto`;
    const roles = await all(authorization.roleDefinitions.list(scope, { filter: "roleName eq 'Storage Blob Data Reader'" }));
    expect(roles.map((r) => r.name)).toEqual([ROLE.storageBlobDataReader]);
    const principalId = [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === 'id-workload')?.principalId ?? '';
    const created = await authorization.roleAssignments.create(scope, '3f0e4b3c-2a56-4d7e-9a0a-4b0c3e1f2d11', { roleDefinitionId: roles[0]?.id ?? '', principalId, principalType: 'ServicePrincipal' });
    expect(created.principalId).toBe(principalId);
    await expect(authorization.roleAssignments.create(scope, '5a1c8c1e-7b3f-4b8e-8d1e-1f2a3b4c5d6e', { roleDefinitionId: roles[0]?.id ?? '', principalId })).rejects.toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' });
    const mine = await all(authorization.roleAssignments.listForScope(scope, { filter: `assignedTo('${principalId}')` }));
    expect(mine.some((a) => a.name === '3f0e4b3c-2a56-4d7e-9a0a-4b0c3e1f2d11')).toBe(true);
  });
});

describe('Batch data plane through @azure/batch', () => {
  const endpointOf = (name: string) => [...sandbox.world.batchAccounts.values()].find((a) => a.name === name)?.accountEndpoint ?? '';

  it('shows the table rows as node states', async () => {
    const client = batchClient(sandbox, endpointOf('batchhealthy'));
    const a1 = await client.computeNode.list('packages-same-identity');
    expect(a1.map((n) => n.state)).toEqual(['idle', 'idle']);
    const a4 = await client.computeNode.list('packages-other-identity', { computeNodeListOptions: { filter: "state eq 'unusable'" } });
    expect(a4[0]?.errors?.[0]?.code).toBe('ApplicationPackageError');
    const b4 = await client.computeNode.list('starttask-other-identity');
    expect(b4[0]?.startTaskInfo?.failureInfo?.code).toBe('ResourceContainerListMiscError');
    const a3 = await batchClient(sandbox, endpointOf('batchnoref')).computeNode.list('packages-no-reference');
    expect(a3.map((n) => n.state)).toEqual(['starting', 'starting']);
  });

  it('pages 10,000 nodes with odata.nextLink', async () => {
    const client = batchClient(sandbox, endpointOf('batchscale'));
    const started = performance.now();
    let page = await client.computeNode.list('render-farm', { computeNodeListOptions: { select: 'id,state' } });
    let count = page.length;
    while (page.odatanextLink) {
      page = await client.computeNode.listNext(page.odatanextLink);
      count += page.length;
    }
    expect(count).toBe(SEED.largePoolNodes);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('rejects an ARM-audience token', async () => {
    const client = batchClient(sandbox, endpointOf('batchhealthy'), sandbox.profile.armScope);
    await expect(client.pool.get('two-identities')).rejects.toMatchObject({ statusCode: 401 });
  });
});
