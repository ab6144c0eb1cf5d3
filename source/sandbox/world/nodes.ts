/**
 * Creating compute nodes. Ids follow Batch's pattern for VirtualMachineConfiguration pools
 * (`tvmps_` + 64 hex digits + `_d` for dedicated, `_p` for Spot/low-priority), derived from the
 * pool and a counter so that a seeded world is the same on every run and 10,000 nodes cost a few
 * milliseconds.
 */
import { createHash } from 'node:crypto';
import type { ComputeNode, Pool } from './model.js';
import { key } from './world.js';
import type { World } from './world.js';

export function nodesOf(world: World, pool: Pool): Map<string, ComputeNode> {
  const poolKey = key(pool.id);
  let nodes = world.nodes.get(poolKey);
  if (!nodes) {
    nodes = new Map();
    world.nodes.set(poolKey, nodes);
  }
  return nodes;
}

/** The identity resource ids a VM gets: the pool's user-assigned identities at this moment. */
export const poolIdentityIds = (pool: Pool): string[] =>
  pool.identity?.type === 'UserAssigned' ? Object.keys(pool.identity.userAssignedIdentities ?? {}) : [];

const counters = new WeakMap<World, number>();

export function vmSizeOf(pool: Pool): string {
  return typeof pool.properties.vmSize === 'string' ? pool.properties.vmSize.toLowerCase() : 'standard_d2s_v3';
}

export function makeNode(world: World, pool: Pool, options: { at: number; dedicated: boolean; state?: ComputeNode['state'] }): ComputeNode {
  const n = (counters.get(world) ?? 0) + 1;
  counters.set(world, n);
  const hex = createHash('sha256').update(`${pool.id.toLowerCase()}#${n}`).digest('hex');
  const id = `tvmps_${hex}_${options.dedicated ? 'd' : 'p'}`;
  return {
    id,
    accountId: pool.accountId,
    poolName: pool.name,
    state: options.state ?? 'creating',
    stateTransitionTime: options.at,
    allocationTime: options.at,
    ipAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    vmSize: vmSizeOf(pool),
    isDedicated: options.dedicated,
    identityResourceIds: poolIdentityIds(pool),
    errors: [],
    applicationPackagesDownloaded: [],
  };
}
