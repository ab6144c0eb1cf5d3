/** Microsoft.Storage/storageAccounts (storage.json 2025-08-01): list and get, with primaryEndpoints and networkAcls. */
import type { StorageAccount } from '../world/model.js';
import { isoTime } from '../world/ids.js';
import type { ArmRoute } from './context.js';
import { guard, listing, param, resourceNotFound, scopeOf } from './context.js';
import { ok } from './http.js';

const TYPE = 'Microsoft.Storage/storageAccounts';

export const serializeStorageAccount = (a: StorageAccount) => ({
  id: a.id,
  name: a.name,
  type: TYPE,
  location: a.location,
  kind: a.kind,
  sku: a.sku,
  tags: {},
  properties: {
    provisioningState: 'Succeeded',
    // The sandbox serves blobs path-style through its gate: https://127.0.0.1:PORT/{account}/
    primaryEndpoints: { blob: a.blobEndpoint },
    primaryLocation: a.location,
    statusOfPrimary: 'available',
    creationTime: isoTime(a.createdAt),
    networkAcls: {
      bypass: a.networkRuleSet.bypass,
      defaultAction: a.networkRuleSet.defaultAction,
      virtualNetworkRules: a.networkRuleSet.virtualNetworkRules.map((r) => ({ id: r.id, action: r.action, state: r.state ?? 'Succeeded' })),
      ipRules: a.networkRuleSet.ipRules,
    },
    allowSharedKeyAccess: a.allowSharedKeyAccess,
    allowBlobPublicAccess: false,
    supportsHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    publicNetworkAccess: 'Enabled',
    accessTier: 'Hot',
  },
});

export const storageRoutes: ArmRoute[] = [
  ...['subscriptions/{subscriptionId}', 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'].map(
    (prefix): ArmRoute => ({
      provider: 'storage',
      method: 'GET',
      pattern: `${prefix}/providers/${TYPE}`,
      handle: (ctx) => listing(ctx, `${TYPE}/read`, [...ctx.services.world.storageAccounts.values()], serializeStorageAccount),
    }),
  ),
  {
    provider: 'storage',
    method: 'GET',
    pattern: `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${TYPE}/{accountName}`,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'accountName')}`;
      const problem = guard(ctx, `${TYPE}/read`, id);
      if (problem) return problem;
      const account = ctx.services.world.storageAccounts.get(id.toLowerCase());
      return account ? ok(serializeStorageAccount(account)) : resourceNotFound(TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
    },
  },
];
