/**
 * Reads the state a flow plans from: the doctor's snapshot of the account (the same collector,
 * so the plan and the doctor judge one reading), plus what the operator's choices name that the
 * snapshot may lack — a user-assigned identity no account or pool uses yet (its principalId),
 * and the role assignments on a storage account that is not yet anyone's autostorage.
 */
import type { Snapshot } from '../../domain/doctor/types.js';
import { DomainError } from '../../domain/errors.js';
import { scopeCovers } from '../../domain/doctor/rbac.js';
import type { RoleDefinitionInfo } from '../../domain/model.js';
import { lastSegment } from '../../domain/model.js';
import type { FlowChoices } from '../../domain/plans/index.js';
import type { SnapshotCollector } from '../collector.js';
import { isAbortError, toDomainError } from '../errors.js';

/** The user-assigned identities the choices name. */
export function identitiesNamed(c: FlowChoices): string[] {
  switch (c.flow) {
    case 'pool-identity':
      return [c.identityId];
    case 'autostorage-mi':
      return [
        c.nodeIdentityId,
        ...(c.accountIdentity?.type === 'UserAssigned' ? [c.accountIdentity.resourceId] : []),
      ];
    case 'account-identity':
      return c.identity.type === 'UserAssigned' ? [c.identity.resourceId] : [];
  }
}

export async function readFlowState(
  collector: SnapshotCollector,
  choices: FlowChoices,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): Promise<Snapshot> {
  const snapshot = await collector.collect(
    { account: lastSegment(choices.accountId) },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.now ? { now: options.now } : {}),
    },
  );
  const { identities, authorization } = collector.gateways;
  const call = options.signal ? { signal: options.signal } : {};
  const known = (id: string) =>
    snapshot.identities.find((i) => i.id.toLowerCase() === id.toLowerCase())?.principalId;
  for (const id of identitiesNamed(choices).filter((i) => !known(i))) {
    let info;
    try {
      info = await identities.getUserAssignedIdentity(id, call);
    } catch (error) {
      if (isAbortError(error)) throw error;
      const domain = toDomainError(error);
      // A chosen identity that does not exist: say so now, not as a failed PATCH later.
      if (domain.kind === 'NotFound')
        throw new DomainError(
          { kind: 'Invalid', field: 'identity' },
          `There is no user-assigned identity ${lastSegment(id)} (${id})`,
          'Pick an identity from the list (it may have been deleted), then plan again',
        );
      snapshot.gaps.push({ part: 'identity', resource: id, reason: domain.message });
      continue;
    }
    const uses = snapshot.identities.find((i) => i.id.toLowerCase() === id.toLowerCase())?.uses;
    snapshot.identities = [
      ...snapshot.identities.filter((i) => i.id.toLowerCase() !== id.toLowerCase()),
      { ...info, uses: uses ?? [] },
    ];
  }

  if (choices.flow === 'autostorage-mi') {
    const scope = choices.storageAccountId;
    const listed = snapshot.roleAssignmentScopes.some((s) => scopeCovers(s, scope));
    if (!listed) {
      try {
        const found = await authorization.listRoleAssignments(scope, {}, call);
        const ids = new Set(snapshot.roleAssignments.map((a) => a.id.toLowerCase()));
        snapshot.roleAssignments.push(...found.filter((a) => !ids.has(a.id.toLowerCase())));
        snapshot.roleAssignmentScopes.push(scope);
        snapshot.roleDefinitions = await withDefinitions(collector, snapshot, call);
      } catch (error) {
        if (isAbortError(error)) throw error;
        // The plan then grants the roles anyway and says it could not confirm them.
        const reason = toDomainError(error).message;
        snapshot.gaps.push({ part: 'roleAssignments', resource: scope, reason });
      }
    }
  }
  return snapshot;
}

/** The snapshot's definitions plus those of roles the added assignments name. */
async function withDefinitions(
  collector: SnapshotCollector,
  snapshot: Snapshot,
  call: { signal?: AbortSignal },
): Promise<RoleDefinitionInfo[]> {
  const have = new Map(snapshot.roleDefinitions.map((d) => [d.name.toLowerCase(), d]));
  const missing = [
    ...new Set(snapshot.roleAssignments.map((a) => a.roleDefinitionName.toLowerCase())),
  ].filter((name) => !have.has(name));
  for (const name of missing) {
    const assignment = snapshot.roleAssignments.find(
      (a) => a.roleDefinitionName.toLowerCase() === name,
    );
    const definition = await collector.gateways.authorization
      .roleDefinition(assignment?.roleDefinitionId ?? name, call)
      .catch((error: unknown) => {
        if (isAbortError(error)) throw error;
        return undefined;
      });
    if (definition) have.set(name, definition);
  }
  return [...have.values()];
}
