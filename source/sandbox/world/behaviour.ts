/**
 * Node lifecycles on the simulated clock. A pool resized through ARM gets nodes in `creating`;
 * after TIMING.allocateMs they are `starting`; after TIMING.bootMs they join (Table A decides:
 * idle, stuck in starting, or unusable); a start task then runs for TIMING.startTaskMs and
 * Table B decides its result (outcome.ts). Customer-managed-key access is re-checked on every
 * tick: without it the account's nodes are unusable until access returns
 * (batch-customer-managed-key.md: nodes become unavailable; recovery after access is restored).
 *
 * The settle mechanism: `installBehaviour(world)` registers `settle` with `world.tick()` and
 * makes `clock.advance()` call `world.tick()`. Handlers call `world.tick()` before answering, so
 * with a running clock (speed > 0) state is always current when observed; tests step the clock
 * with `advance(ms)`. Only pools with nodes in transit are visited, so a steady 10,000-node pool
 * costs nothing per tick.
 */
import type { BatchAccount, ComputeNode, ComputeNodeState, Pool } from './model.js';
import { cmkAccessible } from './access.js';
import { makeNode, nodesOf } from './nodes.js';
import { decideJoin, decideStartTask, startTask } from './outcome.js';
import { key } from './world.js';
import type { World } from './world.js';

/** Simulated durations, in ms: "a minute or two" per phase as Azure's nodes take. */
export const TIMING = { allocateMs: 60_000, bootMs: 90_000, startTaskMs: 30_000 };

interface BehaviourState {
  /** Pools (by key) with nodes or allocation still in transit. */
  active: Set<string>;
  /** Nodes that will never finish joining (Table A, A3). */
  stuck: WeakSet<ComputeNode>;
  /** State a node had before its account lost its CMK, to restore when access returns. */
  suspended: WeakMap<ComputeNode, ComputeNodeState>;
  cmkOk: Map<string, boolean>;
}

const states = new WeakMap<World, BehaviourState>();

function stateOf(world: World): BehaviourState {
  let state = states.get(world);
  if (!state) {
    state = { active: new Set(), stuck: new WeakSet(), suspended: new WeakMap(), cmkOk: new Map() };
    states.set(world, state);
  }
  return state;
}

/** Wires behaviour into `world.tick()` and `clock.advance()`. Idempotent. */
export function installBehaviour(world: World): void {
  if (installed.has(world)) return;
  installed.add(world);
  world.onTick(() => settle(world));
  world.clock.onAdvance(() => world.tick());
  // Pools present before installation (a seeded or hand-built world) are reconciled once.
  for (const pool of world.pools.values()) stateOf(world).active.add(key(pool.id));
}
const installed = new WeakSet<World>();

export function targetNodes(pool: Pool): { dedicated: number; lowPriority: number } | undefined {
  const fixed = (pool.properties.scaleSettings as { fixedScale?: { targetDedicatedNodes?: number; targetLowPriorityNodes?: number } } | undefined)?.fixedScale;
  if (!fixed) return undefined;
  return { dedicated: fixed.targetDedicatedNodes ?? 0, lowPriority: fixed.targetLowPriorityNodes ?? 0 };
}

/**
 * Brings the pool's node count to its fixedScale target: new nodes are allocated now, with the
 * pool's identities as they are now (MI010: nodes allocated earlier keep theirs); surplus nodes
 * leave at once. Resizing to 0 and back therefore reallocates every node.
 */
export function resizePool(world: World, pool: Pool, at = world.clock.now()): void {
  const target = targetNodes(pool);
  if (!target) return;
  const now = at;
  const nodes = nodesOf(world, pool);
  let changed = false;
  for (const [dedicated, wanted] of [[true, target.dedicated], [false, target.lowPriority]] as const) {
    const current = [...nodes.values()].filter((n) => n.isDedicated === dedicated);
    for (let i = current.length; i < wanted; i++) {
      const node = makeNode(world, pool, { at: now, dedicated });
      nodes.set(node.id, node);
      changed = true;
    }
    for (const node of current.slice(wanted).reverse()) {
      nodes.delete(node.id);
      changed = true;
    }
  }
  if (changed) {
    pool.allocationState = 'Resizing';
    pool.allocationStateTransitionTime = now;
  }
  stateOf(world).active.add(key(pool.id));
}

export function settle(world: World): void {
  const state = stateOf(world);
  const now = world.clock.now();
  for (const poolKey of [...state.active]) {
    const pool = world.pools.get(poolKey);
    const account = pool ? world.batchAccounts.get(key(pool.accountId)) : undefined;
    if (!pool || !account) {
      state.active.delete(poolKey);
      continue;
    }
    let pending = false;
    if (pool.allocationState === 'Resizing') {
      const due = pool.allocationStateTransitionTime + TIMING.allocateMs;
      if (now >= due) {
        pool.allocationState = 'Steady';
        pool.allocationStateTransitionTime = due;
      } else pending = true;
    }
    for (const node of nodesOf(world, pool).values()) {
      if (advanceNode(world, state, account, pool, node, now)) pending = true;
    }
    if (!pending) state.active.delete(poolKey);
  }
  applyCmk(world, state, now);
}

/** Moves one node forward to `now`. Returns whether it is still in transit. */
function advanceNode(world: World, state: BehaviourState, account: BatchAccount, pool: Pool, node: ComputeNode, now: number): boolean {
  for (;;) {
    if (state.suspended.has(node)) return false;
    if (node.state === 'creating') {
      const due = node.stateTransitionTime + TIMING.allocateMs;
      if (now < due) return true;
      setState(node, 'starting', due);
      continue;
    }
    if (node.state === 'starting') {
      if (state.stuck.has(node)) return false;
      const due = node.stateTransitionTime + TIMING.bootMs;
      if (now < due) return true;
      node.lastBootTime = due;
      const join = decideJoin(world, account, pool, node, due);
      if (join.kind === 'stuckStarting') {
        state.stuck.add(node);
        return false;
      }
      if (join.kind === 'unusable') {
        node.errors = join.errors;
        setState(node, 'unusable', due);
        return false;
      }
      node.applicationPackagesDownloaded = join.packagesDownloaded;
      const task = startTask(pool);
      if (!task) {
        setState(node, 'idle', due);
        return false;
      }
      node.startTaskInfo = { state: 'running', startTime: due, retryCount: 0 };
      setState(node, task.waitForSuccess ? 'waitingforstarttask' : 'idle', due);
      continue;
    }
    if (node.startTaskInfo?.state === 'running' && (node.state === 'waitingforstarttask' || node.state === 'idle')) {
      const due = node.startTaskInfo.startTime + TIMING.startTaskMs;
      if (now < due) return true;
      const waiting = node.state === 'waitingforstarttask';
      const result = decideStartTask(world, account, pool, node, due);
      const base = { state: 'completed' as const, startTime: node.startTaskInfo.startTime, endTime: due, retryCount: 0 };
      if (result.kind === 'success') {
        node.startTaskInfo = { ...base, exitCode: 0, result: 'success' };
        if (waiting) setState(node, 'idle', due);
      } else {
        node.startTaskInfo = { ...base, result: 'failure', failureInfo: { category: 'usererror', code: result.code, message: result.message } };
        if (waiting) setState(node, 'starttaskfailed', due);
      }
      return false;
    }
    return false;
  }
}

function setState(node: ComputeNode, next: ComputeNodeState, at: number): void {
  node.state = next;
  node.stateTransitionTime = at;
}

function applyCmk(world: World, state: BehaviourState, now: number): void {
  for (const account of world.batchAccounts.values()) {
    if (account.encryption.keySource !== 'Microsoft.KeyVault') continue;
    const ok = cmkAccessible(world, account.id);
    const accountKey = key(account.id);
    if (state.cmkOk.get(accountKey) === ok) continue;
    state.cmkOk.set(accountKey, ok);
    for (const pool of world.pools.values()) {
      if (key(pool.accountId) !== accountKey) continue;
      for (const node of nodesOf(world, pool).values()) {
        if (!ok && !state.suspended.has(node)) {
          state.suspended.set(node, node.state);
          setState(node, 'unusable', now);
        } else if (ok && state.suspended.has(node)) {
          setState(node, state.suspended.get(node) ?? 'idle', now);
          state.suspended.delete(node);
          state.active.add(key(pool.id));
        }
      }
    }
  }
}

/** Whether a node will never leave `starting` (for log content). */
export const isStuckJoining = (world: World, node: ComputeNode): boolean => stateOf(world).stuck.has(node);

/** Adds steady, already-idle nodes without the lifecycle (the seed's large pool). */
export function addSteadyNodes(world: World, pool: Pool, count: number, at: number): void {
  const nodes = nodesOf(world, pool);
  for (let i = 0; i < count; i++) {
    const node = makeNode(world, pool, { at, dedicated: true, state: 'idle' });
    node.lastBootTime = at;
    nodes.set(node.id, node);
  }
}
