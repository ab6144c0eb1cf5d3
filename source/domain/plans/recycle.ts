/**
 * The optional resize-to-0-and-back step. Nodes take the pool's identities when they are
 * allocated, and decide application packages and start-task files when they join: a change
 * made afterwards does not reach them (RULES.md MI010 [S2][I3]; A3 nodes never leave Starting
 * [S1]; MI005: reimage or recreate nodes after granting the role, inferred). Resizing to 0 and
 * back reallocates every node. It is offered as a separate, confirmed step (SPEC §4.2), and only
 * where it would change something: the plan itself changes what this pool's nodes get, or the
 * nodes visibly predate the configuration now in place.
 */
import { autoStorageUse, usesAutoStorage } from '../doctor/context.js';
import type { AccountSnapshot, PoolSnapshot } from '../doctor/types.js';
import type { NodeRow } from '../model.js';
import { azResize } from './az.js';
import { POOL_WRITE } from './permissions.js';
import { poolTarget, type PlanState } from './state.js';
import type { PlanWarning, PoolSize, ResizePoolStep } from './types.js';

/** Failure codes that name identity or autostorage access (RULES.md §2). */
const IDENTITY_CODES = new Set(
  [
    'ApplicationPackageError',
    'ResourceContainerAccessDenied',
    'ResourceContainerListMiscError',
    'BlobAccessDenied',
    'BlobDownloadMiscError',
  ].map((c) => c.toLowerCase()),
);

/** A node still Starting after this long is stuck (A3: "stuck in Starting indefinitely"). */
export const STUCK_STARTING_MS = 20 * 60_000;

export interface RecycleInput {
  state: PlanState;
  account: AccountSnapshot;
  pool: PoolSnapshot;
  /** The plan changes what this pool's nodes get when they are allocated. */
  changedByPlan: boolean;
  /** Since when the node identity holds its data role (nodes that joined earlier lack packages). */
  grantedSince?: Date;
  /** choices.recycle: false stops the offer (a resize to restore is still planned). */
  offer: boolean;
  restore?: PoolSize[];
}

const failed = (n: NodeRow, now: Date): boolean =>
  n.errors.some((e) => IDENTITY_CODES.has(e.code.toLowerCase())) ||
  (n.startTaskFailure !== undefined && IDENTITY_CODES.has(n.startTaskFailure.code.toLowerCase())) ||
  (n.state === 'starting' &&
    n.stateTransitionTime !== undefined &&
    now.getTime() - n.stateTransitionTime.getTime() > STUCK_STARTING_MS);

const before = (nodes: readonly NodeRow[], when: Date | undefined): number =>
  when === undefined
    ? 0
    : nodes.filter((n) => n.allocationTime && n.allocationTime.getTime() < when.getTime()).length;

/** Whether the storage firewall keeps the pool's subnet out (MI017): recycling would not help. */
function firewalled(input: RecycleInput): boolean {
  const storageId = input.account.account.autoStorage?.storageAccountId;
  const storage = storageId ? input.state.ctx.storageAccount(storageId) : undefined;
  if (!storage || storage.networkAcls.defaultAction !== 'Deny') return false;
  const subnet = input.pool.pool.subnetId?.toLowerCase();
  return !storage.networkAcls.virtualNetworkRules.some((r) => r.id.toLowerCase() === subnet);
}

/** Why the pool's current nodes do not have what the configuration now gives, or undefined. */
function evidence(input: RecycleInput): string | undefined {
  const { pool, nodes } = input.pool;
  if (!nodes?.length) return undefined;
  const now = input.state.snapshot.now;
  const stale = before(nodes, pool.lastModified);
  if (stale) return `${stale} node(s) were allocated before the pool last changed (MI010)`;
  if (!usesAutoStorage(autoStorageUse(pool))) return undefined;
  const early = before(nodes, input.grantedSince);
  if (early) return `${early} node(s) joined before the node identity had its data role`;
  const bad = nodes.filter((n) => failed(n, now)).length;
  if (bad && !firewalled(input))
    return `${bad} node(s) failed or are stuck from an earlier configuration`;
  return undefined;
}

export function recycle(input: RecycleInput): { step?: ResizePoolStep; warnings: PlanWarning[] } {
  const { pool } = input.pool;
  const target = poolTarget(pool);
  const name = `${pool.accountName}/${pool.name}`;
  const step = (
    size: { dedicated: number; lowPriority: number },
    viaZero: boolean,
    reason: string,
  ): ResizePoolStep => ({
    kind: 'resize-pool',
    id: `resize:${name}`,
    title: viaZero
      ? `Resize pool ${name} to 0 nodes and back to ${size.dedicated + size.lowPriority}`
      : `Resize pool ${name} back to ${size.dedicated + size.lowPriority} nodes`,
    target: pool.id,
    targetName: name,
    changes: [
      {
        path: 'properties.scaleSettings.fixedScale',
        before: `${pool.targetDedicatedNodes ?? pool.currentDedicatedNodes} dedicated, ${pool.targetLowPriorityNodes ?? pool.currentLowPriorityNodes} low-priority`,
        after: viaZero
          ? `0, then ${size.dedicated} dedicated, ${size.lowPriority} low-priority`
          : `${size.dedicated} dedicated, ${size.lowPriority} low-priority`,
      },
    ],
    az: azResize(target, size, viaZero),
    permissions: [{ action: POOL_WRITE, scope: pool.id, why: `resize pool ${name}` }],
    optional: viaZero,
    reason,
    pool: target,
    size,
    viaZero,
  });

  const restore = input.restore?.find((r) => r.poolId.toLowerCase() === pool.id.toLowerCase());
  const targetNow = (pool.targetDedicatedNodes ?? 0) + (pool.targetLowPriorityNodes ?? 0);
  if (restore && targetNow < restore.dedicated + restore.lowPriority)
    return {
      step: step(restore, false, 'an earlier resize to 0 stopped before the pool was sized back'),
      warnings: [],
    };
  if (!input.offer) return { warnings: [] };
  const why = input.changedByPlan
    ? pool.currentDedicatedNodes + pool.currentLowPriorityNodes > 0
      ? 'this plan changes what nodes get when they are allocated; the current nodes keep what they have'
      : undefined
    : evidence(input);
  if (!why) return { warnings: [] };
  if (pool.autoScale)
    return {
      warnings: [
        {
          code: 'autoscale',
          message: `Pool ${name} autoscales: ${why}. Let the formula scale it to 0 and back (a fixed resize would turn autoscale off).`,
          source: 'managed-identity-pools [S2]; azure-sdk-for-net#37937 [I3]',
        },
      ],
    };
  const size = {
    dedicated: pool.targetDedicatedNodes ?? pool.currentDedicatedNodes,
    lowPriority: pool.targetLowPriorityNodes ?? pool.currentLowPriorityNodes,
  };
  if (size.dedicated + size.lowPriority === 0) return { warnings: [] };
  return { step: step(size, true, why), warnings: [] };
}
