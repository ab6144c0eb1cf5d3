/**
 * The default world (SPEC §6, issue 3): one tenant, one subscription, an operator with Owner (and
 * Storage Blob Data Contributor on the autostorage accounts, for logs) and one with Reader only,
 * and accounts whose configuration reproduces every row of Azure's two behaviour tables
 * (RULES.md §1) plus the other situations the doctor must recognise (seed-accounts.ts).
 * Behaviour never keys off these names: each pool's fate follows from its configuration.
 *
 * How the server calls it: `seedWorld(world, { services })` synchronously, BEFORE listeners are
 * known to the world; accounts get `accountEndpoint: ''` and storage accounts `blobEndpoint: ''`,
 * and the server then fills both (server.syncWorld opens one Batch listener per account with
 * services.openBatchEndpoint and sets each blob endpoint to `${endpoints.storage}/{name}/`).
 * It returns the profile's sign-in fields (subscription, operator client id and secret); the
 * other principals are in SEED below.
 */
import type { SandboxServices } from '../contracts.js';
import { guidFrom } from './ids.js';
import { ROLE, installBuiltInRoles } from './roles.js';
import type { World } from './world.js';
import { addAccount, addPool, assign, type Place } from './seed-build.js';
import { seedAccounts } from './seed-accounts.js';

export const SEED = {
  subscriptionName: 'Batch sandbox',
  resourceGroups: ['rg-batch', 'rg-identity', 'rg-scale'],
  operator: { displayName: 'batch-operator', clientId: guidFrom('app:operator'), clientSecret: 'sandbox-operator-secret' },
  reader: { displayName: 'batch-auditor', clientId: guidFrom('app:reader'), clientSecret: 'sandbox-reader-secret' },
  largePoolNodes: 10_000,
};

export interface SeedInfo {
  subscriptionId: string;
  clientId: string;
  clientSecret: string;
}

export function seedWorld(world: World, options: { services?: SandboxServices } = {}): SeedInfo {
  void options;
  world.tenantId ||= guidFrom('tenant:sandbox');
  const subscriptionId = guidFrom('subscription:sandbox');
  world.subscriptions.set(subscriptionId, { subscriptionId, displayName: SEED.subscriptionName, tenantId: world.tenantId, state: 'Enabled', resourceGroups: [...SEED.resourceGroups] });
  installBuiltInRoles(world, subscriptionId);
  const subscriptionScope = `/subscriptions/${subscriptionId}`;
  for (const [who, role] of [[SEED.operator, ROLE.owner], [SEED.reader, ROLE.reader]] as const) {
    const objectId = guidFrom(`principal:${who.clientId}`);
    world.principals.set(objectId, { objectId, displayName: who.displayName, principalType: 'ServicePrincipal', appId: who.clientId, secret: who.clientSecret });
    assign(world, objectId, role, subscriptionScope);
  }
  const place: Place = { subscriptionId, resourceGroup: 'rg-batch', location: 'westeurope' };
  seedAccounts(world, place, { ...place, resourceGroup: 'rg-identity' }, guidFrom(`principal:${SEED.operator.clientId}`));
  seedScale(world, { ...place, resourceGroup: 'rg-scale' });
  return { subscriptionId, clientId: SEED.operator.clientId, clientSecret: SEED.operator.clientSecret };
}

/** The 10,000-node pool: nodes allocated an hour ago and idle (the lifecycle is settled at once). */
function seedScale(world: World, place: Place): void {
  const account = addAccount(world, place, 'batchscale', {});
  addPool(world, account, 'render-farm', { scaleSettings: { fixedScale: { targetDedicatedNodes: SEED.largePoolNodes, targetLowPriorityNodes: 0 } } }, [], 60 * 60_000);
}
