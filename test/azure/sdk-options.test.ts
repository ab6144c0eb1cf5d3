import { BatchManagementClient, type BatchAccount } from '@azure/arm-batch';
import { BatchServiceClient } from '@azure/batch';
import { HttpHeaders, type WebResourceLike } from '@azure/ms-rest-js';
import { describe, expect, it } from 'vitest';
import { toAccountSummary } from '../../source/azure/batch-management-map.js';
import { BATCH_CLIENT_RETRY_OPTIONS, removeSdkRetries } from '../../source/azure/sdk-options.js';
import { SUB, armHttpClient, thrown } from './canned-transport.js';

const token = {
  getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('switching the SDK retry policies off on built clients', () => {
  it('ARM: one request per call once the Retry phase is removed', async () => {
    const seen: unknown[] = [];
    const client = new BatchManagementClient(token, SUB, {
      httpClient: armHttpClient(
        { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'x' } } },
        seen as never[],
      ),
    });
    removeSdkRetries(client);
    removeSdkRetries(client);
    await thrown(() => client.poolOperations.get('rg', 'a', 'p'));
    expect(seen).toHaveLength(1);
  });

  it('legacy Batch: one request per call when built with BATCH_CLIENT_RETRY_OPTIONS', async () => {
    let sent = 0;
    const client = new BatchServiceClient(
      { signRequest: (r: WebResourceLike) => Promise.resolve(r) },
      'https://acct.batch.azure.com',
      {
        ...BATCH_CLIENT_RETRY_OPTIONS,
        httpClient: {
          sendRequest: (request: WebResourceLike) => {
            sent++;
            return Promise.resolve({
              request,
              status: 503,
              headers: new HttpHeaders({ 'content-type': 'application/json' }),
              bodyAsText: '{"code":"ServerBusy","message":{"value":"busy"}}',
            });
          },
        },
      },
    );
    const error = await thrown(() => client.computeNode.list('p'));
    expect(error).toMatchObject({ statusCode: 503 });
    expect(sent).toBe(1);
  });
});

describe('account mapping', () => {
  const base: BatchAccount = {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/a`,
    name: 'a',
    location: 'westeurope',
  };
  it.each<[string, BatchAccount, Record<string, unknown>]>([
    [
      'no identity, no autostorage',
      base,
      {
        identity: { type: 'None', userAssignedIdentities: [] },
        encryption: { keySource: 'Microsoft.Batch' },
        resourceGroup: 'rg',
        subscriptionId: SUB,
      },
    ],
    [
      'autostorage without a mode is StorageKeys',
      { ...base, autoStorage: { storageAccountId: 'sa', lastKeySync: new Date(0) } },
      { autoStorage: { storageAccountId: 'sa', authenticationMode: 'StorageKeys' } },
    ],
    [
      'versionless CMK key',
      {
        ...base,
        encryption: {
          keySource: 'Microsoft.KeyVault',
          keyVaultProperties: { keyIdentifier: 'https://kv.vault.azure.net/keys/k' },
        },
      },
      { encryption: { keySource: 'Microsoft.KeyVault', versionless: true } },
    ],
    [
      'versioned CMK key',
      {
        ...base,
        encryption: {
          keySource: 'Microsoft.KeyVault',
          keyVaultProperties: { keyIdentifier: 'https://kv.vault.azure.net/keys/k/0123abcd' },
        },
      },
      { encryption: { versionless: false } },
    ],
  ])('%s', (_name, account, expected) => {
    expect(toAccountSummary(account)).toMatchObject(expected);
  });
});
