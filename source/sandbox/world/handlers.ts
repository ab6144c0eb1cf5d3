/**
 * The world's HTTP handlers, mounted by the server: `arm` on the ARM listener, and `batch(id)`
 * on each account's own Batch listener. Creating the handlers installs the behaviour (node
 * lifecycles on the simulated clock, see behaviour.ts) for `services.world`.
 */
import type { SandboxServices, WorldHandlers } from '../contracts.js';
import { applicationRoutes } from '../arm/applications.js';
import { batchAccountRoutes } from '../arm/batch-accounts.js';
import { identityRoutes } from '../arm/identities.js';
import { keyVaultRoutes } from '../arm/keyvault.js';
import { poolRoutes } from '../arm/pools.js';
import { roleAssignmentRoutes } from '../arm/role-assignments.js';
import { roleDefinitionRoutes } from '../arm/role-definitions.js';
import { createArmHandler } from '../arm/router.js';
import { storageRoutes } from '../arm/storage.js';
import { subscriptionRoutes } from '../arm/subscriptions.js';
import { createBatchHandler } from '../batch/handler.js';
import { installBehaviour } from './behaviour.js';

export function createWorldHandlers(services: SandboxServices): WorldHandlers {
  installBehaviour(services.world);
  const arm = createArmHandler(services, [
    ...subscriptionRoutes,
    ...batchAccountRoutes,
    ...poolRoutes,
    ...applicationRoutes,
    ...identityRoutes,
    ...storageRoutes,
    ...keyVaultRoutes,
    ...roleAssignmentRoutes,
    ...roleDefinitionRoutes,
  ]);
  return { arm, batch: (accountArmId) => createBatchHandler(services, accountArmId) };
}
