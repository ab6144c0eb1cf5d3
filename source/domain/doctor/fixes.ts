/**
 * The commands a finding offers to copy, with the real ids filled in (RULES.md §3, "Fix"
 * column). Written for bash/zsh: JSON bodies in single quotes. A value the doctor cannot know
 * (which identity the operator wants) stays a visible <placeholder>.
 */
import type { PoolSummary } from '../model.js';
import { lastSegment } from '../model.js';
import { parseResourceId } from '../resource-id.js';

/** Microsoft.Batch api-version the SDK (@azure/arm-batch 9) speaks; pool identity needs 2021-01-01+. */
export const BATCH_API_VERSION = '2023-11-01';

const quote = (value: unknown): string => `'${JSON.stringify(value)}'`;

const resourceGroupOf = (id: string): string => {
  const parsed = parseResourceId(id);
  return parsed.ok ? parsed.value.resourceGroup : '<resource-group>';
};

export function azRestPatch(armEndpoint: string, id: string, body: unknown): string {
  const base = armEndpoint.replace(/\/+$/, '');
  return `az rest --method patch --url "${base}${id}?api-version=${BATCH_API_VERSION}" --body ${quote(body)}`;
}

export function roleAssignmentCreate(principalId: string, role: string, scope: string): string {
  return `az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role "${role}" --scope ${scope}`;
}

export function roleAssignmentList(principalId: string, scope: string): string {
  return `az role assignment list --assignee ${principalId} --scope ${scope} --query "[].{role:roleDefinitionName,createdOn:createdOn}"`;
}

/** PATCH of the pool's identities: ARM replaces the whole set, so the ones to keep are listed too. */
export function poolIdentityPatch(
  armEndpoint: string,
  pool: PoolSummary,
  identities: string[],
): string {
  const unique = [...new Map(identities.map((i) => [i.toLowerCase(), i])).values()];
  return azRestPatch(armEndpoint, pool.id, {
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: Object.fromEntries(unique.map((i) => [i, {}])),
    },
  });
}

/**
 * Existing nodes keep the identities they were allocated with (RULES.md MI010, [S2][I3]): resize
 * to 0, and once the pool is steady, back to its size.
 */
export function resizeToZero(pool: PoolSummary): string {
  return (
    `az batch account login -g ${resourceGroupOf(pool.accountId)} -n ${pool.accountName} && ` +
    `az batch pool resize --pool-id ${pool.name} --target-dedicated-nodes 0 --target-low-priority-nodes 0`
  );
}

/** "resize the pool to 0 and back to N": nodes get the pool's current identities only when allocated. */
export function resizeNote(pool: PoolSummary): string {
  const dedicated = pool.targetDedicatedNodes ?? pool.currentDedicatedNodes;
  const low = pool.targetLowPriorityNodes ?? pool.currentLowPriorityNodes;
  return `resize the pool to 0 nodes and, once it is steady, back (az batch pool resize --pool-id ${pool.name} --target-dedicated-nodes ${dedicated} --target-low-priority-nodes ${low})`;
}

export function storageNetworkRuleAdd(storageAccountId: string, subnetId: string): string {
  return `az storage account network-rule add --account-name ${lastSegment(storageAccountId)} -g ${resourceGroupOf(storageAccountId)} --subnet ${subnetId}`;
}

/** The IMDS request a task makes on a node (RULES.md §4), naming the identity explicitly. */
export function imdsCurl(clientId: string, resource = 'https://storage.azure.com/'): string {
  return `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}&client_id=${clientId}"`;
}

export function keyVaultSetPolicy(vaultName: string, principalId: string): string {
  return `az keyvault set-policy -n ${vaultName} --object-id ${principalId} --key-permissions get wrapKey unwrapKey`;
}

export const placeholder = (what: string): string => `<${what}>`;
