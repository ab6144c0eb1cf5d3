/**
 * Applications and application packages through @azure/arm-batch: create, upload into autostorage,
 * activate, use on a pool. In BatchAccountManagedIdentity mode the Batch service reaches
 * autostorage with the account's own identity, and without a data role there create and activate
 * answer 409 AutoStorageNoPermission (RULES.md §1, MI002); granting the role fixes it.
 */
import { randomUUID } from 'node:crypto';
import { BlockBlobClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { nodesOf } from '../../../source/sandbox/world/nodes.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { armClients, credential, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;
let sub: string;
const RG = 'rg-batch';
const HOUR = 3_600_000;
const NO_PERMISSION = {
  statusCode: 409,
  code: 'AutoStorageNoPermission',
  message: 'The managed identity does not have permission to access auto storage account. Please use Azure RBAC to assign the managed identity access to auto storage.',
};

beforeAll(async () => {
  sandbox = await startSeeded();
  await sandbox.storageReady;
  sub = sandbox.profile.subscriptionId ?? '';
});
afterAll(async () => sandbox?.stop());

const storageId = (name: string) => `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${name}`;
const identity = (name: string) => [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === name);

async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

async function grant(principalId: string, role: string, scope: string): Promise<void> {
  const { authorization } = armClients(sandbox);
  await authorization.roleAssignments.create(scope, randomUUID(), { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType: 'ServicePrincipal' });
}

/** Uploads a zip to the package's storageUrl as the operator, or as `who` (managed-identity mode: no SAS in the URL). */
async function upload(storageUrl: string, who?: { clientId: string; clientSecret: string }): Promise<number> {
  const response = await new BlockBlobClient(storageUrl, credential(sandbox, who), { retryOptions: { maxTries: 1 } }).upload('PK\u0003\u0004 sandbox zip', 20);
  return response._response.status;
}

describe('application packages in BatchAccountManagedIdentity mode', () => {
  it('answers 409 AutoStorageNoPermission (target BatchAccount) while the account identity has no data role, and works once granted', async () => {
    const { batch } = armClients(sandbox);
    await expect(batch.applicationPackageOperations.create(RG, 'batchnorole', 'tools', '2.0')).rejects.toMatchObject(NO_PERMISSION);
    await expect(batch.applicationPackageOperations.activate(RG, 'batchnorole', 'tools', '1.0', { format: 'zip' })).rejects.toMatchObject(NO_PERMISSION);
    const raw = await batch.applicationPackageOperations.create(RG, 'batchnorole', 'tools', '2.0').then(
      () => '',
      (e: { response?: { bodyAsText?: string } }) => e.response?.bodyAsText ?? '',
    );
    expect(JSON.parse(raw)).toMatchObject({ error: { target: 'BatchAccount' } });
    // A Reader-level role does not let the service write the package.
    const accountPrincipal = identity('id-batch-account-norole')?.principalId ?? '';
    await grant(accountPrincipal, ROLE.storageBlobDataReader, storageId('stbatchauto'));
    await expect(batch.applicationPackageOperations.create(RG, 'batchnorole', 'tools', '2.0')).rejects.toMatchObject(NO_PERMISSION);
    await grant(accountPrincipal, ROLE.storageBlobDataContributor, storageId('stbatchauto'));
    const created = await batch.applicationPackageOperations.create(RG, 'batchnorole', 'tools', '2.0');
    expect(created).toMatchObject({ name: '2.0', state: 'Pending' });
    expect(created.storageUrl).toMatch(/\/stbatchauto\/app-tools-[0-9a-f]+\/tools-2\.0-[0-9a-f]+$/);
    expect(created.storageUrl).not.toContain('sig=');
  });

  it('uploads into autostorage with the operator own data role, activates, and a pool uses the package', async () => {
    const { batch } = armClients(sandbox);
    const app = await batch.applicationOperations.create(RG, 'batchhealthy', 'render', { parameters: { displayName: 'Renderer', allowUpdates: true } });
    expect(app).toMatchObject({ name: 'render', displayName: 'Renderer', allowUpdates: true });
    const created = await batch.applicationPackageOperations.create(RG, 'batchhealthy', 'render', '3.1');
    // The upload is the client's own, with its own data role: the Reader principal holds none.
    await expect(upload(created.storageUrl ?? '', SEED.reader)).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    // The seeded operator holds Storage Blob Data Contributor on autostorage.
    expect(await upload(created.storageUrl ?? '')).toBe(201);
    const active = await batch.applicationPackageOperations.activate(RG, 'batchhealthy', 'render', '3.1', { format: 'zip' });
    expect(active).toMatchObject({ state: 'Active', format: 'zip' });
    expect(active.lastActivationTime).toBeInstanceOf(Date);
    expect((await all(batch.applicationPackageOperations.list(RG, 'batchhealthy', 'render'))).map((p) => p.name)).toEqual(['3.1']);
    expect((await all(batch.applicationOperations.list(RG, 'batchhealthy'))).map((a) => a.name).sort()).toEqual(['render', 'tools']);
    await batch.applicationOperations.update(RG, 'batchhealthy', 'render', { defaultVersion: '3.1' });

    const nodeIdentity = identity('id-batch-nodes')?.id ?? '';
    const appId = `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/batchhealthy/applications/render`;
    const pool = await batch.poolOperations.create(RG, 'batchhealthy', 'render-pool', {
      identity: { type: 'UserAssigned', userAssignedIdentities: { [nodeIdentity]: {} } },
      vmSize: 'STANDARD_D2S_V3',
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
      applicationPackages: [{ id: appId }],
    });
    sandbox.clock.advance(HOUR);
    const world = sandbox.world.pools.get(pool.id?.toLowerCase() ?? '');
    const nodes = world ? [...nodesOf(sandbox.world, world).values()] : [];
    expect(nodes.map((n) => [n.state, n.applicationPackagesDownloaded])).toEqual([['idle', ['render/3.1']]]);
  });

  it('refuses pool references to a version that does not exist or is not active (409 InvalidApplicationPackageReferences)', async () => {
    const { batch } = armClients(sandbox);
    const appId = `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/batchhealthy/applications/tools`;
    await batch.applicationPackageOperations.create(RG, 'batchhealthy', 'tools', '5.0');
    for (const version of ['9.9', '5.0']) {
      await expect(batch.poolOperations.create(RG, 'batchhealthy', `bad-${version.replace('.', '-')}`, { applicationPackages: [{ id: appId, version }] })).rejects.toMatchObject({ statusCode: 409, code: 'InvalidApplicationPackageReferences' });
    }
    await expect(batch.poolOperations.create(RG, 'batchhealthy', 'bad-default', { applicationPackages: [{ id: appId }] })).rejects.toMatchObject({ statusCode: 409 });
    await expect(batch.applicationOperations.get(RG, 'batchhealthy', 'nope')).rejects.toMatchObject({ statusCode: 404, code: 'ApplicationNotFound' });
    await expect(batch.applicationPackageOperations.get(RG, 'batchhealthy', 'tools', '7.7')).rejects.toMatchObject({ statusCode: 404, code: 'ApplicationPackageNotFound' });
  });

  it('answers AutoStorageNoPermission when the account has no identity at all (MI001)', async () => {
    const { batch } = armClients(sandbox);
    await batch.batchAccountOperations.beginCreateAndWait(RG, 'batchnoidentity', {
      location: 'westeurope',
      autoStorage: { storageAccountId: storageId('stbatchauto'), authenticationMode: 'BatchAccountManagedIdentity' },
    });
    await expect(batch.applicationPackageOperations.create(RG, 'batchnoidentity', 'tools', '1.0')).rejects.toMatchObject(NO_PERMISSION);
  });
});

describe('application packages in StorageKeys mode', () => {
  it('work whatever the account identity holds', async () => {
    const { batch } = armClients(sandbox);
    await batch.batchAccountOperations.beginCreateAndWait(RG, 'batchkeys', {
      location: 'westeurope',
      autoStorage: { storageAccountId: storageId('stbatchlogs'), authenticationMode: 'StorageKeys' },
    });
    const created = await batch.applicationPackageOperations.create(RG, 'batchkeys', 'tools', '1.0');
    expect(created.storageUrl).toContain('/stbatchlogs/app-tools-');
    expect((await batch.applicationPackageOperations.activate(RG, 'batchkeys', 'tools', '1.0', { format: 'zip' })).state).toBe('Active');
    await batch.poolOperations.create(RG, 'batchkeys', 'keys-pool', {
      vmSize: 'STANDARD_D2S_V3',
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
      applicationPackages: [{ id: `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/batchkeys/applications/tools`, version: '1.0' }],
    });
    sandbox.clock.advance(HOUR);
    const pool = [...sandbox.world.pools.values()].find((p) => p.name === 'keys-pool');
    expect(pool ? [...nodesOf(sandbox.world, pool).values()].map((n) => n.applicationPackagesDownloaded) : []).toEqual([['tools/1.0']]);
  });
});
