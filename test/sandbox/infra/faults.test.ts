import { readFileSync } from 'node:fs';
import { BatchManagementClient } from '@azure/arm-batch';
import { ClientSecretCredential } from '@azure/identity';
import { BlobServiceClient, RestError } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { SUB, buildWorld, operator, storageId, trustCa } from './fixture.js';

let sandbox: RunningSandbox;
let credential: ClientSecretCredential;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld, waitForStorage: true });
  trustCa(readFileSync(sandbox.profile.caCertFile, 'utf8'));
  credential = new ClientSecretCredential(
    sandbox.profile.tenantId,
    operator.appId,
    operator.secret,
    { authorityHost: sandbox.profile.authorityHost, disableInstanceDiscovery: true },
  );
  await sandbox.ensureContainer('stinfra', 'faults');
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.stop());

const container = () =>
  new BlobServiceClient(
    sandbox.world.storageAccounts.get(storageId.toLowerCase())?.blobEndpoint ?? '',
    credential,
    {
      retryOptions: { maxTries: 3, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
    },
  ).getContainerClient('faults');

describe('fault injection through the real SDK pipelines', () => {
  it('429 with Retry-After on ARM: the ARM client waits as told and retries', async () => {
    const client = new BatchManagementClient(credential, SUB, {
      endpoint: sandbox.profile.armEndpoint,
      credentialScopes: [sandbox.profile.armScope],
    });
    await credential.getToken(sandbox.profile.armScope);
    sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts/,
      kind: 'throttle',
      retryAfterSeconds: 1,
      times: 2,
    });
    const started = Date.now();
    const accounts = [];
    for await (const account of client.batchAccountOperations.list()) accounts.push(account.name);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(sandbox.faults.list()).toHaveLength(0);
    expect(accounts).toEqual(['batchinfra']);
  });

  it('503 on storage: storage-blob retries and the upload succeeds', async () => {
    sandbox.faults.add({
      listener: 'storage',
      match: /^PUT /,
      kind: 'error',
      status: 503,
      times: 1,
    });
    expect(
      (await container().getBlockBlobClient('retry.txt').upload('x', 1))._response.status,
    ).toBe(201);
    expect(sandbox.faults.list()).toHaveLength(0);
  });

  it('storage throttling is 503 ServerBusy with Retry-After, as Azure Storage answers it', async () => {
    sandbox.faults.add({ listener: 'storage', kind: 'throttle', retryAfterSeconds: 2 });
    const error = await container()
      .getBlockBlobClient('busy.txt')
      .upload('x', 1)
      .catch((e: unknown) => e as RestError);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBe(503);
    expect((error as RestError).code).toBe('ServerBusy');
    expect((error as RestError).response?.headers.get('retry-after')).toBe('2');
  });

  it('a dropped connection is retried; a connection that always drops fails with a network error', async () => {
    sandbox.faults.add({ listener: 'storage', kind: 'drop', times: 1 });
    expect((await container().getBlockBlobClient('drop.txt').upload('x', 1))._response.status).toBe(
      201,
    );
    sandbox.faults.add({ listener: 'storage', kind: 'drop' });
    const error = await container()
      .getBlockBlobClient('drop.txt')
      .upload('x', 1)
      .catch((e: unknown) => e as RestError);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBeUndefined();
  });

  it('latency delays the answer', async () => {
    sandbox.faults.add({ listener: 'entra', kind: 'latency', latencyMs: 400 });
    const fresh = new ClientSecretCredential(
      sandbox.profile.tenantId,
      operator.appId,
      operator.secret,
      { authorityHost: sandbox.profile.authorityHost, disableInstanceDiscovery: true },
    );
    const started = Date.now();
    await fresh.getToken('https://storage.azure.com/.default');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('the control route adds and clears rules for another process', async () => {
    const added = await fetch(`${sandbox.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ listener: 'arm', kind: 'error', status: 500, match: 'pools' }),
    });
    expect(added.status).toBe(201);
    expect(sandbox.faults.list()).toMatchObject([{ listener: 'arm', kind: 'error', status: 500 }]);
    expect((await fetch(`${sandbox.controlUrl}/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.faults.list()).toHaveLength(0);
  });
});
