import { readFileSync } from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  RestError,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { STORAGE, buildWorld, idA, idB, operator, reader, storageId, trustCa } from './fixture.js';

let sandbox: RunningSandbox;
let blobEndpoint: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld, waitForStorage: true });
  trustCa(readFileSync(sandbox.profile.caCertFile, 'utf8'));
  blobEndpoint = sandbox.world.storageAccounts.get(storageId.toLowerCase())?.blobEndpoint ?? '';
});
afterAll(() => sandbox.stop());

const serviceAs = (who: { appId: string; secret: string }) =>
  new BlobServiceClient(
    blobEndpoint,
    new ClientSecretCredential(sandbox.profile.tenantId, who.appId, who.secret, {
      authorityHost: sandbox.profile.authorityHost,
      disableInstanceDiscovery: true,
    }),
    { retryOptions: { maxTries: 1 } },
  );

const errorOf = async (promise: Promise<unknown>): Promise<RestError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RestError) return error;
    throw error;
  }
  throw new Error('expected a RestError');
};

describe('storage gate', () => {
  it('lets a principal with Storage Blob Data Contributor create, upload and list', async () => {
    const container = serviceAs(operator).getContainerClient('logs');
    expect((await container.create())._response.status).toBe(201);
    const upload = await container.getBlockBlobClient('a/b.txt').upload('hello', 5);
    expect(upload._response.status).toBe(201);
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(names).toEqual(['a/b.txt']);
    expect((await container.getBlobClient('a/b.txt').downloadToBuffer()).toString()).toBe('hello');
  });

  it('refuses a principal without a data role with 403 AuthorizationPermissionMismatch', async () => {
    const container = serviceAs(reader).getContainerClient('logs');
    const listing = await errorOf(container.listBlobsFlat().next());
    expect(listing.statusCode).toBe(403);
    expect(listing.code).toBe('AuthorizationPermissionMismatch');
    expect(listing.response?.headers.get('x-ms-request-id')).toBeTruthy();
    expect(listing.response?.headers.get('x-ms-version')).toBeTruthy();
    expect(listing.response?.bodyAsText).toContain(
      'This request is not authorized to perform this operation using this permission.',
    );
    const upload = await errorOf(container.getBlockBlobClient('x.txt').upload('x', 1));
    expect(upload.code).toBe('AuthorizationPermissionMismatch');
  });

  it('honours a SAS signed with the account key', async () => {
    const key = new StorageSharedKeyCredential(STORAGE, sandbox.storageAccountKey(STORAGE));
    const sas = generateBlobSASQueryParameters(
      {
        containerName: 'logs',
        permissions: BlobSASPermissions.parse('rcw'),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      key,
    ).toString();
    const container = new BlobServiceClient(`${blobEndpoint}?${sas}`, undefined, {
      retryOptions: { maxTries: 1 },
    }).getContainerClient('logs');
    await container.getBlockBlobClient('sas.txt').upload('via sas', 7);
    const forged = new BlobServiceClient(
      `${blobEndpoint}?${sas.replace(/sig=[^&]+/, 'sig=AAAA')}`,
      undefined,
      { retryOptions: { maxTries: 1 } },
    ).getContainerClient('logs');
    expect((await errorOf(forged.getBlockBlobClient('sas.txt').upload('x', 1))).statusCode).toBe(
      403,
    );
  });

  it('answers 401 InvalidAuthenticationInfo for a token of another audience', async () => {
    const { token } = sandbox.services.tokens.issue({
      principalObjectId: operator.objectId,
      aud: 'https://management.azure.com/',
    });
    const res = await fetch(`${blobEndpoint}logs?restype=container&comp=list`, {
      headers: { authorization: `Bearer ${token}`, 'x-ms-version': '2025-11-05' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ms-error-code')).toBe('InvalidAuthenticationInfo');
    expect(res.headers.get('www-authenticate')).toContain('resource_id=https://storage.azure.com');
    expect(await res.text()).toContain(
      '<AuthenticationErrorDetail>Audience validation failed. Audience did not match.</AuthenticationErrorDetail>',
    );
  });

  it('requires x-ms-version with a bearer token', async () => {
    const { token } = sandbox.services.tokens.issue({
      principalObjectId: operator.objectId,
      aud: 'https://storage.azure.com/',
    });
    const res = await fetch(`${blobEndpoint}logs?restype=container&comp=list`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(
      'Authentication scheme Bearer is not supported in this version.',
    );
  });
});

describe('StorageAccess (what simulated nodes do)', () => {
  const containerUrl = () => `${blobEndpoint}logs`;

  it('writes a real blob for an identity with a data role, and refuses one without', async () => {
    expect(
      await sandbox.services.storage.putBlob({
        containerUrl: containerUrl(),
        blobName: 'node/agent-debug.log',
        content: 'line',
        principalObjectId: idA.principalId,
      }),
    ).toEqual({ status: 201 });
    const text = (
      await serviceAs(operator)
        .getContainerClient('logs')
        .getBlobClient('node/agent-debug.log')
        .downloadToBuffer()
    ).toString();
    expect(text).toBe('line');
    expect(
      await sandbox.services.storage.putBlob({
        containerUrl: containerUrl(),
        blobName: 'x.log',
        content: 'x',
        principalObjectId: idB.principalId,
      }),
    ).toEqual({ status: 403, errorCode: 'AuthorizationPermissionMismatch' });
    expect(
      await sandbox.services.storage.canRead({
        containerUrl: containerUrl(),
        principalObjectId: idA.principalId,
      }),
    ).toEqual({ status: 200 });
    expect(
      await sandbox.services.storage.canRead({
        containerUrl: containerUrl(),
        principalObjectId: idB.principalId,
      }),
    ).toMatchObject({ status: 403 });
  });

  it('applies the firewall to callers in a subnet that is not allowed', async () => {
    const account = sandbox.world.storageAccounts.get(storageId.toLowerCase())!;
    const allowed =
      '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/allowed';
    account.networkRuleSet = {
      ...account.networkRuleSet,
      defaultAction: 'Deny',
      virtualNetworkRules: [{ id: allowed, action: 'Allow' }],
    };
    try {
      const input = { containerUrl: containerUrl(), principalObjectId: idA.principalId };
      const blocked = { kind: 'subnet', subnetId: `${allowed.slice(0, -7)}blocked` } as const;
      expect(await sandbox.services.storage.canRead({ ...input, from: blocked })).toEqual({
        status: 403,
        errorCode: 'AuthorizationFailure',
      });
      expect(
        await sandbox.services.storage.canRead({
          ...input,
          from: { kind: 'subnet', subnetId: allowed.toUpperCase() },
        }),
      ).toEqual({ status: 200 });
      expect(
        await sandbox.services.storage.putBlob({
          ...input,
          blobName: 'fw.log',
          content: 'x',
          from: blocked,
        }),
      ).toEqual({ status: 403, errorCode: 'AuthorizationFailure' });
      // A node of a pool without a virtual network: no rule names the address Batch gave it.
      expect(await sandbox.services.storage.canRead(input)).toEqual({
        status: 403,
        errorCode: 'AuthorizationFailure',
      });
    } finally {
      account.networkRuleSet = {
        ...account.networkRuleSet,
        defaultAction: 'Allow',
        virtualNetworkRules: [],
      };
    }
  });
});
