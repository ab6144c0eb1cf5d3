/**
 * The warnings the documents call for, worded once. Each names its source (RULES.md tags).
 */
import type { StorageAccountInfo } from '../doctor/types.js';
import type { PoolSummary } from '../model.js';
import type { PlanStep, PlanWarning } from './types.js';

export function existingNodes(steps: readonly PlanStep[]): PlanWarning[] {
  const resizes = steps.filter((s) => s.kind === 'resize-pool' && s.viaZero);
  if (!resizes.length) return [];
  return [
    {
      code: 'existing-nodes',
      message:
        'Nodes allocated before a change keep the identities, packages and start-task results they got then; only nodes allocated afterwards follow the new configuration. ' +
        `The resize step${resizes.length > 1 ? 's' : ''} (${resizes.map((s) => s.targetName).join(', ')}) take${resizes.length > 1 ? '' : 's'} every node away, with the tasks running on it, and allocate new ones: ${resizes.length > 1 ? 'each is' : 'it is'} optional and confirmed separately.`,
      source: 'managed-identity-pools [S2]; azure-sdk-for-net#37937 [I3]; RULES.md MI010',
    },
  ];
}

export function rolePropagation(steps: readonly PlanStep[]): PlanWarning[] {
  if (!steps.some((s) => s.kind === 'create-role-assignment')) return [];
  return [
    {
      code: 'role-propagation',
      message:
        'A new role assignment can take up to 10 minutes to take effect: before that, storage may still answer 403. A confirmed resize waits for it before nodes are allocated again; verification says when to re-check.',
      source: 'role-based-access-control/troubleshooting [S14]; RULES.md MI006',
    },
  ];
}

export function multipleIdentities(poolName: string, count: number): PlanWarning {
  return {
    code: 'multiple-identities',
    message: `Pool ${poolName} will have ${count} user-assigned identities: IMDS then answers 400 unless a task names one (client_id or msi_res_id; AZURE_CLIENT_ID for DefaultAzureCredential).`,
    source: 'use-managed-identities-azure-batch-account-pool [S1]; RULES.md MI008',
  };
}

export function referenceNotOnPool(poolName: string, reference: string): PlanWarning {
  return {
    code: 'reference-not-on-pool',
    message: `Pool ${poolName} takes files or packages from autostorage, but the account's node identity reference ${reference} will not be among its identities: new nodes become Unusable (ApplicationPackageError) or fail ResourceContainerListMiscError.`,
    source: 'use-managed-identities-azure-batch-account-pool [S1]; RULES.md MI004',
  };
}

/** Storage firewall denying the pool's subnet (MI017): the flow's fix is not enough. */
export function firewall(storage: StorageAccountInfo, pool: PoolSummary): PlanWarning | undefined {
  if (storage.networkAcls.defaultAction !== 'Deny') return undefined;
  const subnet = pool.subnetId?.toLowerCase();
  if (storage.networkAcls.virtualNetworkRules.some((r) => r.id.toLowerCase() === subnet))
    return undefined;
  return {
    code: 'firewall',
    message: `Storage account ${storage.name} denies network access by default and pool ${pool.accountName}/${pool.name}'s subnet is not allowed: nodes will be refused whatever the roles (add the subnet to its network rules).`,
    source: 'access-denied-execute-azure-batch-job [S9]; RULES.md MI017',
  };
}

export function unconfirmedRoles(reason: string): PlanWarning {
  return {
    code: 'unconfirmed-roles',
    message: `Existing role assignments could not be read (${reason}): the plan grants the roles anyway; Azure answers that an assignment already exists and nothing changes.`,
    source: 'authorization role assignments REST API',
  };
}

export const NOT_ON_NODES: PlanWarning = {
  code: 'manual-step',
  message:
    "The account's identity is used by the Batch service only (autostorage, customer-managed keys): nodes never get it. For nodes, attach a user-assigned identity to the pool (flow 1).",
  source: 'Batch account vs pool identity [S3]; Azure/Batch#97 [I5]; RULES.md MI007',
};
