import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BatchAccount } from '@azure/arm-batch';
import { RestError } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProfileCa, type CaTrust } from '../../source/cloud/ca.js';
import { createClients, type CloudClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { loadProfile, type CloudProfile } from '../../source/cloud/profile.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../../source/cloud/start-sandbox.js';
import { claimsOf } from '../sandbox/infra/fixture.js';

const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

let embedded: EmbeddedSandbox;
let profile: CloudProfile;
let trust: CaTrust;
let clients: CloudClients;

beforeAll(async () => {
  // The program's way in: the embedded, seeded sandbox.
  embedded = await startEmbeddedSandbox({ waitForStorage: true });
  // Round trip through a file, as `batch-mi-tui sandbox --profile-out` and `--cloud FILE` do.
  const file = join(dirname(embedded.sandbox.profile.caCertFile), 'profile.json');
  await writeFile(file, JSON.stringify(embedded.sandbox.profile));
  profile = await loadProfile(file);
  trust = await trustProfileCa(profile);
  clients = createClients(profile, createCredential(profile, trust), trust);
});
afterAll(() => embedded.stop());

describe('cloud/ against the embedded sandbox', () => {
  it('the sandbox profile is a valid cloud profile with the operator sign-in', () => {
    expect(profile).toMatchObject({
      name: 'sandbox',
      disableInstanceDiscovery: true,
      batchScope: 'https://batch.core.windows.net//.default',
    });
    expect(profile.clientId && profile.clientSecret && profile.subscriptionId).toBeTruthy();
    expect(profile.imdsBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('trusts the CA process-wide on this Node, keeping the public roots', () => {
    expect(trust).toEqual({});
  });

  it('createCredential signs in with the client secret for every scope the program uses', async () => {
    const credential = createCredential(profile, trust);
    for (const [scope, aud] of [
      [profile.armScope, 'https://management.azure.com/'],
      [profile.storageScope, 'https://storage.azure.com/'],
      [profile.batchScope, 'https://batch.core.windows.net/'],
    ] as const) {
      const token = await credential.getToken(scope);
      expect(claimsOf(token?.token ?? '')).toMatchObject({ aud, appid: profile.clientId });
    }
  });

  it('ARM and the legacy Batch data-plane client reach the sandbox', async () => {
    const accounts: BatchAccount[] = [];
    for await (const account of clients.batchManagement().batchAccountOperations.list())
      accounts.push(account);
    expect(accounts.length).toBeGreaterThan(0);
    const withPools = accounts.find((a) => a.accountEndpoint);
    const pools = await clients.batchData(withPools?.accountEndpoint ?? '').pool.list();
    expect(Array.isArray(pools)).toBe(true);
  });

  it('storage answers 403 until a data role is assigned through ARM, then 201', async () => {
    // The seed gives the operator data roles on the autostorage accounts (to upload logs);
    // stbatchlogs is open and holds none of the operator's.
    const account = [...embedded.sandbox.world.storageAccounts.values()].find(
      (a) => a.name === 'stbatchlogs' && a.networkRuleSet.defaultAction === 'Allow',
    );
    if (!account) throw new Error('the seeded world has no open storage account stbatchlogs');
    await embedded.sandbox.ensureContainer(account.name, 'cloud-test');
    const container = clients.blobService(account.blobEndpoint).getContainerClient('cloud-test');
    const refused = await container
      .getBlockBlobClient('hello.txt')
      .upload('hi', 2)
      .catch((e: unknown) => e);
    // The operator is Owner: control plane only, no dataActions, so Azure refuses the upload.
    expect(refused).toBeInstanceOf(RestError);
    expect((refused as RestError).code).toBe('AuthorizationPermissionMismatch');

    const token = await createCredential(profile, trust).getToken(profile.armScope);
    await clients.authorization().roleAssignments.create(account.id, randomUUID(), {
      roleDefinitionId: `/subscriptions/${profile.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
      principalId: String(claimsOf(token?.token ?? '').oid),
      principalType: 'ServicePrincipal',
    });
    expect((await container.getBlockBlobClient('hello.txt').upload('hi', 2))._response.status).toBe(
      201,
    );
    expect((await container.getBlobClient('hello.txt').downloadToBuffer()).toString()).toBe('hi');
  });

  it('batchManagement clients are kept per subscription', () => {
    expect(clients.batchManagement('sub-1').subscriptionId).toBe('sub-1');
    expect(clients.batchManagement('sub-1')).toBe(clients.batchManagement('sub-1'));
  });
});
