/**
 * Gathers the doctor's snapshot for a scope (subscription, account or pool) with a bounded
 * number of calls (SPEC §7, no N+1):
 *   1. the accounts (1 listing; + 1 pool GET for a pool scope);
 *   2. at once: the pools of each account (1 each), each distinct autostorage account (1 GET) and
 *      the role assignments on it (1 listing), the built-in role definitions (1), the key vaults
 *      (1, only when an account uses customer-managed keys);
 *   3. at once: the nodes of each pool that has any (1 per 1000 nodes), identities no identity
 *      block describes (1 each), each CMK key (1) and RBAC vault's assignments (1), each custom
 *      role (1), and the subscription's storage accounts (1) only if a resource file names a URL.
 * Every call goes through one limiter, so a run never has more than `concurrency` in flight.
 * What could not be read becomes a gap with its reason, which the rules report as "not checked".
 */
import { DomainError } from '../domain/errors.js';
import type {
  DoctorScope,
  PoolSnapshot,
  Snapshot,
  StorageAccountInfo,
} from '../domain/doctor/types.js';
import { collectUserAssignedIdentities } from '../domain/identities.js';
import type {
  BatchAccountSummary,
  PoolSummary,
  UserAssignedIdentityInfo,
} from '../domain/model.js';
import type { GatewayOptions } from './call.js';
import { Gaps, keyOf, limiter, loadRoles } from './collector-parts.js';
import { createGateways, type GatewayClients, type Gateways } from './index.js';
import { KeyVaultGateway } from './key-vault.js';
import { StorageAccountGateway } from './storage-accounts.js';

export interface CollectRunOptions {
  signal?: AbortSignal;
  /** The clock the resources' timestamps use (default: this machine's). */
  now?: () => Date;
  /** Calls in flight at most (ARM and Batch together). Default 16. */
  concurrency?: number;
}

const badScope = (message: string, field: string): DomainError =>
  new DomainError(
    { kind: 'Invalid', field },
    message,
    'Check the name (batch-mi-tui lists accounts and pools), then run again',
  );

const unique = (ids: Iterable<string>): string[] => [
  ...new Map([...ids].map((id) => [id.toLowerCase(), id])).values(),
];

export class SnapshotCollector {
  readonly gateways: Gateways;
  private readonly storage: StorageAccountGateway;
  private readonly keyVaults: KeyVaultGateway;

  constructor(
    clients: GatewayClients,
    private readonly where: { armEndpoint: string; subscriptionId?: string },
    options: GatewayOptions = {},
  ) {
    this.gateways = createGateways(clients, where, options);
    const arm = clients.batchManagement(where.subscriptionId);
    const at = { armEndpoint: where.armEndpoint, subscriptionId: this.gateways.subscriptionId };
    this.storage = new StorageAccountGateway(arm, at, options);
    this.keyVaults = new KeyVaultGateway(arm, at, options);
  }

  /** Reads everything the rules need for `scope`. Throws only when the scope itself cannot be read. */
  async collect(
    scope: Omit<DoctorScope, 'subscriptionId'> = {},
    options: CollectRunOptions = {},
  ): Promise<Snapshot> {
    const { management, authorization, identities } = this.gateways;
    const subscriptionId = this.gateways.subscriptionId;
    const call = options.signal ? { signal: options.signal } : {};
    const run = limiter(options.concurrency ?? 16);
    const gaps = new Gaps();

    // 1. The scope.
    let accounts = await run(() => management.listAccounts(call));
    if (scope.account !== undefined) {
      const name = scope.account.toLowerCase();
      accounts = accounts.filter((a) => a.name.toLowerCase() === name);
      if (!accounts.length)
        throw badScope(
          `There is no Batch account named '${scope.account}' in subscription ${subscriptionId}`,
          'account',
        );
    }
    let scopedPool: PoolSummary | undefined;
    const first = accounts[0];
    if (scope.pool !== undefined && first) {
      const ref = {
        resourceGroup: first.resourceGroup,
        accountName: first.name,
        name: scope.pool,
        accountId: first.id,
      };
      scopedPool = await run(() => management.getPool(ref, call)).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === 'NotFound')
          throw badScope(`Batch account '${first.name}' has no pool '${scope.pool ?? ''}'`, 'pool');
        throw error;
      });
    }

    // 2. Pools, autostorage, roles, vaults.
    const autoStorageIds = unique(
      accounts.flatMap((a) => (a.autoStorage ? [a.autoStorage.storageAccountId] : [])),
    );
    const cmk = accounts.filter((a) => a.encryption.keySource === 'Microsoft.KeyVault');
    const builtIns = gaps.attempt('roleDefinitions', `/subscriptions/${subscriptionId}`, () =>
      run(() => authorization.builtInRoles(call)),
    );
    // Awaited later, in stage 2 or 3; if an abort ends the run before that, its rejection must
    // not surface as an unhandled rejection (which the interactive program treats as fatal).
    builtIns.catch(() => undefined);
    const [poolLists, storageAccounts, vaults, storageRoles] = await Promise.all([
      Promise.all(
        accounts.map((a) =>
          scopedPool
            ? Promise.resolve([scopedPool])
            : gaps.attempt('pools', a.id, () => run(() => management.listPools(a, call))),
        ),
      ),
      Promise.all(
        autoStorageIds.map((id) =>
          gaps.attempt('storageAccount', id, () =>
            run(() => this.storage.getStorageAccount(id, call)),
          ),
        ),
      ),
      cmk.length
        ? gaps.attempt('keyVaults', `/subscriptions/${subscriptionId}`, () =>
            run(() => this.keyVaults.listVaults(call)),
          )
        : Promise.resolve(undefined),
      loadRoles(authorization, autoStorageIds, builtIns, gaps, run, options.signal),
    ]);
    const pools = poolLists.flatMap((list) => list ?? []);

    // 3. Nodes, identities, keys, vault roles, storage named by URL.
    const seen = collectUserAssignedIdentities(accounts, pools);
    const unresolved = unique(
      accounts.flatMap((a) =>
        a.autoStorage?.nodeIdentityReference
          ? [a.autoStorage.nodeIdentityReference.resourceId]
          : [],
      ),
    ).filter((id) => !seen.find((i) => i.id.toLowerCase() === id.toLowerCase())?.principalId);
    const cmkKeys = cmk.flatMap((a) => {
      const found = keyOf(a, vaults ?? []);
      return found ? [found] : [];
    });
    const rbacVaults = unique(
      cmkKeys.filter((k) => k.vault.enableRbacAuthorization).map((k) => k.vault.id),
    );
    const needsUrlStorage = pools.some((p) =>
      p.startTaskResourceFiles.some((f) => f.storageContainerUrl ?? f.httpUrl),
    );
    const [nodes, fetchedIdentities, keys, vaultRoles, urlStorage] = await Promise.all([
      Promise.all(pools.map((p) => this.nodesOf(accounts, p, gaps, run, options.signal))),
      Promise.all(
        unresolved.map((id) =>
          gaps.attempt('identity', id, () =>
            run(() => identities.getUserAssignedIdentity(id, call)),
          ),
        ),
      ),
      Promise.all(
        [
          ...new Map(
            cmkKeys.map((k) => [`${k.vault.id}/keys/${k.keyName}`.toLowerCase(), k]),
          ).values(),
        ].map(({ vault, keyName }) =>
          gaps.attempt('key', `${vault.id}/keys/${keyName}`, () =>
            run(() => this.keyVaults.getKey(vault.id, keyName, call)),
          ),
        ),
      ),
      loadRoles(authorization, rbacVaults, builtIns, gaps, run, options.signal),
      needsUrlStorage
        ? gaps.attempt('storageAccounts', `/subscriptions/${subscriptionId}`, () =>
            run(() => this.storage.listStorageAccounts(call)),
          )
        : Promise.resolve([]),
    ]);

    const byPool = new Map(pools.map((p, i) => [p.id.toLowerCase(), nodes[i]]));
    const storage = new Map<string, StorageAccountInfo>();
    for (const s of [...(urlStorage ?? []), ...storageAccounts])
      if (s) storage.set(s.id.toLowerCase(), s);
    return {
      scope: {
        subscriptionId,
        ...(scope.account !== undefined ? { account: scope.account } : {}),
        ...(scope.pool !== undefined ? { pool: scope.pool } : {}),
      },
      armEndpoint: this.where.armEndpoint,
      now: options.now?.() ?? new Date(),
      accounts: accounts.map((account, i) => {
        const list = poolLists[i];
        if (!list) return { account };
        return {
          account,
          pools: list.map((pool): PoolSnapshot => {
            const n = byPool.get(pool.id.toLowerCase());
            return n ? { pool, nodes: n } : { pool };
          }),
        };
      }),
      identities: mergeIdentities(seen, fetchedIdentities),
      storageAccounts: [...storage.values()],
      roleAssignments: [...storageRoles.assignments, ...vaultRoles.assignments],
      roleAssignmentScopes: [...storageRoles.scopes, ...vaultRoles.scopes],
      roleDefinitions: [
        ...new Map(
          [...storageRoles.definitions, ...vaultRoles.definitions].map((d) => [
            d.name.toLowerCase(),
            d,
          ]),
        ).values(),
      ],
      ...(vaults ? { keyVaults: vaults } : {}),
      keys: keys.filter((k) => k !== undefined),
      gaps: gaps.list,
    };
  }

  /** The pool's nodes; a pool with none costs no call. */
  private async nodesOf(
    accounts: BatchAccountSummary[],
    pool: PoolSummary,
    gaps: Gaps,
    run: <T>(task: () => Promise<T>) => Promise<T>,
    signal?: AbortSignal,
  ) {
    if (
      pool.currentDedicatedNodes + pool.currentLowPriorityNodes === 0 &&
      pool.allocationState !== 'Resizing'
    )
      return [];
    const account = accounts.find((a) => a.id.toLowerCase() === pool.accountId.toLowerCase());
    if (!account?.accountEndpoint) {
      gaps.list.push({
        part: 'nodes',
        resource: pool.id,
        reason: `account ${pool.accountName} has no Batch endpoint`,
      });
      return undefined;
    }
    const data = this.gateways.data(account.accountEndpoint);
    const result = await gaps.attempt('nodes', pool.id, () =>
      run(() => data.listNodes(pool.name, signal ? { signal } : {})),
    );
    return result?.items;
  }
}

function mergeIdentities(
  seen: UserAssignedIdentityInfo[],
  fetched: Array<UserAssignedIdentityInfo | undefined>,
): UserAssignedIdentityInfo[] {
  const byId = new Map(seen.map((i) => [i.id.toLowerCase(), i]));
  for (const f of fetched) {
    if (!f) continue;
    const existing = byId.get(f.id.toLowerCase());
    byId.set(f.id.toLowerCase(), existing ? { ...f, uses: existing.uses } : f);
  }
  return [...byId.values()];
}

/** The collector of one subscription (its gateways share `options`: retry listener, read-only). */
export function createCollector(
  clients: GatewayClients,
  where: { armEndpoint: string; subscriptionId?: string },
  options: GatewayOptions = {},
): SnapshotCollector {
  return new SnapshotCollector(clients, where, options);
}
