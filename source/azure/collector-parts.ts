/**
 * The collector's pieces: a small concurrency limiter shared by every call of one run, the gap
 * recorder (what could not be read, and why, in one sentence), and the loaders of the parts
 * that need more than one call.
 */
import type { Gap, KeyVaultInfo, SnapshotPart } from '../domain/doctor/types.js';
import type {
  BatchAccountSummary,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
} from '../domain/model.js';
import type { AuthorizationGateway } from './authorization.js';
import { isAbortError, toDomainError } from './errors.js';

/** Runs at most `limit` tasks at once, in the order they were queued. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (running >= limit) return;
    const start = queue.shift();
    if (start) {
      running++;
      start();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
}

/** Records what could not be read. Aborts are not gaps: they end the run. */
export class Gaps {
  readonly list: Gap[] = [];

  /** Runs `read`; on failure records the gap and returns undefined. */
  async attempt<T>(
    part: SnapshotPart,
    resource: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.list.push({ part, resource, reason: toDomainError(error).message });
      return undefined;
    }
  }
}

/** The vault a key identifier (https://{vault}.vault.azure.net/keys/{name}[/{version}]) lives in, by its URI. */
export function keyOf(
  account: BatchAccountSummary,
  vaults: readonly KeyVaultInfo[],
): { vault: KeyVaultInfo; keyName: string } | undefined {
  if (account.encryption.keySource !== 'Microsoft.KeyVault' || !account.encryption.keyIdentifier)
    return undefined;
  try {
    const url = new URL(account.encryption.keyIdentifier);
    const [kind, keyName] = url.pathname.split('/').filter(Boolean);
    if (kind?.toLowerCase() !== 'keys' || !keyName) return undefined;
    const vault = vaults.find((v) => {
      try {
        return new URL(v.vaultUri).host.toLowerCase() === url.host.toLowerCase();
      } catch {
        return false;
      }
    });
    return vault ? { vault, keyName } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Role assignments at each scope (at, above and below it: one listing per scope, whatever the
 * number of principals), and the definitions of the roles they name: built-ins from one listing,
 * each custom role once.
 */
export async function loadRoles(
  authorization: AuthorizationGateway,
  scopes: readonly string[],
  builtIns: Promise<Map<string, RoleDefinitionInfo> | undefined>,
  gaps: Gaps,
  run: <T>(task: () => Promise<T>) => Promise<T>,
  signal?: AbortSignal,
): Promise<{
  assignments: RoleAssignmentInfo[];
  scopes: string[];
  definitions: RoleDefinitionInfo[];
}> {
  const call = signal ? { signal } : {};
  const listed = await Promise.all(
    scopes.map((scope) =>
      gaps
        .attempt('roleAssignments', scope, () =>
          run(() => authorization.listRoleAssignments(scope, {}, call)),
        )
        .then((items) => ({ scope, items })),
    ),
  );
  const byId = new Map<string, RoleAssignmentInfo>();
  for (const { items } of listed) for (const a of items ?? []) byId.set(a.id.toLowerCase(), a);
  const assignments = [...byId.values()];
  const known = (await builtIns) ?? new Map<string, RoleDefinitionInfo>();
  const named = new Set(assignments.map((a) => a.roleDefinitionName.toLowerCase()));
  const custom = [
    ...new Map(
      assignments
        .filter((a) => !known.has(a.roleDefinitionName.toLowerCase()))
        .map((a) => [a.roleDefinitionName.toLowerCase(), a.roleDefinitionId]),
    ).values(),
  ];
  const fetched = await Promise.all(
    custom.map((id) =>
      gaps.attempt('roleDefinitions', id, () => run(() => authorization.roleDefinition(id, call))),
    ),
  );
  const definitions = [
    ...[...known.values()].filter((d) => named.has(d.name.toLowerCase())),
    ...fetched.filter((d): d is RoleDefinitionInfo => d !== undefined),
  ];
  return {
    assignments,
    scopes: listed.filter((l) => l.items !== undefined).map((l) => l.scope),
    definitions,
  };
}
