/**
 * The seeded sandbox for the storage, IMDS, logs and token-check tests: the shared fixture
 * (clients as cloud/ builds them), Azurite up, and helpers to find seeded resources by name,
 * grant the operator a data role the way an owner would (through ARM), and mint tokens with the
 * sandbox's own token service.
 */
import { AuthorizationGateway } from '../../source/azure/authorization.js';
import { BUILT_IN_ROLE_IDS } from '../../source/domain/model.js';
import type { RunningSandbox } from '../../source/sandbox/index.js';
import { guidFrom } from '../../source/sandbox/world/ids.js';
import { SEED } from '../../source/sandbox/world/seed.js';
import { startFixture, type Fixture } from './sandbox-fixture.js';

export interface StorageFixture extends Fixture {
  sandbox: RunningSandbox;
  operatorObjectId: string;
  storage(name: string): { id: string; blobEndpoint: string };
  identity(name: string): { id: string; clientId: string; principalId: string };
  account(name: string): { id: string; accountEndpoint: string };
  /** The first node of a pool. */
  node(account: string, pool: string): string;
  /** Gives the operator a data role on a storage account (through ARM, as an owner does). */
  grantOperator(storageName: string, role: keyof typeof BUILT_IN_ROLE_IDS): Promise<void>;
  /** A token signed by the sandbox for one identity (or principal), as Entra or IMDS would issue it. */
  tokenFor(
    principalObjectId: string,
    input?: { aud?: string; lifetimeSeconds?: number; claims?: Record<string, unknown> },
  ): string;
}

export async function startStorageFixture(): Promise<StorageFixture> {
  const fx = await startFixture();
  const sandbox = fx.embedded.sandbox;
  await sandbox.storageReady;
  const world = sandbox.world;
  const byName = <T extends { name: string }>(
    items: Iterable<T>,
    name: string,
    what: string,
  ): T => {
    const found = [...items].find((i) => i.name === name);
    if (!found) throw new Error(`no ${what} ${name} in the seeded world`);
    return found;
  };
  const authorization = new AuthorizationGateway(fx.operator.authorization());
  const operatorObjectId = guidFrom(`principal:${SEED.operator.clientId}`);
  return {
    ...fx,
    sandbox,
    operatorObjectId,
    storage: (name) => byName(world.storageAccounts.values(), name, 'storage account'),
    identity: (name) => byName(world.userAssignedIdentities.values(), name, 'identity'),
    account: (name) => byName(world.batchAccounts.values(), name, 'Batch account'),
    node(accountName, pool) {
      const account = byName(world.batchAccounts.values(), accountName, 'Batch account');
      const nodes = world.nodes.get(`${account.id}/pools/${pool}`.toLowerCase());
      const first = nodes ? [...nodes.values()][0] : undefined;
      if (!first) throw new Error(`no node in ${accountName}/${pool}`);
      return first.id;
    },
    async grantOperator(storageName, role) {
      await authorization.createRoleAssignment({
        scope: byName(world.storageAccounts.values(), storageName, 'storage account').id,
        roleDefinitionId: BUILT_IN_ROLE_IDS[role],
        principalId: operatorObjectId,
        principalType: 'ServicePrincipal',
      });
    },
    tokenFor(principalObjectId, input = {}) {
      return sandbox.services.tokens.issue({
        principalObjectId,
        aud: input.aud ?? 'https://storage.azure.com/',
        ...(input.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: input.lifetimeSeconds }),
        ...(input.claims ? { claims: input.claims } : {}),
      }).token;
    },
  };
}
