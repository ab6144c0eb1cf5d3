/** Microsoft.KeyVault vaults and keys (keyvault.json / keys.json 2025-05-01), as far as the CMK rules need. */
import type { KeyVault, KeyVaultKey } from '../world/model.js';
import type { ArmRoute } from './context.js';
import { guard, listing, param, resourceNotFound, scopeOf } from './context.js';
import { armError, ok, page } from './http.js';

const TYPE = 'Microsoft.KeyVault/vaults';

export const serializeVault = (v: KeyVault) => ({
  id: v.id,
  name: v.name,
  type: TYPE,
  location: v.location,
  tags: {},
  properties: {
    tenantId: v.tenantId,
    sku: { family: 'A', name: 'standard' },
    accessPolicies: v.accessPolicies,
    vaultUri: v.vaultUri,
    enableSoftDelete: v.enableSoftDelete,
    softDeleteRetentionInDays: 90,
    enableRbacAuthorization: v.enableRbacAuthorization,
    // Purge protection can only be turned on; Azure omits the property while it is off.
    ...(v.enablePurgeProtection ? { enablePurgeProtection: true } : {}),
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
  },
});

const seconds = (ms: number) => Math.floor(ms / 1000);

export const serializeKey = (v: KeyVault, k: KeyVaultKey) => ({
  id: `${v.id}/keys/${k.name}`,
  name: k.name,
  type: 'Microsoft.KeyVault/vaults/keys',
  location: v.location,
  tags: {},
  properties: {
    attributes: {
      enabled: k.enabled,
      created: seconds(k.created),
      updated: seconds(k.created),
      recoveryLevel: v.enablePurgeProtection ? 'Recoverable' : 'Recoverable+Purgeable',
      exportable: false,
    },
    kty: k.kty,
    keyOps: k.keyOps,
    ...(k.keySize !== undefined ? { keySize: k.keySize } : {}),
    keyUri: `${v.vaultUri}keys/${k.name}`,
    keyUriWithVersion: `${v.vaultUri}keys/${k.name}/${k.version}`,
  },
});

const vaultPath = `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${TYPE}/{vaultName}`;

export const keyVaultRoutes: ArmRoute[] = [
  ...['subscriptions/{subscriptionId}', 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'].map(
    (prefix): ArmRoute => ({
      provider: 'keyvault',
      method: 'GET',
      pattern: `${prefix}/providers/${TYPE}`,
      handle: (ctx) => listing(ctx, `${TYPE}/read`, [...ctx.services.world.keyVaults.values()], serializeVault),
    }),
  ),
  {
    provider: 'keyvault',
    method: 'GET',
    pattern: vaultPath,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'vaultName')}`;
      const problem = guard(ctx, `${TYPE}/read`, id);
      if (problem) return problem;
      const vault = ctx.services.world.keyVaults.get(id.toLowerCase());
      return vault ? ok(serializeVault(vault)) : resourceNotFound(TYPE, param(ctx, 'vaultName'), param(ctx, 'resourceGroupName'));
    },
  },
  {
    provider: 'keyvault',
    method: 'GET',
    pattern: `${vaultPath}/keys`,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'vaultName')}`;
      const problem = guard(ctx, `${TYPE}/keys/read`, id);
      if (problem) return problem;
      const vault = ctx.services.world.keyVaults.get(id.toLowerCase());
      if (!vault) return resourceNotFound(TYPE, param(ctx, 'vaultName'), param(ctx, 'resourceGroupName'));
      return page(ctx.req, ctx.services.endpoints.arm, vault.keys, (k) => serializeKey(vault, k));
    },
  },
  {
    provider: 'keyvault',
    method: 'GET',
    pattern: `${vaultPath}/keys/{keyName}`,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'vaultName')}`;
      const problem = guard(ctx, `${TYPE}/keys/read`, `${id}/keys/${param(ctx, 'keyName')}`);
      if (problem) return problem;
      const vault = ctx.services.world.keyVaults.get(id.toLowerCase());
      if (!vault) return resourceNotFound(TYPE, param(ctx, 'vaultName'), param(ctx, 'resourceGroupName'));
      const k = vault.keys.find((x) => x.name.toLowerCase() === param(ctx, 'keyName').toLowerCase());
      return k ? ok(serializeKey(vault, k)) : armError(404, 'KeyNotFound', `The key '${param(ctx, 'keyName')}' was not found in vault '${vault.name}'.`);
    },
  },
];

