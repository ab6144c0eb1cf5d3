/** Microsoft.Resources: subscriptions and resource groups (enough for listing and existence). */
import type { Subscription } from '../world/model.js';
import { resourceGroupId, resourceGroupOf } from '../world/ids.js';
import type { World } from '../world/world.js';
import { authorize } from './auth.js';
import type { ArmContext, ArmRoute } from './context.js';
import { guard, param } from './context.js';
import { armError, ok, page } from './http.js';

const serializeSubscription = (s: Subscription) => ({
  id: `/subscriptions/${s.subscriptionId}`,
  authorizationSource: 'RoleBased',
  subscriptionId: s.subscriptionId,
  tenantId: s.tenantId,
  displayName: s.displayName,
  state: s.state,
  subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
});

/** A resource group's location: that of its first resource (the world does not store one). */
function groupLocation(world: World, groupId: string): string {
  const lower = groupId.toLowerCase();
  for (const collection of [world.batchAccounts, world.storageAccounts, world.userAssignedIdentities, world.keyVaults]) {
    for (const resource of collection.values()) if (resourceGroupOf(resource.id)?.toLowerCase() === lower) return resource.location;
  }
  return 'westeurope';
}

const serializeGroup = (world: World, subscriptionId: string, name: string) => {
  const id = resourceGroupId(subscriptionId, name);
  return { id, name, type: 'Microsoft.Resources/resourceGroups', location: groupLocation(world, id), properties: { provisioningState: 'Succeeded' } };
};

/** A subscription is listed when the caller holds any role assignment in it (ARM's behaviour). */
function visible(ctx: ArmContext, s: Subscription): boolean {
  return authorize(ctx.services, ctx.caller, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${s.subscriptionId}`) === undefined
    || [...ctx.services.world.roleAssignments.values()].some((a) => a.principalId.toLowerCase() === ctx.caller.oid.toLowerCase() && a.scope.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId.toLowerCase()}`));
}

export const subscriptionRoutes: ArmRoute[] = [
  {
    provider: 'resources',
    method: 'GET',
    pattern: 'subscriptions',
    handle: (ctx) => page(ctx.req, ctx.services.endpoints.arm, [...ctx.services.world.subscriptions.values()].filter((s) => visible(ctx, s)), serializeSubscription),
  },
  {
    provider: 'resources',
    method: 'GET',
    pattern: 'subscriptions/{subscriptionId}',
    handle: (ctx) => {
      const s = ctx.services.world.subscriptions.get(param(ctx, 'subscriptionId').toLowerCase());
      if (!s || !visible(ctx, s)) return armError(404, 'SubscriptionNotFound', `The subscription '${param(ctx, 'subscriptionId')}' could not be found.`);
      return ok(serializeSubscription(s));
    },
  },
  {
    provider: 'resources',
    method: 'GET',
    pattern: 'subscriptions/{subscriptionId}/resourceGroups',
    handle: (ctx) => {
      const sub = param(ctx, 'subscriptionId');
      const problem = guard(ctx, 'Microsoft.Resources/subscriptions/resourceGroups/read', `/subscriptions/${sub}`);
      if (problem) return problem;
      const groups = ctx.services.world.subscriptions.get(sub.toLowerCase())?.resourceGroups ?? [];
      return page(ctx.req, ctx.services.endpoints.arm, groups, (name) => serializeGroup(ctx.services.world, sub, name));
    },
  },
  {
    provider: 'resources',
    method: 'GET',
    pattern: 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}',
    handle: (ctx) => {
      const sub = param(ctx, 'subscriptionId');
      const rg = param(ctx, 'resourceGroupName');
      const problem = guard(ctx, 'Microsoft.Resources/subscriptions/resourceGroups/read', resourceGroupId(sub, rg));
      if (problem) return problem;
      const name = ctx.services.world.subscriptions.get(sub.toLowerCase())?.resourceGroups.find((g) => g.toLowerCase() === rg.toLowerCase()) ?? rg;
      return ok(serializeGroup(ctx.services.world, sub, name));
    },
  },
];
