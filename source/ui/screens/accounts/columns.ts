/**
 * The Accounts table (SPEC §3.1): name, doctor health, account identity, autostorage account and
 * its authentication mode, node identity reference, encryption key source, pool count, location.
 * At 80 columns location and then the key source give way (the health column flags CMK
 * problems); modes shorten to MI/keys when their column is narrow.
 */
import type { AccountPools } from '../../../azure/index.js';
import type { BatchAccountIdentity, BatchAccountSummary } from '../../../domain/model.js';
import { nameOf } from '../../format.js';
import type { Column } from '../../table/layout.js';
import type { Theme } from '../../theme.js';
import { healthColumn } from '../doctor/health.js';
import type { HealthIndex } from '../doctor/health.js';

export const NONE = '-';

/** `None`, `SystemAssigned`, `UserAssigned id-a, id-b` (Azure's words, then the names). */
export function identityText(identity: BatchAccountIdentity): string {
  const names = identity.userAssignedIdentities.map((i) => i.name).join(', ');
  switch (identity.type) {
    case 'None':
      return 'None';
    case 'SystemAssigned':
      return names === '' ? 'SystemAssigned' : `SystemAssigned, UserAssigned ${names}`;
    case 'UserAssigned':
      return `UserAssigned ${names}`;
  }
}

/** The same, short: the names alone say it is user-assigned. */
export function identityCompact(identity: BatchAccountIdentity): string {
  const names = identity.userAssignedIdentities.map((i) => i.name).join(',');
  if (identity.type === 'None') return 'None';
  if (identity.type === 'SystemAssigned') return names === '' ? 'System' : `System+${names}`;
  return names;
}

export function authModeCompact(account: BatchAccountSummary): string {
  const mode = account.autoStorage?.authenticationMode;
  if (mode === undefined) return NONE;
  return mode === 'BatchAccountManagedIdentity' ? 'MI' : 'keys';
}

export function keySourceCompact(account: BatchAccountSummary): string {
  return account.encryption.keySource === 'Microsoft.KeyVault' ? 'KeyVault' : 'Batch';
}

export const accountKey = (row: AccountPools): string => row.account.name;

/** The columns without health. */
export const ACCOUNT_COLUMNS: readonly Column<AccountPools>[] = [
  { id: 'name', title: 'name', min: 14, max: 32, grow: 2, text: (r) => r.account.name },
  {
    id: 'identity',
    title: 'identity',
    min: 14,
    grow: 3,
    text: (r) => identityText(r.account.identity),
    compact: (r) => identityCompact(r.account.identity),
  },
  {
    id: 'autostorage',
    title: 'autostorage',
    min: 11,
    max: 24,
    grow: 2,
    text: (r) => nameOf(r.account.autoStorage?.storageAccountId) || NONE,
  },
  {
    id: 'auth',
    title: 'auth',
    min: 4,
    max: 27,
    grow: 1,
    text: (r) => r.account.autoStorage?.authenticationMode ?? NONE,
    compact: (r) => authModeCompact(r.account),
  },
  {
    id: 'nodeIdentity',
    title: 'node identity',
    min: 13,
    max: 30,
    grow: 2,
    text: (r) => nameOf(r.account.autoStorage?.nodeIdentityReference?.resourceId) || NONE,
  },
  {
    id: 'encryption',
    title: 'encrypt',
    min: 8,
    max: 18,
    grow: 1,
    drop: 1,
    text: (r) => r.account.encryption.keySource,
    compact: (r) => keySourceCompact(r.account),
  },
  {
    id: 'pools',
    title: 'pools',
    min: 5,
    align: 'right',
    text: (r) => (r.pools === undefined ? '?' : String(r.pools.length)),
    sortKey: (r) => r.pools?.length ?? -1,
    colour: (r, theme) => (r.pools === undefined ? theme.colours.error : undefined),
  },
  {
    id: 'location',
    title: 'location',
    min: 10,
    max: 18,
    grow: 1,
    drop: 1,
    text: (r) => r.account.location,
  },
];

/** Health: undefined while the doctor runs, 'failed' when it could not. */
export function accountColumns(
  health: HealthIndex | 'failed' | undefined,
  symbols: Theme['symbols'],
): Column<AccountPools>[] {
  return [
    ACCOUNT_COLUMNS[0] as Column<AccountPools>,
    healthColumn<AccountPools>(health, (r) => r.account.id, symbols, true),
    ...ACCOUNT_COLUMNS.slice(1),
  ];
}
