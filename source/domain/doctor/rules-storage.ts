/**
 * The storage firewall (RULES.md §3 MI017, [S9]): with networkAcls.defaultAction Deny only the
 * listed virtual network subnets get through, so nodes in any other subnet fail to fetch resource
 * files and packages even with the right roles. Package upload by the Batch service is not
 * firewalled this way.
 */
import { lastSegment } from '../model.js';
import { autoStorageUse, nameOf, usesAutoStorage, type DoctorContext } from './context.js';
import { placeholder, storageNetworkRuleAdd } from './fixes.js';
import { rule } from './rule.js';
import type { PoolSnapshot, StorageAccountInfo } from './types.js';

/** Storage accounts a pool reaches: autostorage (when it takes from it) and resource-file URLs. */
function storageReached(
  ctx: DoctorContext,
  p: PoolSnapshot,
  autoStorageId: string | undefined,
): Array<{ id: string; info?: StorageAccountInfo; via: string }> {
  const reached: Array<{ id: string; info?: StorageAccountInfo; via: string }> = [];
  if (autoStorageId && usesAutoStorage(autoStorageUse(p.pool))) {
    const info = ctx.storageAccount(autoStorageId);
    reached.push({ id: autoStorageId, ...(info ? { info } : {}), via: 'autostorage' });
  }
  for (const f of p.pool.startTaskResourceFiles) {
    const url = f.storageContainerUrl ?? f.httpUrl;
    const info = url ? ctx.storageForUrl(url) : undefined;
    if (info && !reached.some((r) => r.id.toLowerCase() === info.id.toLowerCase()))
      reached.push({ id: info.id, info, via: 'startTask.resourceFiles' });
  }
  return reached;
}

export const MI017 = rule(
  'MI017',
  'error',
  "Storage firewall denies by default and does not allow the pool's subnet",
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      for (const s of storageReached(ctx, p, a.autoStorage?.storageAccountId)) {
        if (!s.info) {
          out.skip(
            p.pool.id,
            ctx.gap('storageAccount', s.id)?.reason ??
              `storage account ${lastSegment(s.id)} was not read`,
          );
          continue;
        }
        const acls = s.info.networkAcls;
        if (acls.defaultAction !== 'Deny') continue;
        const subnet = p.pool.subnetId;
        if (
          subnet &&
          acls.virtualNetworkRules.some((r) => r.id.toLowerCase() === subnet.toLowerCase())
        )
          continue;
        out.find({
          resource: p.pool.id,
          resourceName: nameOf(p.pool),
          severity: subnet ? 'error' : 'warning',
          symptom: subnet
            ? `Resource files and packages from ${s.info.name} fail ResourceContainerAccessDenied even with the right roles: its firewall does not allow the pool's subnet`
            : `${s.info.name} denies by default and the pool has no virtual network: its nodes reach storage from public addresses the firewall must list`,
          evidence: {
            storageAccount: s.id,
            via: s.via,
            'networkAcls.defaultAction': 'Deny',
            'networkAcls.virtualNetworkRules': acls.virtualNetworkRules.map((r) => r.id),
            'networkAcls.ipRules': acls.ipRules.length ? acls.ipRules : undefined,
            'pool.networkConfiguration.subnetId': subnet ?? null,
          },
          fix: {
            az: storageNetworkRuleAdd(s.id, subnet ?? placeholder('pool-subnet-id')),
            note: 'the subnet needs the Microsoft.Storage service endpoint for a storage account in the same region (az network vnet subnet update --service-endpoints Microsoft.Storage)',
          },
        });
      }
    }
  },
);
