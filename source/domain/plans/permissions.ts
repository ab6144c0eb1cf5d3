/**
 * "What can I do?" before applying: the ARM actions each step needs, judged against the
 * caller's role assignments and the actions of their role definitions, so that a flow explains a
 * missing permission before it changes anything (issue 7) instead of failing half-way.
 *
 * Azure RBAC (learn.microsoft.com/azure/role-based-access-control/role-definitions): a role
 * allows an action when one of its permission blocks lists it in `actions` (with `*` wildcards)
 * and not in `notActions`; roles add up; an assignment at a scope applies to its children.
 * Deny assignments and group memberships are not visible in a principal's own assignment list,
 * so "denied" here means "none of your own assignments grants it" and says so.
 */
import { scopeCovers } from '../doctor/rbac.js';
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../model.js';
import { lastSegment } from '../model.js';
import type { Plan, RequiredPermission } from './types.js';

export const ACCOUNT_WRITE = 'Microsoft.Batch/batchAccounts/write';
export const POOL_WRITE = 'Microsoft.Batch/batchAccounts/pools/write';
export const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';
/** Needed to put a user-assigned identity on a resource (Managed Identity Operator grants it). */
export const IDENTITY_ASSIGN = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';

/** Built-in roles that grant each action, for the "ask an owner for…" sentence. */
const ROLES_FOR: Record<string, string> = {
  [ACCOUNT_WRITE]: 'Contributor (or Owner) on the Batch account',
  [POOL_WRITE]: 'Contributor (or Owner) on the Batch account',
  [ROLE_ASSIGNMENT_WRITE]:
    'Owner, User Access Administrator or Role Based Access Control Administrator on that scope',
  [IDENTITY_ASSIGN]: 'Managed Identity Operator (or Contributor) on the identity',
};

export function suggestRole(action: string): string {
  return ROLES_FOR[action] ?? 'a role that grants it';
}

// `*` matches any run of characters; a whole `*` segment also matches no segment at all, as
// Managed Identity Operator's `userAssignedIdentities/*/assign/action` grants
// `userAssignedIdentities/assign/action` (managed-identities how-to: "Managed Identity Operator").
function matches(pattern: string, action: string): boolean {
  const escape = (part: string) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = pattern
    .split('/*/')
    .map((segment) => segment.split('*').map(escape).join('.*'))
    .join('(?:/.*)?/');
  return new RegExp(`^${body}$`, 'i').test(action);
}

export function allowsAction(definition: RoleDefinitionInfo, action: string): boolean {
  return definition.permissions.some(
    (p) =>
      p.actions.some((a) => matches(a, action)) && !p.notActions.some((a) => matches(a, action)),
  );
}

export interface PermissionNeed extends RequiredPermission {
  stepId: string;
  stepTitle: string;
}

export interface MissingPermission extends PermissionNeed {
  /** Roles the caller holds at or above the scope (what they do have). */
  held: string[];
}

export interface PermissionCheck {
  /** allowed: every action is granted; denied: some is not; unknown: could not tell. */
  verdict: 'allowed' | 'denied' | 'unknown';
  missing: MissingPermission[];
  /** Why some permissions could not be judged. */
  unknown: string[];
  /** Who was checked, as the token names them. */
  principal: string;
}

export const needsOf = (plan: Plan, stepIds?: ReadonlySet<string>): PermissionNeed[] =>
  plan.steps
    .filter((s) => !stepIds || stepIds.has(s.id))
    .flatMap((s) => s.permissions.map((p) => ({ ...p, stepId: s.id, stepTitle: s.title })));

/**
 * Judges `needs` against the caller's own assignments and the definitions of their roles (by
 * GUID, lower case). An assignment whose role definition is unknown makes the verdict unknown
 * rather than denied, unless another assignment already grants the action.
 */
export function evaluatePermissions(
  needs: readonly PermissionNeed[],
  principal: { objectId: string; label: string },
  assignments: readonly RoleAssignmentInfo[],
  definitions: ReadonlyMap<string, RoleDefinitionInfo>,
): PermissionCheck {
  const mine = assignments.filter(
    (a) => a.principalId.toLowerCase() === principal.objectId.toLowerCase(),
  );
  const missing: MissingPermission[] = [];
  const unknown = new Set<string>();
  for (const need of needs) {
    const applicable = mine.filter((a) => scopeCovers(a.scope, need.scope));
    let granted = false;
    let undecided = false;
    for (const a of applicable) {
      const definition = definitions.get(a.roleDefinitionName.toLowerCase());
      if (!definition) undecided = true;
      else if (allowsAction(definition, need.action)) granted = true;
    }
    if (granted) continue;
    if (undecided) {
      unknown.add(
        `the definition of a role you hold on ${lastSegment(need.scope)} could not be read`,
      );
      continue;
    }
    const held = applicable.map(
      (a) =>
        a.roleName ??
        definitions.get(a.roleDefinitionName.toLowerCase())?.roleName ??
        a.roleDefinitionName,
    );
    missing.push({ ...need, held: [...new Set(held)] });
  }
  return {
    verdict: missing.length ? 'denied' : unknown.size ? 'unknown' : 'allowed',
    missing,
    unknown: [...unknown],
    principal: principal.label,
  };
}

/** The missing permissions, one per action and scope, with the steps that need each. */
export function missingByScope(
  check: PermissionCheck,
): Array<{ action: string; scope: string; held: string[]; needs: MissingPermission[] }> {
  const groups = new Map<
    string,
    { action: string; scope: string; held: string[]; needs: MissingPermission[] }
  >();
  for (const m of check.missing) {
    const key = `${m.action}\n${m.scope}`.toLowerCase();
    const group = groups.get(key) ?? { action: m.action, scope: m.scope, held: m.held, needs: [] };
    group.needs.push(m);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** One sentence per missing permission (action and scope), and what to ask for. */
export function explainPermissions(check: PermissionCheck): string[] {
  const lines = missingByScope(check).map((g) => {
    const held = g.held.length
      ? `your roles there: ${g.held.join(', ')}`
      : 'you hold no role there';
    const why = [...new Set(g.needs.map((n) => n.why))].join('; ');
    const steps = g.needs.map((n) => `"${n.stepTitle}"`).join(', ');
    return `You (${check.principal}) may not perform ${g.action} on ${lastSegment(g.scope)} (${g.scope}), needed to ${why} (step${g.needs.length > 1 ? 's' : ''} ${steps}); ${held}. Ask for ${suggestRole(g.action)}, or hand the az command to someone who has it.`;
  });
  if (check.missing.length)
    lines.push(
      'Only your own role assignments were checked: a role held through a group does not show here.',
    );
  for (const reason of check.unknown) lines.push(`Could not confirm every permission: ${reason}.`);
  return lines;
}
