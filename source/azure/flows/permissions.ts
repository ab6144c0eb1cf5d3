/**
 * The permission pre-check's reads: the caller's own role assignments (one listing per
 * subscription the plan touches, `principalId eq`: at, above and below it) and the definitions
 * of the roles they name (built-ins from the session's one listing, custom roles once each).
 * The judging itself is pure (domain/plans/permissions.ts).
 */
import { DomainError } from '../../domain/errors.js';
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../../domain/model.js';
import {
  evaluatePermissions,
  needsOf,
  type PermissionCheck,
  type Plan,
} from '../../domain/plans/index.js';
import type { AuthorizationGateway } from '../authorization.js';
import type { CallOptions } from '../call.js';
import { isAbortError, toDomainError } from '../errors.js';
import type { FlowCaller } from './types.js';

const subscriptionOf = (scope: string): string | undefined =>
  /^\/?subscriptions\/[^/]+/i.exec(scope)?.[0].replace(/^\/?/, '/');

export async function checkPlanPermissions(
  authorization: AuthorizationGateway,
  plan: Plan,
  caller: FlowCaller,
  stepIds?: ReadonlySet<string>,
  call: CallOptions = {},
): Promise<PermissionCheck> {
  const needs = needsOf(plan, stepIds);
  const unknown = (reason: string): PermissionCheck => ({
    verdict: 'unknown',
    missing: [],
    unknown: [reason],
    principal: caller.label,
  });
  if (!needs.length)
    return { verdict: 'allowed', missing: [], unknown: [], principal: caller.label };
  const objectId = caller.objectId;
  if (!objectId) return unknown('your sign-in token carries no object id (oid)');

  const subscriptions = [
    ...new Set(needs.flatMap((n) => subscriptionOf(n.scope) ?? []).map((s) => s.toLowerCase())),
  ];
  let assignments: RoleAssignmentInfo[];
  try {
    const listed = await Promise.all(
      subscriptions.map((s) =>
        authorization.listRoleAssignments(s, { principalId: objectId }, call),
      ),
    );
    assignments = [...new Map(listed.flat().map((a) => [a.id.toLowerCase(), a])).values()];
  } catch (error) {
    if (isAbortError(error)) throw error;
    return unknown(`your role assignments could not be read (${toDomainError(error).message})`);
  }

  const definitions = new Map<string, RoleDefinitionInfo>();
  try {
    for (const [name, d] of await authorization.builtInRoles(call)) definitions.set(name, d);
  } catch (error) {
    if (isAbortError(error)) throw error;
  }
  for (const a of assignments) {
    const name = a.roleDefinitionName.toLowerCase();
    if (definitions.has(name)) continue;
    try {
      definitions.set(name, await authorization.roleDefinition(a.roleDefinitionId, call));
    } catch (error) {
      if (isAbortError(error) || (error instanceof DomainError && error.kind === 'NotSignedIn'))
        throw error;
    }
  }
  return evaluatePermissions(needs, { objectId, label: caller.label }, assignments, definitions);
}
