/**
 * Azure RBAC as the rules need it: does a principal hold a role, at a scope or above, whose
 * dataActions allow an operation? Evaluated from the snapshot's role assignments and
 * definitions (learn.microsoft.com/azure/role-based-access-control/role-definitions: the
 * effective set is dataActions minus notDataActions, `*` is a wildcard, roles add up; an
 * assignment at a parent scope applies to every child).
 */
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../model.js';
import { BUILT_IN_ROLE_IDS } from '../model.js';

/** Whether `scope` equals `target` or is one of its parents (ARM ids compare case-insensitively). */
export function scopeCovers(scope: string, target: string): boolean {
  const norm = (s: string) => `/${s.replace(/^\/+/, '')}`.replace(/\/+$/, '').toLowerCase();
  const parent = norm(scope);
  const child = norm(target);
  return parent === '/' || child === parent || child.startsWith(`${parent}/`);
}

export const BLOB_READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
export const BLOB_WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';
/** What Batch needs on a customer-managed key (batch-customer-managed-key.md: get, wrapKey, unwrapKey). */
export const KEY_DATA_ACTIONS = [
  'Microsoft.KeyVault/vaults/keys/read',
  'Microsoft.KeyVault/vaults/keys/wrap/action',
  'Microsoft.KeyVault/vaults/keys/unwrap/action',
];

/**
 * dataActions of the built-in roles the rules depend on, as Azure documents them
 * (role-based-access-control/built-in-roles), for when the definitions could not be listed.
 */
const KNOWN_DATA_ACTIONS: Record<string, string[]> = {
  [BUILT_IN_ROLE_IDS['Storage Blob Data Owner']]: [
    'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*',
  ],
  [BUILT_IN_ROLE_IDS['Storage Blob Data Contributor']]: [BLOB_READ, BLOB_WRITE],
  [BUILT_IN_ROLE_IDS['Storage Blob Data Reader']]: [BLOB_READ],
  // Key Vault Crypto Service Encryption User, Crypto Officer, Administrator.
  'e147488a-f6f5-4113-8e2d-b22465e65bf6': KEY_DATA_ACTIONS,
  '14b46e9e-c2b7-41b4-b07b-48a6ebf60603': ['Microsoft.KeyVault/vaults/keys/*'],
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': ['Microsoft.KeyVault/vaults/*'],
};

function matches(pattern: string, operation: string): boolean {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i').test(operation);
}

function allows(definition: RoleDefinitionInfo, dataAction: string): boolean {
  return definition.permissions.some(
    (p) =>
      p.dataActions.some((d) => matches(d, dataAction)) &&
      !p.notDataActions.some((d) => matches(d, dataAction)),
  );
}

export type GrantVerdict =
  /** Every operation is allowed; `assignments` are the ones that allow them. */
  | { kind: 'granted'; assignments: RoleAssignmentInfo[] }
  | { kind: 'missing'; assignments: RoleAssignmentInfo[] }
  /** Cannot tell: an assignment's role definition is unknown. */
  | { kind: 'unknown'; reason: string };

/**
 * Whether any of `principalIds` may perform every one of `dataActions` at `target`, through
 * assignments at the target or above. `assignments` on a `missing` verdict are the principal's
 * roles that apply there (evidence of what it does hold).
 */
export function evaluateGrant(
  assignments: readonly RoleAssignmentInfo[],
  definitions: ReadonlyMap<string, RoleDefinitionInfo>,
  principalIds: readonly string[],
  target: string,
  dataActions: readonly string[],
): GrantVerdict {
  const ids = new Set(principalIds.map((p) => p.toLowerCase()));
  const applicable = assignments.filter(
    (a) => ids.has(a.principalId.toLowerCase()) && scopeCovers(a.scope, target),
  );
  const used = new Set<RoleAssignmentInfo>();
  const unknown: string[] = [];
  const allAllowed = dataActions.every((action) => {
    let ok = false;
    for (const a of applicable) {
      const definition = definitions.get(a.roleDefinitionName.toLowerCase());
      const known = definition ? undefined : KNOWN_DATA_ACTIONS[a.roleDefinitionName.toLowerCase()];
      if (!definition && !known) {
        unknown.push(a.roleDefinitionName);
        continue;
      }
      const allowed = definition
        ? allows(definition, action)
        : (known ?? []).some((d) => matches(d, action));
      if (allowed) {
        used.add(a);
        ok = true;
      }
    }
    return ok;
  });
  if (allAllowed) return { kind: 'granted', assignments: [...used] };
  if (unknown.length) {
    return {
      kind: 'unknown',
      reason: `the definition of role ${[...new Set(unknown)].join(', ')} could not be read`,
    };
  }
  return { kind: 'missing', assignments: applicable };
}

/** Role name for evidence: the assignment's resolved name, else the definition's, else the GUID. */
export function roleLabel(
  a: RoleAssignmentInfo,
  definitions: ReadonlyMap<string, RoleDefinitionInfo>,
): string {
  return (
    a.roleName ??
    definitions.get(a.roleDefinitionName.toLowerCase())?.roleName ??
    a.roleDefinitionName
  );
}
