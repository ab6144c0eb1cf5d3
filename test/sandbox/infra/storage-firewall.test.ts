/**
 * The storage firewall (networkRuleSet) for direct callers of the gate, through the real
 * @azure/storage-blob clients. Every direct caller is on the public internet as far as the
 * firewall knows, at the address its socket has (127.0.0.1): with defaultAction Deny it is
 * refused with 403 AuthorizationFailure, whatever its credentials, until an ipRule covers
 * 127.0.0.1; a subnet rule or the trusted-services bypass does not admit it.
 */
import { readFileSync } from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  RestError,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import type { StorageAccount } from '../../../source/sandbox/world/model.js';
import { STORAGE, buildWorld, operator, reader, storageId, trustCa } from './fixture.js';

let sandbox: RunningSandbox;
let account: StorageAccount;
const OPEN = {
  bypass: 'AzureServices',
  defaultAction: 'Allow',
  virtualNetworkRules: [],
  ipRules: [],
} as const;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld, waitForStorage: true });
  trustCa(readFileSync(sandbox.profile.caCertFile, 'utf8'));
  account = sandbox.world.storageAccounts.get(storageId.toLowerCase())!;
  await sandbox.ensureContainer(STORAGE, 'fwlogs');
});
afterAll(() => sandbox.stop());
afterEach(() => {
  account.networkRuleSet = { ...OPEN, virtualNetworkRules: [], ipRules: [] };
});

const deny = (rules: Partial<StorageAccount['networkRuleSet']> = {}) => {
  account.networkRuleSet = {
    ...OPEN,
    virtualNetworkRules: [],
    ipRules: [],
    defaultAction: 'Deny',
    ...rules,
  };
};

const containerAs = (who: { appId: string; secret: string }) =>
  new BlobServiceClient(
    account.blobEndpoint,
    new ClientSecretCredential(sandbox.profile.tenantId, who.appId, who.secret, {
      authorityHost: sandbox.profile.authorityHost,
      disableInstanceDiscovery: true,
    }),
    { retryOptions: { maxTries: 1 } },
  ).getContainerClient('fwlogs');

async function list(container: ReturnType<typeof containerAs>): Promise<number | RestError> {
  try {
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    return 200;
  } catch (error) {
    if (error instanceof RestError) return error;
    throw error;
  }
}

describe('a storage account that denies by default', () => {
  it("refuses the operator (who holds a data role) with Azure's AuthorizationFailure answer", async () => {
    deny();
    const refused = await list(containerAs(operator));
    expect(refused).toBeInstanceOf(RestError);
    const error = refused as RestError;
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('AuthorizationFailure');
    expect(error.message).toMatch(
      /^This request is not authorized to perform this operation\.\nRequestId:[0-9a-f-]{36}\nTime:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z/,
    );
    const headers = error.response?.headers;
    expect(headers?.get('x-ms-error-code')).toBe('AuthorizationFailure');
    expect(headers?.get('server')).toBe('Microsoft-HTTPAPI/2.0');
    expect(headers?.get('x-ms-version')).toBeUndefined();
    expect(headers?.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.response?.bodyAsText).toMatch(
      /^<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>AuthorizationFailure<\/Code><Message>This request is not authorized to perform this operation\.\nRequestId:[0-9a-f-]{36}\nTime:[^<]+<\/Message><\/Error>$/,
    );
  });

  it('refuses before looking at credentials: anonymous, SAS and Shared Key callers alike', async () => {
    deny();
    const anonymous = await fetch(`${account.blobEndpoint}fwlogs?restype=container&comp=list`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('x-ms-error-code')).toBe('AuthorizationFailure');
    const key = new StorageSharedKeyCredential(STORAGE, sandbox.storageAccountKey(STORAGE));
    const sas = generateBlobSASQueryParameters(
      {
        containerName: 'fwlogs',
        permissions: BlobSASPermissions.parse('rcw'),
        expiresOn: new Date(Date.now() + 3_600_000),
      },
      key,
    ).toString();
    const viaSas = new BlobServiceClient(`${account.blobEndpoint}?${sas}`, undefined, {
      retryOptions: { maxTries: 1 },
    }).getContainerClient('fwlogs');
    expect(await list(viaSas)).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
    const viaKey = new BlobServiceClient(account.blobEndpoint, key, {
      retryOptions: { maxTries: 1 },
    }).getContainerClient('fwlogs');
    expect(await list(viaKey)).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
  });

  it('is not opened by a subnet rule or by the trusted-services bypass: those admit nodes and Azure services', async () => {
    deny({
      bypass: 'Logging, Metrics, AzureServices',
      virtualNetworkRules: [
        {
          id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a',
          action: 'Allow',
        },
      ],
    });
    expect(await list(containerAs(operator))).toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailure',
    });
  });

  it.each([
    ['127.0.0.1', true],
    ['127.0.0.0/8', true],
    ['127.0.0.2', false],
    ['203.0.113.0/24', false],
  ])('with an ipRule for %s the operator is let through: %s', async (value, allowed) => {
    deny({ ipRules: [{ value, action: 'Allow' }] });
    const result = await list(containerAs(operator));
    if (allowed) expect(result).toBe(200);
    else expect(result).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
  });

  it('checks roles once the firewall lets a caller through: a principal without a data role still gets AuthorizationPermissionMismatch', async () => {
    deny({ ipRules: [{ value: '127.0.0.1', action: 'Allow' }] });
    expect(await list(containerAs(reader))).toMatchObject({
      statusCode: 403,
      code: 'AuthorizationPermissionMismatch',
    });
  });

  it('lets everyone through again once the default action is Allow', async () => {
    expect(await list(containerAs(operator))).toBe(200);
  });
});
