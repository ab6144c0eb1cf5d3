/**
 * Screen 5's data: every user-assigned identity seen on the accounts and pools (no call: they are
 * in the identity blocks), with the role assignments each holds on the autostorage accounts of
 * the accounts that use it. One role-assignment listing per autostorage account, not per
 * identity; an identity seen only as a node identity reference is read by id, since no identity
 * block carries its principalId.
 */
import type { CallOptions, Gateways } from '../../../azure/index.js';
import { mapSettled } from '../../../azure/concurrency.js';
import type { RoleAssignmentInfo, UserAssignedIdentityInfo } from '../../../domain/model.js';
import { nameOf } from '../../format.js';

export interface HeldRole {
  assignment: RoleAssignmentInfo;
  /** The autostorage account the assignment was found on (it may be inherited from above). */
  storageName: string;
}

export interface IdentityRow {
  info: UserAssignedIdentityInfo;
  /** Autostorage accounts of the accounts that use the identity. */
  storages: string[];
  roles: HeldRole[];
  /** Why roles could not be read on some autostorage account. */
  problem?: string;
}

const CONCURRENCY = 4;
const lower = (id: string) => id.toLowerCase();

export async function loadIdentities(
  gateways: Gateways,
  call: CallOptions,
): Promise<IdentityRow[]> {
  const inventory = await gateways.management.listAccountsWithPools(call);
  const identities = gateways.identities.identitiesSeen(inventory);
  const autoStorageOf = new Map<string, string>();
  for (const { account } of inventory) {
    if (account.autoStorage)
      autoStorageOf.set(lower(account.id), account.autoStorage.storageAccountId);
  }
  const storageIds = [
    ...new Map([...autoStorageOf.values()].map((id) => [lower(id), id])).values(),
  ];
  const [assignments, resolved] = await Promise.all([
    mapSettled(
      storageIds,
      CONCURRENCY,
      async (scope) =>
        gateways.authorization.withRoleNames(
          // atScope(): what applies to the account itself (at it and above), not roles on its containers.
          await gateways.authorization.listRoleAssignments(scope, { atScope: true }, call),
          call,
        ),
      call.signal,
    ),
    mapSettled(
      identities.filter((i) => i.principalId === undefined),
      CONCURRENCY,
      (i) => gateways.identities.getUserAssignedIdentity(i.id, call),
      call.signal,
    ),
  ]);
  const onStorage = new Map(storageIds.map((id, i) => [lower(id), assignments[i]]));
  const fetched = new Map(
    resolved.flatMap((r) => (r.ok ? [[lower(r.value.id), r.value] as const] : [])),
  );
  return identities.map((seen) => {
    const extra = fetched.get(lower(seen.id));
    const info: UserAssignedIdentityInfo = extra
      ? {
          ...seen,
          ...(extra.principalId ? { principalId: extra.principalId } : {}),
          ...(extra.clientId ? { clientId: extra.clientId } : {}),
        }
      : seen;
    const storages = [
      ...new Set(
        seen.uses.flatMap((u) => {
          const s = autoStorageOf.get(lower(u.accountId));
          return s === undefined ? [] : [lower(s)];
        }),
      ),
    ];
    const roles: HeldRole[] = [];
    const seenAssignments = new Set<string>();
    let problem: string | undefined;
    for (const storage of storages) {
      const listed = onStorage.get(storage);
      if (listed === undefined) continue;
      if (!listed.ok) {
        problem = listed.error.message;
        continue;
      }
      for (const assignment of listed.value) {
        if (
          assignment.principalId !== info.principalId ||
          seenAssignments.has(lower(assignment.id))
        )
          continue;
        seenAssignments.add(lower(assignment.id));
        roles.push({ assignment, storageName: nameOf(storage) });
      }
    }
    return {
      info,
      storages: storages.map((s) => nameOf(s)),
      roles,
      ...(problem === undefined ? {} : { problem }),
    };
  });
}
