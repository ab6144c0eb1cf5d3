/** ARM JSON → the doctor's storage and key vault views: what Azure omits means its default. */
import { describe, expect, it } from 'vitest';
import { limiter } from '../../source/azure/collector-parts.js';
import { toKeyVaultInfo, toKeyVaultKeyInfo } from '../../source/azure/key-vault.js';
import { toStorageAccountInfo } from '../../source/azure/storage-accounts.js';

const SA = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
const KV = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv';

describe('storage accounts', () => {
  it('an account without networkAcls allows by default', () => {
    expect(toStorageAccountInfo({ id: SA, name: 'st', properties: {} })).toEqual({
      id: SA,
      name: 'st',
      networkAcls: { defaultAction: 'Allow', virtualNetworkRules: [], ipRules: [] },
    });
  });

  it('keeps the deny default, subnets, IP rules and the blob endpoint', () => {
    const info = toStorageAccountInfo({
      id: SA,
      properties: {
        primaryEndpoints: { blob: 'https://st.blob.core.windows.net/' },
        networkAcls: {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          virtualNetworkRules: [{ id: '/x/subnets/a', state: 'Succeeded' }],
          ipRules: [{ value: '203.0.113.0/24' }],
        },
      },
    });
    expect(info).toMatchObject({
      name: 'st',
      blobEndpoint: 'https://st.blob.core.windows.net/',
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        virtualNetworkRules: [{ id: '/x/subnets/a', state: 'Succeeded' }],
        ipRules: ['203.0.113.0/24'],
      },
    });
  });
});

describe('key vaults', () => {
  it('purge protection omitted stays undefined (off); access policies keep key permissions only', () => {
    const vault = toKeyVaultInfo({
      id: KV,
      name: 'kv',
      properties: {
        vaultUri: 'https://kv.vault.azure.net/',
        enableSoftDelete: true,
        accessPolicies: [{ objectId: 'o1', permissions: { keys: ['get', 'wrapKey'] } }],
      },
    });
    expect(vault).toEqual({
      id: KV,
      name: 'kv',
      vaultUri: 'https://kv.vault.azure.net/',
      enableSoftDelete: true,
      enableRbacAuthorization: false,
      accessPolicies: [{ objectId: 'o1', keys: ['get', 'wrapKey'] }],
    });
  });

  it('a key: type, size, operations, enabled', () => {
    expect(
      toKeyVaultKeyInfo(
        {
          id: `${KV}/keys/k`,
          name: 'k',
          properties: {
            kty: 'RSA',
            keySize: 3072,
            keyOps: ['wrapKey'],
            attributes: { enabled: false },
          },
        },
        KV,
      ),
    ).toEqual({
      id: `${KV}/keys/k`,
      vaultId: KV,
      name: 'k',
      kty: 'RSA',
      keySize: 3072,
      keyOps: ['wrapKey'],
      enabled: false,
    });
  });
});

describe('the collector limiter', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const run = limiter(3);
    let inFlight = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('a failing task does not stop the others', async () => {
    const run = limiter(1);
    const settled = await Promise.allSettled([
      run(() => Promise.reject(new Error('x'))),
      run(() => Promise.resolve(2)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
  });
});
