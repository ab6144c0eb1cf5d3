import type {
  Application,
  BatchAccount,
  ComputeNode,
  KeyVault,
  Pool,
  Principal,
  RoleAssignment,
  RoleDefinition,
  StorageAccount,
  Subscription,
  UserAssignedIdentity,
} from './model.js';
import { Clock } from './clock.js';
import { etagOfTicks, ticksOf } from './ids.js';

/** ARM ids vary in case (Azure's own do): every map is keyed by the lower-cased id. */
export const key = (armId: string): string => armId.toLowerCase();

/**
 * All the state of the sandbox's tenant. Handlers read and change it; behaviour.ts derives node
 * lifecycles from it. Plain maps, so tests and the seed can build any configuration.
 */
export class World {
  readonly clock: Clock;
  tenantId = '';
  readonly subscriptions = new Map<string, Subscription>();
  /** By objectId. */
  readonly principals = new Map<string, Principal>();
  readonly userAssignedIdentities = new Map<string, UserAssignedIdentity>();
  readonly batchAccounts = new Map<string, BatchAccount>();
  /** By lower-cased pool ARM id. */
  readonly pools = new Map<string, Pool>();
  /** By lower-cased pool ARM id, then node id. */
  readonly nodes = new Map<string, Map<string, ComputeNode>>();
  readonly storageAccounts = new Map<string, StorageAccount>();
  readonly roleDefinitions = new Map<string, RoleDefinition>();
  readonly roleAssignments = new Map<string, RoleAssignment>();
  readonly keyVaults = new Map<string, KeyVault>();
  /** By lower-cased application ARM id (`{account}/applications/{name}`). */
  readonly applications = new Map<string, Application>();
  /** How long a new role assignment takes to take effect, in simulated ms (0 in tests). */
  roleAssignmentPropagationMs = 0;

  private readonly tickListeners = new Set<() => void>();
  /** The last ETag's tick count (100 ns units, as Batch's ETags count them). */
  private lastEtagTicks = 0n;

  constructor(clock = new Clock()) {
    this.clock = clock;
  }

  /**
   * Brings derived state (node lifecycles) up to the clock's present. Behaviour registers here
   * (see behaviour.ts); handlers call it before answering, and `clock.advance` triggers it.
   */
  tick(): void {
    for (const listener of this.tickListeners) listener();
  }

  /**
   * A new ETag for a write at simulated time `ms`: Batch's weak ETag of the write's time in 100 ns
   * ticks (ids.ts etagOfTicks), moved on by one tick when an earlier write already had that one, so
   * that no two writes share an ETag even within the same simulated millisecond.
   */
  nextEtag(ms = this.clock.now()): string {
    const ticks = ticksOf(ms);
    this.lastEtagTicks = ticks > this.lastEtagTicks ? ticks : this.lastEtagTicks + 1n;
    return etagOfTicks(this.lastEtagTicks);
  }

  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }
}
