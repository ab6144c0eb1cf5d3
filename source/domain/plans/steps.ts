/**
 * Step builders shared by the three flows: each returns a step with exactly what it changes, its
 * `az` equivalent and the ARM actions it needs. Step ids are derived from names, so a re-plan of
 * the same world names the same steps (a re-run shows what is left under the same ids).
 */
import type { AutoStorage, BatchAccountSummary, PoolSummary } from '../model.js';
import { BUILT_IN_ROLE_IDS, lastSegment } from '../model.js';
import { azAccountIdentity, azAutoStorage, azPoolIdentity, azRoleAssignment } from './az.js';
import {
  ACCOUNT_WRITE,
  IDENTITY_ASSIGN,
  POOL_WRITE,
  ROLE_ASSIGNMENT_WRITE,
} from './permissions.js';
import { accountTarget, hasId, names, poolIdentityIds, poolTarget } from './state.js';
import type {
  AccountIdentityChoice,
  ChangeValue,
  CreateRoleAssignmentStep,
  PatchAccountAutoStorageStep,
  PatchAccountIdentityStep,
  PatchPoolIdentityStep,
  PoolTarget,
  PrincipalRef,
  RequiredPermission,
} from './types.js';

const assign = (ids: readonly string[], what: string): RequiredPermission[] =>
  ids.map((id) => ({
    action: IDENTITY_ASSIGN,
    scope: id,
    why: `put identity ${lastSegment(id)} on ${what}`,
  }));

const identityValue = (type: string, ids: readonly string[]): ChangeValue =>
  type === 'UserAssigned' ? names(ids) : type;

export function accountIdentityStep(
  armEndpoint: string,
  account: BatchAccountSummary,
  next: AccountIdentityChoice | { type: 'UserAssigned'; resourceIds: string[] },
  reason: string,
): PatchAccountIdentityStep {
  const ids =
    next.type === 'SystemAssigned'
      ? []
      : 'resourceIds' in next
        ? next.resourceIds
        : [next.resourceId];
  const currentIds = account.identity.userAssignedIdentities.map((i) => i.resourceId);
  const added = ids.filter((id) => !hasId(currentIds, id));
  return {
    kind: 'patch-account-identity',
    id: `account-identity:${account.name}`,
    title:
      next.type === 'SystemAssigned'
        ? `Give Batch account ${account.name} a system-assigned identity`
        : `Set Batch account ${account.name}'s identity to ${names(ids).join(', ')}`,
    target: account.id,
    targetName: account.name,
    changes: [
      {
        path: 'identity',
        before: identityValue(account.identity.type, currentIds),
        after: identityValue(next.type, ids),
      },
    ],
    az: azAccountIdentity(armEndpoint, accountTarget(account), next.type, ids),
    undo: azAccountIdentity(armEndpoint, accountTarget(account), account.identity.type, currentIds),
    permissions: [
      { action: ACCOUNT_WRITE, scope: account.id, why: `change account ${account.name}` },
      ...assign(added, `account ${account.name}`),
    ],
    optional: false,
    reason,
    account: accountTarget(account),
    patch: {
      identity: { type: next.type, ...(ids.length ? { userAssignedIdentities: ids } : {}) },
    },
  };
}

const referenceOf = (s: AutoStorage | undefined): string | null =>
  s?.nodeIdentityReference ? lastSegment(s.nodeIdentityReference.resourceId) : null;

export function autoStorageStep(
  armEndpoint: string,
  account: BatchAccountSummary,
  storageAccountId: string,
  nodeIdentityId: string,
  reason: string,
): PatchAccountAutoStorageStep {
  const current = account.autoStorage;
  const autoStorage = {
    storageAccountId,
    authenticationMode: 'BatchAccountManagedIdentity' as const,
    nodeIdentityReference: { resourceId: nodeIdentityId },
  };
  const changes = [
    {
      path: 'properties.autoStorage.storageAccountId',
      before: current ? lastSegment(current.storageAccountId) : null,
      after: lastSegment(storageAccountId),
    },
    {
      path: 'properties.autoStorage.authenticationMode',
      before: current?.authenticationMode ?? null,
      after: autoStorage.authenticationMode,
    },
    {
      path: 'properties.autoStorage.nodeIdentityReference',
      before: referenceOf(current),
      after: lastSegment(nodeIdentityId),
    },
  ].filter((c) => c.before !== c.after);
  return {
    kind: 'patch-account-autostorage',
    id: `account-autostorage:${account.name}`,
    title: `Link ${lastSegment(storageAccountId)} as ${account.name}'s autostorage with managed identity, nodes using ${lastSegment(nodeIdentityId)}`,
    target: account.id,
    targetName: account.name,
    changes,
    az: azAutoStorage(armEndpoint, accountTarget(account), autoStorage),
    ...(current
      ? {
          undo: azAutoStorage(armEndpoint, accountTarget(account), {
            storageAccountId: current.storageAccountId,
            authenticationMode: current.authenticationMode,
            ...(current.nodeIdentityReference
              ? { nodeIdentityReference: current.nodeIdentityReference }
              : {}),
          }),
        }
      : {}),
    permissions: [
      {
        action: ACCOUNT_WRITE,
        scope: account.id,
        why: `change account ${account.name}'s autostorage`,
      },
    ],
    optional: false,
    reason,
    account: accountTarget(account),
    patch: { autoStorage },
  };
}

const withoutEtag = ({ etag: _etag, ...target }: PoolTarget): PoolTarget => target;

export function poolIdentityStep(
  armEndpoint: string,
  pool: PoolSummary,
  next: string[],
  reason: string,
): PatchPoolIdentityStep {
  const current = poolIdentityIds(pool);
  const name = `${pool.accountName}/${pool.name}`;
  const added = next.filter((id) => !hasId(current, id));
  const removed = current.filter((id) => !hasId(next, id));
  const verb = [
    added.length ? `attach ${names(added).join(', ')}` : '',
    removed.length ? `detach ${names(removed).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    kind: 'patch-pool-identity',
    id: `pool-identity:${name}`,
    title: `Pool ${name}: ${verb}`,
    target: pool.id,
    targetName: name,
    changes: [
      { path: 'identity.userAssignedIdentities', before: names(current), after: names(next) },
    ],
    az: azPoolIdentity(armEndpoint, poolTarget(pool), next),
    // The undo runs after our own write: no If-Match (the ETag it would need is not known yet).
    undo: azPoolIdentity(armEndpoint, withoutEtag(poolTarget(pool)), current),
    permissions: [
      { action: POOL_WRITE, scope: pool.id, why: `change pool ${name}` },
      ...assign(added, `pool ${name}`),
    ],
    optional: false,
    reason,
    pool: poolTarget(pool),
    patch: {
      identity: next.length
        ? { type: 'UserAssigned', userAssignedIdentities: next }
        : { type: 'None' },
    },
  };
}

export type RoleName =
  | 'Storage Blob Data Reader'
  | 'Storage Blob Data Contributor'
  | 'Key Vault Crypto Service Encryption User';

/** Key Vault Crypto Service Encryption User: get, wrapKey, unwrapKey (batch-customer-managed-key.md). */
export const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = 'e147488a-f6f5-4113-8e2d-b22465e65bf6';

const ROLE_GUIDS: Record<RoleName, string> = {
  'Storage Blob Data Reader': BUILT_IN_ROLE_IDS['Storage Blob Data Reader'],
  'Storage Blob Data Contributor': BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'],
  'Key Vault Crypto Service Encryption User': KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
};

export function roleStep(
  principal: PrincipalRef,
  role: RoleName,
  scope: string,
  reason: string,
): CreateRoleAssignmentStep {
  const who =
    principal.kind === 'principal'
      ? principal.principalId
      : principal.kind === 'user-assigned'
        ? `$(az identity show --ids ${principal.resourceId} --query principalId -o tsv)`
        : `$(az batch account show --ids ${principal.accountId} --query identity.principalId -o tsv)`;
  return {
    kind: 'create-role-assignment',
    id: `role:${role}:${principal.name}:${lastSegment(scope)}`,
    title: `Grant ${role} to ${principal.name} on ${lastSegment(scope)}`,
    target: scope,
    targetName: lastSegment(scope),
    changes: [{ path: 'roleAssignments', before: null, after: `${principal.name}: ${role}` }],
    az: azRoleAssignment(who, role, scope),
    permissions: [
      {
        action: ROLE_ASSIGNMENT_WRITE,
        scope,
        why: `grant ${role} to ${principal.name}`,
      },
    ],
    optional: false,
    reason,
    scope,
    role: { name: role, guid: ROLE_GUIDS[role] },
    principal,
  };
}

/** How the account's system-assigned identity is named in steps (stable before and after it exists). */
export const systemIdentityName = (accountName: string): string =>
  `${accountName} (system-assigned)`;
