/**
 * The Identities screen's table, derived without any extra Azure call: every user-assigned
 * identity appears, with its principalId and clientId, in the `identity.userAssignedIdentities`
 * blocks of the accounts and pools that use it (SPEC §7: no N+1). Only a node identity reference
 * to an identity that is on no account or pool lacks them — exactly the MI004 situation.
 */
import type {
  BatchAccountSummary,
  IdentityUse,
  PoolSummary,
  UserAssignedIdentityInfo,
  UserAssignedIdentityRef,
} from './model.js';
import { lastSegment } from './model.js';
import { parseResourceId } from './resource-id.js';

export function collectUserAssignedIdentities(
  accounts: readonly BatchAccountSummary[],
  pools: readonly PoolSummary[],
): UserAssignedIdentityInfo[] {
  // ARM ids vary in case between resources (and the sandbox reproduces that): key lower-cased.
  const byId = new Map<string, UserAssignedIdentityInfo>();

  const entry = (resourceId: string, ref?: UserAssignedIdentityRef): UserAssignedIdentityInfo => {
    const key = resourceId.replace(/\/+$/, '').toLowerCase();
    let info = byId.get(key);
    if (!info) {
      const parsed = parseResourceId(resourceId);
      info = {
        id: resourceId,
        subscriptionId: parsed.ok ? parsed.value.subscriptionId : '',
        resourceGroup: parsed.ok ? parsed.value.resourceGroup : '',
        name: lastSegment(resourceId),
        uses: [],
      };
      byId.set(key, info);
    }
    if (ref?.principalId && !info.principalId) info.principalId = ref.principalId;
    if (ref?.clientId && !info.clientId) info.clientId = ref.clientId;
    return info;
  };
  const addUse = (resourceId: string, u: IdentityUse, ref?: UserAssignedIdentityRef): void => {
    entry(resourceId, ref).uses.push(u);
  };

  for (const a of accounts) {
    const base = { accountId: a.id, accountName: a.name };
    for (const ref of a.identity.userAssignedIdentities) {
      addUse(ref.resourceId, { kind: 'accountIdentity', ...base }, ref);
    }
    const nodeRef = a.autoStorage?.nodeIdentityReference?.resourceId;
    if (nodeRef) addUse(nodeRef, { kind: 'nodeIdentityReference', ...base });
  }
  for (const p of pools) {
    const base = { accountId: p.accountId, accountName: p.accountName, poolName: p.name };
    for (const ref of p.identity.userAssignedIdentities) {
      addUse(ref.resourceId, { kind: 'poolIdentity', ...base }, ref);
    }
    for (const r of p.identityReferences) {
      addUse(r.resourceId, { kind: 'identityReference', ...base, where: r.where });
    }
  }
  return [...byId.values()].sort((x, y) => x.name.localeCompare(y.name));
}
