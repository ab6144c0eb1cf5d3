/** Microsoft.ManagedIdentity/userAssignedIdentities (ManagedIdentity.json 2024-11-30): list, get, create. */
import type { UserAssignedIdentity } from '../world/model.js';
import { guidFrom, newGuid } from '../world/ids.js';
import type { World } from '../world/world.js';
import type { ArmRoute } from './context.js';
import { guard, listing, param, resourceNotFound, scopeOf } from './context.js';
import { asRecord, ok, readJson } from './http.js';

const TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

export const serializeIdentity = (i: UserAssignedIdentity) => ({
  id: i.id,
  name: i.name,
  type: TYPE,
  location: i.location,
  tags: i.tags ?? {},
  properties: { tenantId: i.tenantId, principalId: i.principalId, clientId: i.clientId, isolationScope: 'None' },
});

/** Creates an identity and the service principal Entra makes for it (its object id is the principalId). */
export function createIdentity(world: World, input: { id: string; name: string; location: string; tags?: Record<string, string>; deterministic?: boolean }): UserAssignedIdentity {
  const principalId = input.deterministic ? guidFrom(`principal:${input.id.toLowerCase()}`) : newGuid();
  const clientId = input.deterministic ? guidFrom(`client:${input.id.toLowerCase()}`) : newGuid();
  const identity: UserAssignedIdentity = { id: input.id, name: input.name, location: input.location, principalId, clientId, tenantId: world.tenantId, ...(input.tags ? { tags: input.tags } : {}) };
  world.userAssignedIdentities.set(input.id.toLowerCase(), identity);
  world.principals.set(principalId, { objectId: principalId, displayName: input.name, principalType: 'ServicePrincipal', appId: clientId, managedIdentityResourceId: input.id });
  return identity;
}

const itemPath = 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}';

export const identityRoutes: ArmRoute[] = [
  ...['subscriptions/{subscriptionId}', 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'].map(
    (prefix): ArmRoute => ({
      provider: 'msi',
      method: 'GET',
      pattern: `${prefix}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`,
      handle: (ctx) => listing(ctx, `${TYPE}/read`, [...ctx.services.world.userAssignedIdentities.values()], serializeIdentity),
    }),
  ),
  {
    provider: 'msi',
    method: 'GET',
    pattern: itemPath,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'resourceName')}`;
      const problem = guard(ctx, `${TYPE}/read`, id);
      if (problem) return problem;
      const identity = ctx.services.world.userAssignedIdentities.get(id.toLowerCase());
      return identity ? ok(serializeIdentity(identity)) : resourceNotFound(TYPE, param(ctx, 'resourceName'), param(ctx, 'resourceGroupName'));
    },
  },
  {
    provider: 'msi',
    method: 'PUT',
    pattern: itemPath,
    handle: (ctx) => {
      const id = `${scopeOf(ctx)}/providers/${TYPE}/${param(ctx, 'resourceName')}`;
      const problem = guard(ctx, `${TYPE}/write`, id);
      if (problem) return problem;
      const parsed = readJson(ctx.req);
      if (!parsed.ok) return parsed.response;
      const world = ctx.services.world;
      const existing = world.userAssignedIdentities.get(id.toLowerCase());
      const tags = asRecord(parsed.body.tags) as Record<string, string> | undefined;
      if (existing) {
        if (tags) existing.tags = tags;
        return ok(serializeIdentity(existing));
      }
      const location = typeof parsed.body.location === 'string' ? parsed.body.location : 'westeurope';
      return ok(serializeIdentity(createIdentity(world, { id, name: param(ctx, 'resourceName'), location, ...(tags ? { tags } : {}) })), 201);
    },
  },
];
