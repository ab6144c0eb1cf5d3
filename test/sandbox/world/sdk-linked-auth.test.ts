/**
 * ARM's linked-scope authorization for user-assigned identities, and ETags, through
 * @azure/arm-batch and @azure/arm-authorization. Writing a pool (or account) that assigns an
 * identity needs `Microsoft.ManagedIdentity/userAssignedIdentities/assign/action` on each one:
 * a principal that may write Batch pools but not assign the identity gets 403
 * LinkedAuthorizationFailed naming every identity it lacks, and Managed Identity Operator on the
 * identity (whose permission reads `userAssignedIdentities/*\/assign/action`) is what fixes it.
 * Every pool write gets its own ETag, even within one simulated millisecond (the clock is stopped).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { guidFrom } from '../../../source/sandbox/world/ids.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { armClients, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;
let sub = '';
const RG = 'rg-batch';
const writer = { clientId: guidFrom('app:pool-writer'), clientSecret: 'pool-writer-secret' };
const writerOid = guidFrom('principal:pool-writer');
const ASSIGN = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';

const identityId = (name: string) => `/subscriptions/${sub}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const poolId = (account: string, pool: string) => `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/${account}/pools/${pool}`;

async function grant(principalId: string, role: string, scope: string): Promise<void> {
  await armClients(sandbox).authorization.roleAssignments.create(scope, randomUUID(), {
    roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    principalId,
    principalType: 'ServicePrincipal',
  });
}

/** The SDK's RestError (arm-batch may bring its own copy of core-rest-pipeline, so no instanceof). */
async function refusal(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && error.name === 'RestError') return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  sandbox = await startSeeded();
  sub = sandbox.profile.subscriptionId ?? '';
  // A deployment principal with Contributor on the Batch resource group only: it may write
  // pools there, but holds nothing on the identities in rg-identity.
  sandbox.world.principals.set(writerOid, { objectId: writerOid, displayName: 'pool-writer', principalType: 'ServicePrincipal', appId: writer.clientId, secret: writer.clientSecret });
  await grant(writerOid, ROLE.contributor, `/subscriptions/${sub}/resourceGroups/${RG}`);
});
afterAll(async () => sandbox?.stop());

const withIdentities = (...names: string[]) => ({
  identity: { type: 'UserAssigned' as const, userAssignedIdentities: Object.fromEntries(names.map((n) => [identityId(n), {}])) },
  vmSize: 'STANDARD_D2S_V3',
  scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } },
});

describe('assigning user-assigned identities needs assign/action on each (LinkedAuthorizationFailed)', () => {
  it('refuses a pool create naming identities the caller may not assign, with ARM\'s message naming them all, and creates nothing', async () => {
    const { batch } = armClients(sandbox, writer);
    const error = await refusal(batch.poolOperations.create(RG, 'batchhealthy', 'linked-pool', withIdentities('id-batch-nodes', 'id-workload')));
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('LinkedAuthorizationFailed');
    expect(error.message).toBe(
      `The client '${writerOid}' with object id '${writerOid}' has permission to perform action 'Microsoft.Batch/batchAccounts/pools/write' on scope '${poolId('batchhealthy', 'linked-pool')}'; however, it does not have permission to perform action '${ASSIGN}' on the linked scope(s) '${identityId('id-batch-nodes')},${identityId('id-workload')}' or the linked scope(s) are invalid.`,
    );
    await expect(batch.poolOperations.get(RG, 'batchhealthy', 'linked-pool')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('lets Managed Identity Operator on an identity fix it, identity by identity', async () => {
    const { batch } = armClients(sandbox, writer);
    await grant(writerOid, ROLE.managedIdentityOperator, identityId('id-batch-nodes'));
    const error = await refusal(batch.poolOperations.create(RG, 'batchhealthy', 'linked-pool', withIdentities('id-batch-nodes', 'id-workload')));
    expect(error.code).toBe('LinkedAuthorizationFailed');
    expect(error.message).toContain(`on the linked scope(s) '${identityId('id-workload')}' or`);
    const pool = await batch.poolOperations.create(RG, 'batchhealthy', 'linked-pool', withIdentities('id-batch-nodes'));
    expect(Object.keys(pool.identity?.userAssignedIdentities ?? {})).toEqual([identityId('id-batch-nodes')]);
  });

  it('does not check writes that assign no identity, nor one that removes the identity', async () => {
    const { batch } = armClients(sandbox, writer);
    const resized = await batch.poolOperations.update(RG, 'batchhealthy', 'packages-other-identity', { scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } });
    expect(resized.scaleSettings?.fixedScale?.targetDedicatedNodes).toBe(2);
    const none = await batch.poolOperations.update(RG, 'batchhealthy', 'linked-pool', { identity: { type: 'None' } });
    expect(none.identity?.type).toBe('None');
  });

  it('applies to a Batch account\'s identity too', async () => {
    const { batch } = armClients(sandbox, writer);
    const error = await refusal(
      batch.batchAccountOperations.update(RG, 'batchhealthy', { identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId('id-batch-account')]: {} } } }),
    );
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('LinkedAuthorizationFailed');
    expect(error.message).toContain(`perform action 'Microsoft.Batch/batchAccounts/write' on scope '/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/batchhealthy'; however,`);
  });

  it('lets the seeded operator (Owner) assign any identity', async () => {
    const pool = await armClients(sandbox).batch.poolOperations.create(RG, 'batchhealthy', 'owner-pool', withIdentities('id-batch-nodes', 'id-workload'));
    expect(Object.keys(pool.identity?.userAssignedIdentities ?? {})).toHaveLength(2);
  });
});

describe('ETags', () => {
  it('differ for two writes in the same simulated millisecond, and If-Match holds to the latest', async () => {
    const { batch } = armClients(sandbox);
    const at = sandbox.clock.now();
    const first = await batch.poolOperations.update(RG, 'batchhealthy', 'owner-pool', { scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } });
    const second = await batch.poolOperations.update(RG, 'batchhealthy', 'owner-pool', { scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } });
    expect(sandbox.clock.now()).toBe(at);
    expect(first.etag).toMatch(/^W\/"0x8D[0-9A-F]{13}"$/);
    expect(second.etag).not.toBe(first.etag);
    await expect(
      batch.poolOperations.update(RG, 'batchhealthy', 'owner-pool', { scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } }, { ifMatch: first.etag ?? '' }),
    ).rejects.toMatchObject({ statusCode: 412 });
    expect((await batch.poolOperations.get(RG, 'batchhealthy', 'owner-pool')).etag).toBe(second.etag);
  });
});
