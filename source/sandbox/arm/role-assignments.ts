/**
 * Microsoft.Authorization/roleAssignments (authorization-RoleAssignmentsCalls.json 2022-04-01),
 * scope-based: list (with `$filter` atScope(), principalId eq, assignedTo()), get, create, delete.
 * Listing at a scope returns assignments at, above and below it; atScope() keeps those at or above
 * (learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope).
 */
import type { RoleAssignment } from '../world/model.js';
import { isoTime, lastSegment, newGuid } from '../world/ids.js';
import { findRoleDefinition, normalizeScope, scopeCovers } from '../world/rbac.js';
import type { ArmContext, ArmRoute } from './context.js';
import { param } from './context.js';
import { authorize } from './auth.js';
import { armError, asRecord, ok, page, query, readJson } from './http.js';

const TYPE = 'Microsoft.Authorization/roleAssignments';

export const assignmentId = (scope: string, name: string): string => `${scope === '/' ? '' : scope}/providers/${TYPE}/${name}`;

export const serializeAssignment = (a: RoleAssignment) => ({
  id: a.id,
  name: a.name,
  type: TYPE,
  properties: {
    scope: a.scope,
    roleDefinitionId: a.roleDefinitionId,
    principalId: a.principalId,
    principalType: a.principalType,
    createdOn: isoTime(a.createdOn),
    updatedOn: isoTime(a.updatedOn),
    ...(a.createdBy ? { createdBy: a.createdBy, updatedBy: a.createdBy } : {}),
  },
});

interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

/** Parses the filters ARM accepts here; anything else is 400 like ARM. */
function parseFilter(text: string | undefined): AssignmentFilter | undefined {
  const filter: AssignmentFilter = { atScope: false };
  if (!text?.trim()) return filter;
  for (const clause of text.split(/\s+and\s+/i)) {
    const c = clause.trim();
    if (/^atScope\(\)$/i.test(c)) filter.atScope = true;
    else {
      const m = /^(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))$/i.exec(c);
      if (!m) return undefined;
      filter.principalId = m[1] ?? m[2];
    }
  }
  return filter;
}

function list(ctx: ArmContext) {
  const scope = param(ctx, 'scope');
  const denied = authorize(ctx.services, ctx.caller, `${TYPE}/read`, scope);
  if (denied) return denied;
  const filter = parseFilter(query(ctx.req, '$filter'));
  if (!filter) return armError(400, 'UnsupportedQuery', 'The filter is not supported.');
  const items = [...ctx.services.world.roleAssignments.values()].filter((a) => {
    if (filter.principalId && a.principalId.toLowerCase() !== filter.principalId.toLowerCase()) return false;
    return scopeCovers(a.scope, scope) || (!filter.atScope && scopeCovers(scope, a.scope));
  });
  return page(ctx.req, ctx.services.endpoints.arm, items, serializeAssignment);
}

const find = (ctx: ArmContext) =>
  ctx.services.world.roleAssignments.get(assignmentId(normalizeScope(param(ctx, 'scope')), param(ctx, 'name')).toLowerCase())
  ?? [...ctx.services.world.roleAssignments.values()].find((a) => a.name.toLowerCase() === param(ctx, 'name').toLowerCase() && normalizeScope(a.scope) === normalizeScope(param(ctx, 'scope')));

function create(ctx: ArmContext) {
  const scope = param(ctx, 'scope');
  const denied = authorize(ctx.services, ctx.caller, `${TYPE}/write`, scope);
  if (denied) return denied;
  const parsed = readJson(ctx.req);
  if (!parsed.ok) return parsed.response;
  const props = asRecord(parsed.body.properties) ?? {};
  const world = ctx.services.world;
  const roleDefinitionId = typeof props.roleDefinitionId === 'string' ? props.roleDefinitionId : '';
  const principalId = typeof props.principalId === 'string' ? props.principalId : '';
  const definition = findRoleDefinition(world, roleDefinitionId);
  if (!definition) return armError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${lastSegment(roleDefinitionId)}' does not exist.`);
  const principal = world.principals.get(principalId) ?? [...world.principals.values()].find((p) => p.objectId.toLowerCase() === principalId.toLowerCase());
  if (!principal) {
    return armError(400, 'PrincipalNotFound', `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${world.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`);
  }
  const duplicate = [...world.roleAssignments.values()].find(
    (a) => normalizeScope(a.scope) === normalizeScope(scope) && a.principalId.toLowerCase() === principalId.toLowerCase() && lastSegment(a.roleDefinitionId).toLowerCase() === definition.name.toLowerCase(),
  );
  if (duplicate && duplicate.name.toLowerCase() !== param(ctx, 'name').toLowerCase()) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
  const now = world.clock.now();
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  const assignment: RoleAssignment = {
    id: assignmentId(scope, param(ctx, 'name')),
    name: param(ctx, 'name'),
    scope,
    roleDefinitionId: subscription ? `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}` : `/providers/Microsoft.Authorization/roleDefinitions/${definition.name}`,
    principalId: principal.objectId,
    principalType: (props.principalType as RoleAssignment['principalType'] | undefined) ?? principal.principalType,
    createdOn: duplicate?.createdOn ?? now,
    updatedOn: now,
    createdBy: ctx.caller.oid,
  };
  world.roleAssignments.set(assignment.id.toLowerCase(), assignment);
  return ok(serializeAssignment(assignment), duplicate ? 200 : 201);
}

export const roleAssignmentRoutes: ArmRoute[] = [
  { provider: 'authorization', method: 'GET', pattern: `{scope*}/providers/${TYPE}`, handle: list },
  {
    provider: 'authorization',
    method: 'GET',
    pattern: `{scope*}/providers/${TYPE}/{name}`,
    handle: (ctx) => {
      const denied = authorize(ctx.services, ctx.caller, `${TYPE}/read`, param(ctx, 'scope'));
      if (denied) return denied;
      const a = find(ctx);
      return a ? ok(serializeAssignment(a)) : armError(404, 'RoleAssignmentNotFound', 'The role assignment was not found.');
    },
  },
  { provider: 'authorization', method: 'PUT', pattern: `{scope*}/providers/${TYPE}/{name}`, handle: create },
  {
    provider: 'authorization',
    method: 'DELETE',
    pattern: `{scope*}/providers/${TYPE}/{name}`,
    handle: (ctx) => {
      const denied = authorize(ctx.services, ctx.caller, `${TYPE}/delete`, param(ctx, 'scope'));
      if (denied) return denied;
      const a = find(ctx);
      if (!a) return { status: 204 };
      ctx.services.world.roleAssignments.delete(a.id.toLowerCase());
      return ok(serializeAssignment(a));
    },
  },
];

export const newAssignmentName = newGuid;
