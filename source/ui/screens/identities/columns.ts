/**
 * The Identities table: name, where it is used (account identity, node identity reference, pool
 * identity, identityReference), principalId, clientId, and its roles on autostorage.
 */
import type { IdentityUse } from '../../../domain/model.js';
import { nameOf } from '../../format.js';
import type { Column } from '../../table/layout.js';
import { NONE } from '../accounts/columns.js';
import type { HeldRole, IdentityRow } from './load.js';

export const identityKey = (row: IdentityRow): string => row.info.id.toLowerCase();

const KIND_LABELS: Record<IdentityUse['kind'], { long: string; short: string }> = {
  accountIdentity: { long: 'account identity', short: 'acct' },
  nodeIdentityReference: { long: 'node identity reference', short: 'ref' },
  poolIdentity: { long: 'pool identity', short: 'pool' },
  identityReference: { long: 'identityReference', short: 'idref' },
};

/** `pool identity ×5, node identity reference ×2` (or `pool 5 · ref 2` when short). */
export function usesText(uses: readonly IdentityUse[], short = false): string {
  const counts = new Map<IdentityUse['kind'], number>();
  for (const u of uses) counts.set(u.kind, (counts.get(u.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) =>
    short ? `${KIND_LABELS[kind].short} ${n}` : `${KIND_LABELS[kind].long} ×${n}`,
  );
  return parts.length === 0 ? NONE : parts.join(short ? ' · ' : ', ');
}

/** Where one use is, in words: `node identity reference of batchhealthy`. */
export function useText(use: IdentityUse): string {
  const label = KIND_LABELS[use.kind].long;
  switch (use.kind) {
    case 'accountIdentity':
    case 'nodeIdentityReference':
      return `${label} of ${use.accountName}`;
    case 'poolIdentity':
      return `${label} of ${use.accountName}/${use.poolName}`;
    case 'identityReference':
      return `${label} in ${use.accountName}/${use.poolName} ${use.where}`;
  }
}

export function roleText(role: HeldRole): string {
  const name = role.assignment.roleName ?? role.assignment.roleDefinitionName;
  const scope = nameOf(role.assignment.scope);
  return scope.toLowerCase() === role.storageName
    ? `${name} on ${scope}`
    : `${name} on ${scope} (inherited)`;
}

/** `Blob Data Reader` for `Storage Blob Data Reader`: the storage is implied by the column. */
export function rolesCompact(row: IdentityRow): string {
  if (row.roles.length === 0) return rolesText(row);
  const names = row.roles.map((r) =>
    (r.assignment.roleName ?? r.assignment.roleDefinitionName).replace(/^Storage /, ''),
  );
  return [...new Set(names)].join(', ');
}

export function rolesText(row: IdentityRow): string {
  if (row.roles.length > 0) return row.roles.map(roleText).join('; ');
  if (row.problem !== undefined) return '?';
  return row.storages.length === 0 ? NONE : 'none';
}

/** A node identity reference without a data role on autostorage is the MI005 situation. */
function lacksDataRole(row: IdentityRow): boolean {
  const isReference = row.info.uses.some((u) => u.kind === 'nodeIdentityReference');
  return (
    isReference && !row.roles.some((r) => /^Storage Blob Data/i.test(r.assignment.roleName ?? ''))
  );
}

export const IDENTITY_COLUMNS: readonly Column<IdentityRow>[] = [
  { id: 'name', title: 'name', min: 14, max: 32, grow: 2, text: (r) => r.info.name },
  {
    id: 'uses',
    title: 'used as',
    min: 16,
    grow: 3,
    text: (r) => usesText(r.info.uses),
    compact: (r) => usesText(r.info.uses, true),
  },
  {
    id: 'roles',
    title: 'roles on autostorage',
    min: 16,
    grow: 4,
    text: rolesText,
    compact: rolesCompact,
    colour: (r, theme) => (lacksDataRole(r) ? theme.colours.error : undefined),
  },
  {
    id: 'principalId',
    title: 'principalId',
    min: 12,
    max: 36,
    grow: 1,
    text: (r) => r.info.principalId ?? '?',
  },
  {
    id: 'clientId',
    title: 'clientId',
    min: 12,
    max: 36,
    grow: 1,
    drop: 1,
    text: (r) => r.info.clientId ?? '?',
  },
];
