/**
 * The snapshot, indexed for the rules: lookups by ARM id (case-insensitive: Azure varies the case
 * of ids between resources), where data is missing and why, and the per-pool facts several rules
 * share (does the pool use autostorage, what do its nodes show).
 */
import type {
  BatchAccountSummary,
  NodeRow,
  PoolSummary,
  RoleDefinitionInfo,
  UserAssignedIdentityInfo,
} from '../model.js';
import { lastSegment } from '../model.js';
import { evaluateGrant, scopeCovers, type GrantVerdict } from './rbac.js';
import type {
  AccountSnapshot,
  Gap,
  PoolSnapshot,
  Snapshot,
  SnapshotPart,
  StorageAccountInfo,
} from './types.js';

const norm = (id: string): string => id.replace(/\/+$/, '').toLowerCase();

/** Propagation delay of a new role assignment: "up to 10 minutes" (RULES.md MI006, [S14]). */
export const PROPAGATION_MS = 10 * 60_000;

/** What a pool visibly takes from autostorage (RULES.md §1 tables A and B). */
export interface AutoStorageUse {
  packages: boolean;
  /** Containers named by start-task resource files' autoStorageContainerName. */
  containers: string[];
}

export function autoStorageUse(pool: PoolSummary): AutoStorageUse {
  return {
    packages: pool.applicationPackages.length > 0,
    containers: [
      ...new Set(
        pool.startTaskResourceFiles.flatMap((f) =>
          f.autoStorageContainerName === undefined ? [] : [f.autoStorageContainerName],
        ),
      ),
    ],
  };
}

export const usesAutoStorage = (u: AutoStorageUse): boolean =>
  u.packages || u.containers.length > 0;

/** Pool identities, as ARM ids. */
export const poolIdentityIds = (pool: PoolSummary): string[] =>
  pool.identity.userAssignedIdentities.map((i) => i.resourceId);

export const poolHasIdentity = (pool: PoolSummary, resourceId: string): boolean =>
  pool.identity.userAssignedIdentities.some((i) => norm(i.resourceId) === norm(resourceId));

/** The account's own principals: system-assigned, then each user-assigned identity's. */
export function accountPrincipals(
  account: BatchAccountSummary,
  identity: (id: string) => UserAssignedIdentityInfo | undefined,
): string[] {
  const ids: string[] = [];
  if (account.identity.principalId) ids.push(account.identity.principalId);
  for (const ref of account.identity.userAssignedIdentities) {
    const principal = ref.principalId ?? identity(ref.resourceId)?.principalId;
    if (principal) ids.push(principal);
  }
  return ids;
}

/** "2 unusable (ApplicationPackageError), 1 idle": what the nodes show, for evidence. */
export function describeNodes(nodes: readonly NodeRow[]): string {
  if (nodes.length === 0) return 'no nodes';
  const groups = new Map<string, number>();
  for (const n of nodes) {
    const codes = [
      ...n.errors.map((e) => e.code),
      ...(n.startTaskFailure ? [n.startTaskFailure.code] : []),
    ];
    const label = codes.length ? `${n.state} (${[...new Set(codes)].join(', ')})` : n.state;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  return [...groups].map(([label, count]) => `${count} ${label}`).join(', ');
}

export class DoctorContext {
  private readonly identities = new Map<string, UserAssignedIdentityInfo>();
  private readonly storage = new Map<string, StorageAccountInfo>();
  readonly definitions = new Map<string, RoleDefinitionInfo>();

  constructor(readonly snapshot: Snapshot) {
    for (const i of snapshot.identities) this.identities.set(norm(i.id), i);
    for (const s of snapshot.storageAccounts) this.storage.set(norm(s.id), s);
    for (const d of snapshot.roleDefinitions) this.definitions.set(d.name.toLowerCase(), d);
  }

  get now(): Date {
    return this.snapshot.now;
  }

  *pools(): Generator<{ account: AccountSnapshot; pool: PoolSnapshot }> {
    for (const account of this.snapshot.accounts)
      for (const pool of account.pools ?? []) yield { account, pool };
  }

  identity(resourceId: string): UserAssignedIdentityInfo | undefined {
    return this.identities.get(norm(resourceId));
  }

  storageAccount(id: string): StorageAccountInfo | undefined {
    return this.storage.get(norm(id));
  }

  /** The storage account whose blob endpoint serves `url` (resource files given by URL). */
  storageForUrl(url: string): StorageAccountInfo | undefined {
    const lower = url.toLowerCase();
    return this.snapshot.storageAccounts.find(
      (s) => s.blobEndpoint !== undefined && lower.startsWith(s.blobEndpoint.toLowerCase()),
    );
  }

  /** Why `part` of `resource` is missing, if the collector recorded it. */
  gap(part: SnapshotPart, resource: string): Gap | undefined {
    return this.snapshot.gaps.find((g) => g.part === part && norm(g.resource) === norm(resource));
  }

  /** Whether the assignments that apply at `target` were listed (a listing at any scope on its line). */
  assignmentsKnown(target: string): boolean {
    return this.snapshot.roleAssignmentScopes.some(
      (s) => scopeCovers(s, target) || scopeCovers(target, s),
    );
  }

  /** Why the assignments at `target` are unknown, in one phrase. */
  assignmentsGap(target: string): string {
    const gap = this.snapshot.gaps.find(
      (g) =>
        g.part === 'roleAssignments' &&
        (scopeCovers(g.resource, target) || scopeCovers(target, g.resource)),
    );
    return gap?.reason ?? `the role assignments on ${lastSegment(target)} were not read`;
  }

  /**
   * Whether any of `principals` may perform `dataActions` on every one of `targets`. Missing
   * assignment data is 'unknown' with its reason, never a guess.
   */
  grant(
    principals: readonly string[],
    targets: readonly string[],
    dataActions: readonly string[],
  ): GrantVerdict {
    const used: GrantVerdict[] = [];
    for (const target of targets) {
      if (!this.assignmentsKnown(target))
        return { kind: 'unknown', reason: this.assignmentsGap(target) };
      const verdict = evaluateGrant(
        this.snapshot.roleAssignments,
        this.definitions,
        principals,
        target,
        dataActions,
      );
      if (verdict.kind !== 'granted') return verdict;
      used.push(verdict);
    }
    return {
      kind: 'granted',
      assignments: used.flatMap((v) => (v.kind === 'granted' ? v.assignments : [])),
    };
  }

  /** Age of an assignment on the snapshot's clock (undefined when Azure did not say). */
  ageMs(createdOn: Date | undefined): number | undefined {
    return createdOn === undefined ? undefined : this.now.getTime() - createdOn.getTime();
  }
}

/** Container scope below a storage account (role assignments can be made there). */
export const containerScope = (storageAccountId: string, container: string): string =>
  `${storageAccountId}/blobServices/default/containers/${container}`;

export const nameOf = (pool: PoolSummary): string => `${pool.accountName}/${pool.name}`;
