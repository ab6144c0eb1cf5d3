/**
 * Azure RBAC as ARM and the data planes evaluate it: a principal may perform an operation at a
 * scope when a role assignment at that scope or any parent scope (the subscription, the resource
 * group, a parent resource) names a role whose permissions allow it. Within one permission block
 * the effective set is `actions` minus `notActions` (and `dataActions` minus `notDataActions`);
 * blocks and roles add up. See learn.microsoft.com/azure/role-based-access-control/role-definitions
 * ("Actions", "NotActions", "DataActions", wildcard permissions) and .../overview ("How Azure RBAC
 * determines if a user has access to a resource").
 *
 * Role assignments take effect only after `world.roleAssignmentPropagationMs` of simulated time:
 * Azure documents "up to 10 minutes" for a new assignment to be honoured
 * (role-based-access-control/troubleshooting, "Role assignment changes are not being detected").
 */
import type { RoleAssignment, RoleDefinition } from './model.js';
import type { World } from './world.js';

export interface Permission {
  action?: string;
  dataAction?: string;
}

/** Lower-cases and trims trailing slashes so that `/subscriptions/X/` and `/Subscriptions/x` compare equal. */
export function normalizeScope(scope: string): string {
  const collapsed = `/${scope.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return (collapsed === '' ? '/' : collapsed).toLowerCase();
}

/** Whether an assignment at `assignmentScope` applies at `targetScope` (the same scope or a child of it). */
export function scopeCovers(assignmentScope: string, targetScope: string): boolean {
  const parent = normalizeScope(assignmentScope);
  const child = normalizeScope(targetScope);
  if (parent === '/') return true;
  return child === parent || child.startsWith(`${parent}/`);
}

const patternCache = new Map<string, RegExp>();

const escapeRegex = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * Matches an operation against an action pattern, case-insensitively as Azure does. `*` stands
 * for any run of characters (`*`, `*\/read`, `Microsoft.Storage/*`), and a `*` that is a whole
 * segment in the middle (`a/*\/b`) stands for any number of segments, none included: Managed
 * Identity Operator's `Microsoft.ManagedIdentity/userAssignedIdentities/*\/assign/action` is what
 * grants the operation `Microsoft.ManagedIdentity/userAssignedIdentities/assign/action`, and
 * `Microsoft.Authorization/*\/read` grants `Microsoft.Authorization/roleAssignments/read`
 * (role-definitions, "Actions" and wildcard permissions; managed identity "Managed Identity
 * Operator").
 */
export function actionMatches(pattern: string, operation: string): boolean {
  let regex = patternCache.get(pattern);
  if (!regex) {
    const parts = pattern.split('*');
    let body = '';
    parts.forEach((part, i) => {
      const next = parts[i + 1];
      if (next === undefined) {
        body += escapeRegex(part);
        return;
      }
      // `/*/`: the separator before the wildcard is folded into it, so that zero segments match.
      if (part.endsWith('/') && next.startsWith('/')) body += `${escapeRegex(part.slice(0, -1))}(?:/.*)?`;
      else body += `${escapeRegex(part)}.*`;
    });
    regex = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, regex);
  }
  return regex.test(operation);
}

function blockAllows(
  block: RoleDefinition['permissions'][number],
  permission: Permission,
): boolean {
  if (permission.action !== undefined) {
    const op = permission.action;
    if (!block.actions.some((p) => actionMatches(p, op))) return false;
    if (block.notActions.some((p) => actionMatches(p, op))) return false;
  }
  if (permission.dataAction !== undefined) {
    const op = permission.dataAction;
    if (!block.dataActions.some((p) => actionMatches(p, op))) return false;
    if (block.notDataActions.some((p) => actionMatches(p, op))) return false;
  }
  return permission.action !== undefined || permission.dataAction !== undefined;
}

/** The role definition an assignment names, by full id or by GUID (ids differ in their subscription prefix). */
export function findRoleDefinition(world: World, roleDefinitionId: string): RoleDefinition | undefined {
  const guid = roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';
  const direct = world.roleDefinitions.get(guid) ?? world.roleDefinitions.get(roleDefinitionId.toLowerCase());
  if (direct) return direct;
  for (const definition of world.roleDefinitions.values()) {
    if (definition.name.toLowerCase() === guid) return definition;
  }
  return undefined;
}

/** Whether an assignment is already honoured on the simulated clock. */
export function isEffective(world: World, assignment: RoleAssignment, at = world.clock.now()): boolean {
  return at - assignment.createdOn >= world.roleAssignmentPropagationMs;
}

/** The assignments of `principalObjectId` that apply at `scope` and are already in effect. */
export function effectiveAssignments(world: World, principalObjectId: string, scope: string, at = world.clock.now()): RoleAssignment[] {
  const oid = principalObjectId.toLowerCase();
  const result: RoleAssignment[] = [];
  for (const assignment of world.roleAssignments.values()) {
    if (assignment.principalId.toLowerCase() !== oid) continue;
    if (!scopeCovers(assignment.scope, scope)) continue;
    if (!isEffective(world, assignment, at)) continue;
    result.push(assignment);
  }
  return result;
}

export function hasPermission(
  world: World,
  principalObjectId: string,
  scope: string,
  permission: Permission,
  /** Simulated time to evaluate at (default now): behaviour asks "as of when the node joined". */
  at = world.clock.now(),
): boolean {
  for (const assignment of effectiveAssignments(world, principalObjectId, scope, at)) {
    const definition = findRoleDefinition(world, assignment.roleDefinitionId);
    if (!definition) continue;
    if (definition.permissions.some((block) => blockAllows(block, permission))) return true;
  }
  return false;
}
