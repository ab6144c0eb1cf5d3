/**
 * StorageGateway against the sandbox's blob storage (Azurite behind the RBAC gate) through the
 * real @azure/storage-blob clients: the operator's (cloud/) and ones holding a token minted for a
 * managed identity. Storage's refusals arrive as the domain errors the screens act on.
 */
import { toHttpHeadersLike } from '@azure/core-http-compat';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageGateway, blobServiceForToken } from '../../source/azure/storage.js';
import { DomainError } from '../../source/domain/errors.js';
import { startStorageFixture, type StorageFixture } from './storage-fixture.js';

let fx: StorageFixture;
let logs: { id: string; blobEndpoint: string };
let auto: { id: string; blobEndpoint: string };
const DIR = 'pool-a/node-1/6b1c2f7e-0000-4000-8000-000000000001/';

beforeAll(async () => {
  fx = await startStorageFixture();
  logs = fx.storage('stbatchlogs');
  auto = fx.storage('stbatchauto');
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Contributor');
  for (const [account, container] of [
    ['stbatchlogs', 'node-logs'],
    ['stbatchauto', 'inputs'],
  ] as const)
    expect((await fx.sandbox.ensureContainer(account, container)).status).toBeLessThan(300);
  const container = fx.operator.blobService(logs.blobEndpoint).getContainerClient('node-logs');
  for (const [name, text] of [
    ['agent-debug.log', 'one\ntwo\nthree\n'],
    ['agent.log', 'x'],
    ['watchdog.log', ''],
  ] as const)
    await container.getBlockBlobClient(`${DIR}${name}`).upload(text, Buffer.byteLength(text));
  await container.getBlockBlobClient('elsewhere.log').upload('y', 1);
}, 120_000);
afterAll(() => fx?.embedded.stop());

const operatorStorage = () => new StorageGateway(fx.operator.blobService(logs.blobEndpoint));

describe('as the operator (Storage Blob Data Contributor)', () => {
  it('lists a virtual directory with sizes', async () => {
    const files = await operatorStorage().listBlobs('node-logs', { prefix: DIR });
    expect(files.map((f) => [f.name.slice(DIR.length), f.size])).toEqual([
      ['agent-debug.log', 14],
      ['agent.log', 1],
      ['watchdog.log', 0],
    ]);
  });

  it('pages a listing to the end, and stops at a limit', async () => {
    expect(await operatorStorage().listBlobs('node-logs', { limit: 2 })).toHaveLength(2);
    expect(await operatorStorage().listBlobs('node-logs')).toHaveLength(4);
  });

  it('reads properties and byte ranges', async () => {
    const storage = operatorStorage();
    expect(await storage.getBlobProperties('node-logs', `${DIR}agent-debug.log`)).toMatchObject({
      size: 14,
    });
    expect(
      Buffer.from(await storage.readRange('node-logs', `${DIR}agent-debug.log`, 4, 5)).toString(),
    ).toBe('two\nt');
    const index = await storage.openLines('node-logs', `${DIR}agent-debug.log`, { chunkBytes: 4 });
    expect(await index.lines(0, 10)).toEqual(['one', 'two', 'three']);
  });

  it('creates a container once, and not at all in read-only mode', async () => {
    const readOnly = new StorageGateway(fx.operator.blobService(logs.blobEndpoint), {
      readOnly: true,
    });
    await expect(readOnly.createContainer('batch-logs')).rejects.toMatchObject({
      kind: 'ReadOnly',
    });
    expect(await operatorStorage().containerExists('batch-logs')).toBe(false);
    expect(await operatorStorage().createContainer('batch-logs')).toBe(true);
    expect(await operatorStorage().createContainer('batch-logs')).toBe(false);
    expect(await operatorStorage().containerExists('batch-logs')).toBe(true);
  });

  it('says NotFound for a blob that is not there', async () => {
    await expect(
      operatorStorage().getBlobProperties('node-logs', 'nope.log'),
    ).rejects.toMatchObject({ kind: 'NotFound', statusCode: 404 });
  });
});

describe('with a token from elsewhere (the token check)', () => {
  const probeAs = (token: string, container = 'inputs') =>
    new StorageGateway(blobServiceForToken(auto.blobEndpoint, token), {
      retryPolicy: { maxAttempts: 1 },
    }).probe({ container });

  it('200 for an identity with Storage Blob Data Reader', async () => {
    expect(await probeAs(fx.tokenFor(fx.identity('id-batch-nodes').principalId))).toEqual({
      operation: 'List Blobs',
      status: 200,
      message: 'OK',
    });
  });

  it('403 AuthorizationPermissionMismatch for one without a data role', async () => {
    expect(await probeAs(fx.tokenFor(fx.identity('id-workload').principalId))).toMatchObject({
      status: 403,
      code: 'AuthorizationPermissionMismatch',
      message: 'This request is not authorized to perform this operation using this permission.',
    });
  });

  it.each([
    ['expired', { lifetimeSeconds: -3600 }],
    ['for another audience', { aud: 'https://management.azure.com/' }],
  ])('401 InvalidAuthenticationInfo for a token %s', async (_what, input) => {
    expect(
      await probeAs(fx.tokenFor(fx.identity('id-batch-nodes').principalId, input)),
    ).toMatchObject({ status: 401, code: 'InvalidAuthenticationInfo' });
  });

  it('Get Blob Properties on a blob URL, 404 with the code from the header', async () => {
    const storage = new StorageGateway(
      blobServiceForToken(
        auto.blobEndpoint,
        fx.tokenFor(fx.identity('id-batch-nodes').principalId),
      ),
    );
    expect(await storage.probe({ container: 'inputs', blob: 'settings.json' })).toMatchObject({
      operation: 'Get Blob Properties',
      status: 404,
      code: 'BlobNotFound',
    });
  });

  it('maps a refused listing to Forbidden naming the data role, and a refused token to NotSignedIn', async () => {
    const noRole = new StorageGateway(
      blobServiceForToken(auto.blobEndpoint, fx.tokenFor(fx.identity('id-workload').principalId)),
    );
    const error = await noRole.listBlobs('inputs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'Forbidden',
      azureCode: 'AuthorizationPermissionMismatch',
      statusCode: 403,
    });
    expect((error as DomainError).message).toMatch(
      /no Storage Blob Data role that allows blobs\/read \(AuthorizationPermissionMismatch\)/,
    );
    expect((error as DomainError).nextStep).toMatch(/Storage Blob Data Reader/);
    const badToken = new StorageGateway(
      blobServiceForToken(
        auto.blobEndpoint,
        fx.tokenFor(fx.identity('id-batch-nodes').principalId, { lifetimeSeconds: -3600 }),
      ),
    );
    await expect(badToken.listBlobs('inputs')).rejects.toMatchObject({
      kind: 'NotSignedIn',
      azureCode: 'InvalidAuthenticationInfo',
    });
  });
});

describe("storage's firewall answer (the sandbox's gate has no firewall for outside callers)", () => {
  // The wire is canned (storage-blob's transport is core-http-compat's), the SDK pipeline and its
  // error parsing are real.
  type Transport = NonNullable<StoragePipelineOptions['httpClient']>;
  const firewall: Transport = {
    sendRequest: (request) =>
      Promise.resolve({
        request,
        status: 403,
        headers: toHttpHeadersLike(
          createHttpHeaders({
            'content-type': 'application/xml',
            'x-ms-error-code': 'AuthorizationFailure',
            'x-ms-request-id': 'req-1',
          }),
        ),
        bodyAsText:
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized to perform this operation.\nRequestId:req-1</Message></Error>',
      }),
  };
  const service = new BlobServiceClient(
    'https://stfirewalled.blob.core.windows.net',
    { getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) },
    { httpClient: firewall, retryOptions: { maxTries: 1 } },
  );

  it('is AuthorizationFailure in the probe and Forbidden (firewall) from a listing', async () => {
    const storage = new StorageGateway(service, { retryPolicy: { maxAttempts: 1 } });
    expect(await storage.probe({ container: 'inputs' })).toMatchObject({
      status: 403,
      code: 'AuthorizationFailure',
    });
    const error = await storage.listBlobs('inputs').catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'Forbidden',
      azureCode: 'AuthorizationFailure',
      requestId: 'req-1',
    });
    expect((error as DomainError).message).toMatch(
      /firewall of storage account stfirewalled refused this network/,
    );
  });
});
