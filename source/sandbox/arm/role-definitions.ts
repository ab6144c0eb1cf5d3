/**
 * Microsoft.Authorization/roleDefinitions (authorization-RoleDefinitionsCalls.json 2022-04-01):
 * list at a scope with `$filter=roleName eq '…'` or `type eq 'BuiltInRole'`, get by GUID.
 * Built-in definitions are served under the subscription of the scope they are asked at.
 */
import type { RoleDefinition } from '../world/model.js';
import type { ArmContext, ArmRoute } from './context.js';
import { param } from './context.js';
import { authorize } from './auth.js';
import { armError, ok, page, query } from './http.js';

const TYPE = 'Microsoft.Authorization/roleDefinitions';

function idAt(scope: string, guid: string): string {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  return sub ? `/subscriptions/${sub}/providers/${TYPE}/${guid}` : `/providers/${TYPE}/${guid}`;
}

const serialize = (scope: string) => (d: RoleDefinition) => ({
  id: idAt(scope, d.name),
  name: d.name,
  type: TYPE,
  properties: {
    roleName: d.roleName,
    type: d.roleType,
    description: d.description,
    permissions: d.permissions,
    assignableScopes: d.assignableScopes,
  },
});

function list(ctx: ArmContext) {
  const scope = param(ctx, 'scope');
  const denied = authorize(ctx.services, ctx.caller, `${TYPE}/read`, scope);
  if (denied) return denied;
  const filter = query(ctx.req, '$filter')?.trim() ?? '';
  let items = [...ctx.services.world.roleDefinitions.values()];
  if (filter !== '') {
    const m = /^(roleName|type)\s+eq\s+'([^']*)'$/i.exec(filter);
    if (!m) return armError(400, 'UnsupportedQuery', 'The filter is not supported.');
    const [, field = '', value = ''] = m;
    items = items.filter((d) => (field.toLowerCase() === 'rolename' ? d.roleName.toLowerCase() === value.toLowerCase() : d.roleType.toLowerCase() === value.toLowerCase()));
  }
  return page(ctx.req, ctx.services.endpoints.arm, items, serialize(scope));
}

export const roleDefinitionRoutes: ArmRoute[] = [
  { provider: 'authorization', method: 'GET', pattern: `{scope*}/providers/${TYPE}`, handle: list },
  {
    provider: 'authorization',
    method: 'GET',
    pattern: `{scope*}/providers/${TYPE}/{guid}`,
    handle: (ctx) => {
      const scope = param(ctx, 'scope');
      const denied = authorize(ctx.services, ctx.caller, `${TYPE}/read`, scope);
      if (denied) return denied;
      const d = ctx.services.world.roleDefinitions.get(param(ctx, 'guid').toLowerCase());
      return d ? ok(serialize(scope)(d)) : armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${param(ctx, 'guid')}' does not exist.`);
    },
  },
];
