/**
 * What `upload-logs` decides before asking the node for anything: which node, which container,
 * which identity the node writes with, and whether that identity can write there. Every input the
 * operator can get wrong is checked here and answered in one sentence (exit 2); a missing write
 * role is a failed check (exit 1), found before the node is asked, because the node's upload is
 * fire-and-forget: refused blobs simply never arrive.
 */
import type { Gateways } from '../azure/index.js';
import type { StorageAccountGateway } from '../azure/storage-accounts.js';
import { BLOB_WRITE, evaluateGrant, roleLabel, type GrantVerdict } from '../domain/doctor/rbac.js';
import { roleAssignmentCreate } from '../domain/doctor/fixes.js';
import { isDomainError } from '../domain/errors.js';
import type {
  BatchAccountSummary,
  PoolSummary,
  RoleDefinitionInfo,
  UserAssignedIdentityRef,
} from '../domain/model.js';
import { lastSegment } from '../domain/model.js';
import { sameResourceId } from '../domain/resource-id.js';
import {
  describeTarget,
  parseStorageUrl,
  redactUrl,
  targetScope,
  type StorageTarget,
} from '../domain/token/storage-url.js';

/** The operator must fix the input: one sentence, exit 2. */
export class BadInput extends Error {}

/** A check failed (no write role): exit 1. */
export class CheckFailed extends Error {}

/** The container a default upload goes to, in the account's autostorage. */
export const DEFAULT_CONTAINER = 'batch-logs';

export interface Destination {
  target: StorageTarget & { container: string };
  /** What is sent to Batch as containerUrl (with its SAS, if any). */
  containerUrl: string;
  /** For the screen and the JSON: never the SAS. */
  shown: string;
  storageAccountId?: string;
  isDefault: boolean;
}

export interface WriterIdentity {
  ref: UserAssignedIdentityRef;
  /** Why this identity: given, the node identity reference, the pool's only identity. */
  why: string;
}

export async function findAccount(
  gateways: Gateways,
  name: string,
  signal: AbortSignal,
): Promise<BatchAccountSummary> {
  const matches = (await gateways.management.listAccounts({ signal })).filter(
    (a) => a.name.toLowerCase() === name.toLowerCase(),
  );
  const account = matches[0];
  if (!account)
    throw new BadInput(
      `There is no Batch account named '${name}' in subscription ${gateways.subscriptionId}.`,
    );
  if (matches.length > 1)
    throw new BadInput(
      `Several Batch accounts are named '${name}' in subscription ${gateways.subscriptionId}; this command cannot tell them apart yet.`,
    );
  if (!account.accountEndpoint)
    throw new BadInput(`Batch account '${account.name}' has no account endpoint yet.`);
  return account;
}

export async function findPool(
  gateways: Gateways,
  account: BatchAccountSummary,
  pool: string,
  signal: AbortSignal,
): Promise<PoolSummary> {
  try {
    return await gateways.management.getPool(
      {
        resourceGroup: account.resourceGroup,
        accountName: account.name,
        name: pool,
        accountId: account.id,
      },
      { signal },
    );
  } catch (error) {
    if (isDomainError(error) && error.kind === 'NotFound')
      throw new BadInput(`There is no pool '${pool}' in Batch account '${account.name}'.`);
    throw error;
  }
}

export function chooseIdentity(
  account: BatchAccountSummary,
  pool: PoolSummary,
  given: string | undefined,
  hasSas: boolean,
): WriterIdentity | undefined {
  const onPool = pool.identity.userAssignedIdentities;
  const names = onPool.map((i) => i.name).join(', ') || 'none';
  if (given) {
    const ref = onPool.find((i) => sameResourceId(i.resourceId, given));
    if (!ref)
      throw new BadInput(
        `Identity ${lastSegment(given)} is not on pool '${pool.name}', so its nodes cannot write with it (the pool's identities: ${names}).`,
      );
    return { ref, why: 'given with --identity' };
  }
  if (hasSas) return undefined;
  const reference = account.autoStorage?.nodeIdentityReference?.resourceId;
  const byReference = reference
    ? onPool.find((i) => sameResourceId(i.resourceId, reference))
    : undefined;
  if (byReference) return { ref: byReference, why: "the account's node identity reference" };
  if (onPool.length === 1 && onPool[0]) return { ref: onPool[0], why: "the pool's only identity" };
  if (!onPool.length)
    throw new BadInput(
      `Pool '${pool.name}' has no user-assigned identity to write the logs with; pass a --container-url with a SAS that allows writing.`,
    );
  throw new BadInput(
    `Say which of pool '${pool.name}''s identities writes the logs with --identity RESOURCE_ID (they are: ${names}).`,
  );
}

export async function chooseDestination(
  account: BatchAccountSummary,
  given: string | undefined,
  storageAccounts: StorageAccountGateway,
  signal: AbortSignal,
): Promise<Destination> {
  if (given) {
    const parsed = parseStorageUrl(given);
    if (!parsed.ok) throw new BadInput(`--container-url: ${parsed.message}.`);
    const { container } = parsed.value;
    if (!container || parsed.value.blob)
      throw new BadInput(
        `--container-url must name a container (https://<account>.blob.core.windows.net/<container>), not ${redactUrl(given)}.`,
      );
    return {
      target: { ...parsed.value, container },
      containerUrl: given,
      shown: redactUrl(given),
      isDefault: false,
    };
  }
  const id = account.autoStorage?.storageAccountId;
  if (!id)
    throw new BadInput(
      `Batch account '${account.name}' has no autostorage account to upload to; pass --container-url.`,
    );
  const storage = await storageAccounts.getStorageAccount(id, { signal });
  if (!storage.blobEndpoint)
    throw new BadInput(
      `Storage account ${storage.name} reports no blob endpoint; pass --container-url.`,
    );
  const url = `${storage.blobEndpoint.replace(/\/+$/, '')}/${DEFAULT_CONTAINER}`;
  const parsed = parseStorageUrl(url);
  if (!parsed.ok)
    throw new BadInput(
      `The autostorage blob endpoint ${storage.blobEndpoint} is not a storage URL.`,
    );
  return {
    target: { ...parsed.value, container: DEFAULT_CONTAINER },
    containerUrl: url,
    shown: url,
    storageAccountId: storage.id,
    isDefault: true,
  };
}

export interface WriteAccess {
  verdict: GrantVerdict | { kind: 'unknown'; reason: string };
  /** One line for stderr. */
  line: string;
}

/** The static RBAC check: can the identity write blobs into the container? */
export async function checkWriteAccess(
  identity: WriterIdentity,
  destination: Destination,
  gateways: Gateways,
  storageAccounts: StorageAccountGateway,
  signal: AbortSignal,
): Promise<WriteAccess> {
  const name = identity.ref.name;
  const where = describeTarget(destination.target);
  const unknown = (reason: string): WriteAccess => ({
    verdict: { kind: 'unknown', reason },
    line: `Identity ${name}: cannot tell whether it may write to ${where} (${reason}).`,
  });
  const principalId = identity.ref.principalId;
  if (!principalId) return unknown('its principal id is not on the pool');
  try {
    let storageId = destination.storageAccountId;
    if (!storageId) {
      const all = await storageAccounts.listStorageAccounts({ signal });
      storageId = all.find(
        (a) => a.name.toLowerCase() === destination.target.accountName.toLowerCase(),
      )?.id;
      if (!storageId)
        return unknown(
          `storage account ${destination.target.accountName} is not in this subscription`,
        );
      destination.storageAccountId = storageId;
    }
    const assignments = await gateways.authorization.listRoleAssignments(
      storageId,
      { principalId },
      { signal },
    );
    const definitions = new Map<string, RoleDefinitionInfo>(
      await gateways.authorization.builtInRoles({ signal }),
    );
    for (const a of assignments.filter((x) => !definitions.has(x.roleDefinitionName))) {
      const d = await gateways.authorization
        .roleDefinition(a.roleDefinitionId, { signal })
        .catch(() => undefined);
      if (d) definitions.set(d.name, d);
    }
    const verdict = evaluateGrant(
      assignments,
      definitions,
      [principalId],
      targetScope(storageId, destination.target),
      [BLOB_WRITE],
    );
    const roles = (v: { assignments: typeof assignments }) =>
      v.assignments.map((a) => roleLabel(a, definitions)).join(', ') || 'no role there';
    if (verdict.kind === 'granted')
      return {
        verdict,
        line: `Identity ${name} (${identity.why}) may write to ${where}: ✓ ${roles(verdict)}.`,
      };
    if (verdict.kind === 'unknown') return unknown(verdict.reason);
    return {
      verdict,
      line: `Identity ${name} (${identity.why}) may not write to ${where}: ✗ it holds ${roles(verdict)}.`,
    };
  } catch (error) {
    if (signal.aborted) throw error;
    return unknown(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
}

/** The failed write check as one sentence with the fix. */
export function missingWriteRole(identity: WriterIdentity, destination: Destination): CheckFailed {
  const scope =
    destination.storageAccountId ?? `<storage account id of ${destination.target.accountName}>`;
  return new CheckFailed(
    `Identity ${identity.ref.name} has no role that allows writing blobs to ${describeTarget(destination.target)}, so the node's upload would be refused and nothing would arrive; grant it with: ${roleAssignmentCreate(identity.ref.principalId ?? '<principal id>', 'Storage Blob Data Contributor', scope)} (applies within 10 minutes), or pass --container-url and --identity for a container it can write to.`,
  );
}
