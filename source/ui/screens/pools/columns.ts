/**
 * The Pools table (SPEC §3.3): identities attached, whether the account's node identity
 * reference is among them, application packages, certificate references (a retired feature:
 * flagged), allocation state, node counts (current/target) and nodes by state.
 */
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import type { NodeStateCounts } from '../../../domain/nodes.js';
import { sameResourceId } from '../../../domain/resource-id.js';
import { describeCounts } from '../../format.js';
import type { Column } from '../../table/layout.js';
import type { Theme } from '../../theme.js';
import { NONE } from '../accounts/columns.js';
import { healthColumn } from '../doctor/health.js';
import type { HealthIndex } from '../doctor/health.js';

/** Nodes by state per pool name: counts, an error, or not read yet (undefined). */
export type PoolStateCounts = ReadonlyMap<string, NodeStateCounts | Error>;

export const poolKey = (pool: PoolSummary): string => pool.name;

export function identityNames(pool: PoolSummary): string {
  const names = pool.identity.userAssignedIdentities.map((i) => i.name);
  return names.length === 0 ? 'None' : names.join(', ');
}

/** Whether the account's nodeIdentityReference is on the pool; undefined when none is set. */
export function hasNodeIdentity(
  account: BatchAccountSummary,
  pool: PoolSummary,
): boolean | undefined {
  const reference = account.autoStorage?.nodeIdentityReference?.resourceId;
  if (reference === undefined) return undefined;
  return pool.identity.userAssignedIdentities.some((i) => sameResourceId(i.resourceId, reference));
}

export function packagesText(pool: PoolSummary): string {
  if (pool.applicationPackages.length === 0) return NONE;
  return pool.applicationPackages
    .map((p) => `${p.id.split('/').pop() ?? p.id}${p.version ? ` ${p.version}` : ''}`)
    .join(', ');
}

export function nodesText(pool: PoolSummary): string {
  const current = pool.currentDedicatedNodes + pool.currentLowPriorityNodes;
  const target = (pool.targetDedicatedNodes ?? 0) + (pool.targetLowPriorityNodes ?? 0);
  return pool.autoScale ? `${current} auto` : `${current}/${target}`;
}

/** With `health` (the doctor's, 'failed', or undefined while it runs) the column follows the name. */
export function poolColumns(
  account: BatchAccountSummary,
  counts: PoolStateCounts | undefined,
  symbols: Theme['symbols'],
  health?: { index: HealthIndex | 'failed' | undefined },
): Column<PoolSummary>[] {
  return [
    // Pool names are long (packages-other-identity): below 16 they stop telling pools apart.
    { id: 'name', title: 'name', min: 16, max: 32, grow: 3, text: (p) => p.name },
    ...(health === undefined
      ? []
      : [healthColumn<PoolSummary>(health.index, (p) => p.id, symbols)]),
    { id: 'identities', title: 'identities', min: 12, grow: 3, text: identityNames },
    {
      id: 'ref',
      title: 'ref',
      min: 3,
      text: (p) => {
        const has = hasNodeIdentity(account, p);
        return has === undefined ? NONE : has ? symbols.ok : symbols.error;
      },
      colour: (p, theme) => {
        const has = hasNodeIdentity(account, p);
        return has === undefined ? undefined : has ? theme.colours.ok : theme.colours.error;
      },
    },
    { id: 'packages', title: 'packages', min: 8, max: 30, grow: 1, text: packagesText },
    {
      id: 'certs',
      title: 'certs',
      min: 5,
      max: 12,
      grow: 1,
      // Gives way at 80 columns: the health column flags them too (doctor rule MI024).
      drop: 1,
      // Certificate references were retired on 29 Feb 2024 (doctor rule MI024).
      text: (p) => (p.certificates.length === 0 ? NONE : `${p.certificates.length} retired`),
      compact: (p) => `${p.certificates.length}${symbols.warning}`,
      colour: (p, theme) => (p.certificates.length > 0 ? theme.colours.warning : undefined),
    },
    // Nearly always Steady: at 80 columns it gives way to the names (the account's pool list has it).
    { id: 'allocation', title: 'alloc', min: 8, drop: 1, text: (p) => p.allocationState ?? NONE },
    {
      id: 'nodes',
      title: 'nodes',
      min: 7,
      max: 13,
      grow: 1,
      align: 'right',
      text: nodesText,
      sortKey: (p) => p.currentDedicatedNodes + p.currentLowPriorityNodes,
    },
    {
      id: 'states',
      title: 'by state',
      min: 14,
      grow: 3,
      text: (p) => {
        const c = counts?.get(p.name);
        if (c === undefined) return symbols.ellipsis;
        return c instanceof Error ? '?' : describeCounts(c, ', ');
      },
      colour: (p, theme) => {
        const c = counts?.get(p.name);
        if (c === undefined || c instanceof Error) return theme.colours.muted;
        return c.unusable + c.starttaskfailed + c.offline + c.unknown > 0
          ? theme.colours.error
          : undefined;
      },
    },
    {
      id: 'vmSize',
      title: 'vm size',
      min: 15,
      max: 24,
      grow: 1,
      drop: 1,
      text: (p) => p.vmSize ?? NONE,
    },
  ];
}
