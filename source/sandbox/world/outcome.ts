/**
 * What happens to a node when it joins its pool and runs its start task, decided from the
 * configuration exactly as RULES.md §1 (Azure's documented behaviour tables) says — never from
 * names. Table A: application packages declared on the pool. Table B: start task resource files.
 * Sources: SupportArticles use-managed-identities-azure-batch-account-pool.md,
 * azure-batch-node-unusable-state.md, access-denied-execute-azure-batch-job.md.
 */
import type { BatchAccount, ComputeNode, NodeError, Pool } from './model.js';
import { canReadBlobs, identityPrincipal, locateContainer, type NetworkOrigin, type StorageVerdict } from './access.js';
import { resolveReference, usable } from './applications.js';
import type { World } from './world.js';

export interface ResourceFile {
  autoStorageContainerName?: string;
  storageContainerUrl?: string;
  httpUrl?: string;
  filePath?: string;
  identityReference?: { resourceId?: string };
}

export type JoinOutcome =
  | { kind: 'ready'; packagesDownloaded: string[]; packageProblem?: StorageVerdict }
  | { kind: 'stuckStarting' }
  | { kind: 'unusable'; errors: NodeError[] };

/** What storage answered the node's request, as the node's agent logs it. */
export interface StorageAnswer {
  status: number;
  /** x-ms-error-code; absent for the bare 400 storage gives a token request for an identity the VM lacks. */
  code?: string;
  message: string;
}

export type StartTaskOutcome =
  | { kind: 'success' }
  | { kind: 'failure'; code: string; message: string; storage: StorageAnswer };

const asArray = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Array<Record<string, unknown>>) : [];

export function applicationPackages(pool: Pool): Array<{ id: string; version?: string }> {
  return asArray(pool.properties.applicationPackages).map((p) => ({
    id: typeof p.id === 'string' ? p.id : '',
    ...(typeof p.version === 'string' ? { version: p.version } : {}),
  }));
}

export function startTask(pool: Pool): { resourceFiles: ResourceFile[]; waitForSuccess: boolean } | undefined {
  const task = pool.properties.startTask;
  if (typeof task !== 'object' || task === null) return undefined;
  const record = task as Record<string, unknown>;
  return {
    resourceFiles: asArray(record.resourceFiles),
    waitForSuccess: record.waitForSuccess !== false,
  };
}

export function poolSubnet(pool: Pool): string | undefined {
  const network = pool.properties.networkConfiguration as { subnetId?: unknown } | undefined;
  return typeof network?.subnetId === 'string' ? network.subnetId : undefined;
}

/**
 * Where the pool's nodes reach storage from (access.ts, NetworkOrigin): their subnet, or, for a
 * pool without a virtual network, a public address Batch chose that no firewall rule names.
 */
export function poolOrigin(pool: Pool): NetworkOrigin {
  const subnetId = poolSubnet(pool);
  return subnetId ? { kind: 'subnet', subnetId } : { kind: 'internet' };
}

const nodeHas = (node: ComputeNode, resourceId: string): boolean =>
  node.identityResourceIds.some((id) => id.toLowerCase() === resourceId.toLowerCase());

function autoStorageAccount(world: World, account: BatchAccount) {
  return account.autoStorage ? world.storageAccounts.get(account.autoStorage.storageAccountId.toLowerCase()) : undefined;
}

const packageError = (labels: string[]): JoinOutcome => ({
  kind: 'unusable',
  errors: [
    {
      code: 'ApplicationPackageError',
      message: 'One or more application packages specified for the pool are invalid',
      errorDetails: labels.map((label) => ({ name: 'Message - Resource download failed', value: label.replace('/', ':') })),
    },
  ],
});

/**
 * Table A: the node's fate at join time. The packages must exist and be active (a pool cannot be
 * created otherwise, but a package can be deleted later); a node that cannot install one is
 * unusable with ApplicationPackageError (inferred from the same error for A4).
 */
export function decideJoin(world: World, account: BatchAccount, pool: Pool, node: ComputeNode, at = world.clock.now()): JoinOutcome {
  const references = applicationPackages(pool).map((p) => resolveReference(world, account.id, p));
  if (references.length === 0) return { kind: 'ready', packagesDownloaded: [] };
  const labels = references.map((r) => r.label);
  const missing = references.filter((r) => !usable(r)).map((r) => r.label);
  const autoStorage = account.autoStorage;
  if (!autoStorage) return packageError(labels);
  if (autoStorage.authenticationMode === 'StorageKeys') return missing.length ? packageError(missing) : { kind: 'ready', packagesDownloaded: labels };
  const reference = autoStorage.nodeIdentityReference?.resourceId;
  // A3: no node identity reference — the node never finishes joining.
  if (!reference) return { kind: 'stuckStarting' };
  // A4: the reference names an identity the node's VM does not have.
  if (!nodeHas(node, reference)) return packageError(labels);
  if (missing.length) return packageError(missing);
  const principal = identityPrincipal(world, reference);
  const verdicts = references.map((r): StorageVerdict => {
    const storage = world.storageAccounts.get((r.record?.storageAccountId ?? '').toLowerCase()) ?? autoStorageAccount(world, account);
    return storage && principal && r.record ? canReadBlobs(world, principal, storage, r.record.container, poolOrigin(pool), at) : 'forbidden';
  });
  const verdict = worst(verdicts);
  // A1 / A2: the node starts either way; the packages are there only with a data role.
  return verdict === 'ok' ? { kind: 'ready', packagesDownloaded: labels } : { kind: 'ready', packagesDownloaded: [], packageProblem: verdict };
}

const worst = (verdicts: StorageVerdict[]): StorageVerdict => verdicts.find((v) => v !== 'ok') ?? 'ok';

/** Storage's answers, in its own words (RULES.md §1 "Checking by hand"; MI017). */
export const STORAGE_ANSWER = {
  forbidden: { status: 403, code: 'AuthorizationPermissionMismatch', message: 'This request is not authorized to perform this operation using this permission.' },
  firewall: { status: 403, code: 'AuthorizationFailure', message: 'This request is not authorized to perform this operation.' },
  badRequest: { status: 400, message: 'Bad Request' },
} satisfies Record<string, StorageAnswer>;

type Failure = Extract<StartTaskOutcome, { kind: 'failure' }>;
const failure = (code: string, message: string) => (cause: keyof typeof STORAGE_ANSWER): Failure => ({ kind: 'failure', code, message, storage: STORAGE_ANSWER[cause] });
const DENIED = failure('ResourceContainerAccessDenied', 'Access for one of the specified Azure Blob container(s) is denied');
const LIST_MISC = failure('ResourceContainerListMiscError', 'Miscellaneous error encountered while listing one of the specified Azure Blob container(s)')('badRequest');
const BLOB_DENIED = failure('BlobAccessDenied', 'Access for one of the specified Azure Blob(s) is denied');
const BLOB_MISC = failure('BlobDownloadMiscError', 'Miscellaneous error encountered while downloading one of the specified Azure Blob(s)')('badRequest');

/** A refused read: the verdict says which refusal storage gave (no data role, or the firewall). */
const refused = (deny: typeof DENIED, verdict: StorageVerdict | 'noIdentity'): Failure => deny(verdict === 'firewall' ? 'firewall' : 'forbidden');

/** Table B, applied to each start-task resource file in turn; the first failure is the task's. */
export function decideStartTask(world: World, account: BatchAccount, pool: Pool, node: ComputeNode, at = world.clock.now()): StartTaskOutcome {
  for (const file of startTask(pool)?.resourceFiles ?? []) {
    const outcome = decideResourceFile(world, account, pool, node, file, at);
    if (outcome.kind === 'failure') return outcome;
  }
  return { kind: 'success' };
}

function decideResourceFile(world: World, account: BatchAccount, pool: Pool, node: ComputeNode, file: ResourceFile, at: number): StartTaskOutcome {
  const origin = poolOrigin(pool);
  if (file.autoStorageContainerName !== undefined) {
    const autoStorage = account.autoStorage;
    const storage = autoStorageAccount(world, account);
    if (!autoStorage || !storage) return refused(DENIED, 'noIdentity');
    if (autoStorage.authenticationMode === 'StorageKeys') return { kind: 'success' };
    const reference = file.identityReference?.resourceId ?? autoStorage.nodeIdentityReference?.resourceId;
    // B3: no identity to ask for a token with. What storage tells an agent without one is not
    // documented; the log keeps the permission refusal it showed before (inferred).
    if (!reference) return refused(DENIED, 'noIdentity');
    if (!nodeHas(node, reference)) return LIST_MISC; // B4: storage answers 400 for an identity the VM lacks
    const principal = identityPrincipal(world, reference);
    const verdict = principal ? canReadBlobs(world, principal, storage, file.autoStorageContainerName, origin, at) : 'forbidden';
    return verdict === 'ok' ? { kind: 'success' } : refused(DENIED, verdict); // B1 / B2 (or the firewall, MI017)
  }
  const url = file.storageContainerUrl ?? file.httpUrl;
  if (url === undefined) return { kind: 'success' };
  const isContainer = file.storageContainerUrl !== undefined;
  const located = locateContainer(world, url);
  if (!located) return { kind: 'success' }; // not a storage account of this world: a public URL
  const reference = file.identityReference?.resourceId;
  if (!reference) return located.hasSas ? { kind: 'success' } : refused(isContainer ? DENIED : BLOB_DENIED, 'noIdentity');
  if (!nodeHas(node, reference)) return isContainer ? LIST_MISC : BLOB_MISC;
  const principal = identityPrincipal(world, reference);
  const verdict = principal ? canReadBlobs(world, principal, located.account, located.container, origin, at) : 'forbidden';
  if (verdict === 'ok') return { kind: 'success' };
  return refused(isContainer ? DENIED : BLOB_DENIED, verdict);
}
