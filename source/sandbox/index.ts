/**
 * The sandbox's one entry: starts Azure on this machine and returns the cloud profile that points
 * the real SDK clients at it. The program reaches it only through cloud/start-sandbox.ts (by
 * dynamic import, so that start-up does not pay for it); tests import it directly.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxServices } from './contracts.js';
import type { ActiveFault, FaultRule, Faults } from './faults.js';
import { SandboxServer } from './server.js';
import { AZURITE_MISSING_MESSAGE, locateAzurite } from './storage-gate/azurite.js';
import { Clock } from './world/clock.js';
import { createWorldHandlers } from './world/handlers.js';
import { seedWorld } from './world/seed.js';
import { World } from './world/world.js';

/** A cloud profile as JSON (cloud/profile.ts's CloudProfile; the sandbox may not import it). */
export interface SandboxProfile {
  name: string;
  armEndpoint: string;
  armScope: string;
  authorityHost: string;
  tenantId: string;
  subscriptionId?: string;
  clientId?: string;
  clientSecret?: string;
  caCertFile: string;
  imdsBase: string;
  batchScope: string;
  storageScope: string;
  disableInstanceDiscovery: boolean;
}

/** What a custom seed may return to fill the profile's sign-in fields. */
export interface SeedResult {
  subscriptionId?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface StartSandboxOptions {
  /** ARM's port; Entra, storage, IMDS and control take the next four. Default: chosen by the OS. */
  port?: number;
  /** true (default): the seeded world; false: an empty one; a function: builds the world itself. */
  seed?: boolean | ((world: World, services: SandboxServices) => SeedResult | void);
  /** Simulated seconds per real second (default 1; 0 stops time, tests then step `clock.advance`). */
  clockSpeed?: number;
  /** Simulated ms before a new role assignment takes effect (default 0). */
  propagationMs?: number;
  /** Resolve only once Azurite is up (default false: storage requests wait for it instead). */
  waitForStorage?: boolean;
  /** Where handler errors go (default: dropped; the client gets a 500 in the listener's shape). */
  onError?: (error: unknown) => void;
}

export interface RunningSandbox {
  profile: SandboxProfile;
  world: World;
  faults: Pick<Faults, 'add' | 'remove' | 'clear'> & { list(): readonly ActiveFault[] };
  clock: Clock;
  services: SandboxServices;
  /** Settles once Azurite is up. */
  storageReady: Promise<void>;
  /** IMDS per node: the shared listener's host for a node, or a listener of the node's own. */
  imds: {
    base: string;
    hostFor(accountName: string, poolName: string, nodeId: string): string;
    openForNode(accountName: string, poolName: string, nodeId: string): Promise<string>;
  };
  /** key1 of a storage account (base64), as listKeys would show it; SAS in tests is signed with it. */
  storageAccountKey(accountName: string): string;
  /** Creates a blob container directly (no RBAC): for seeds and tests. */
  ensureContainer(
    accountName: string,
    container: string,
  ): Promise<{ status: number; errorCode?: string }>;
  /** `https://127.0.0.1:PORT`: GET/POST/DELETE /faults for another process. */
  controlUrl: string;
  /** Every port it listens on, Azurite's included. */
  listeningPorts(): Promise<number[]>;
  stop(): Promise<void>;
}

export type { FaultRule };

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const azuriteDir = locateAzurite();
  if (!azuriteDir) throw new Error(AZURITE_MISSING_MESSAGE);
  const clock = new Clock({ speed: options.clockSpeed ?? 1 });
  const world = new World(clock);
  world.roleAssignmentPropagationMs = options.propagationMs ?? 0;
  const server = await SandboxServer.start({
    world,
    azuriteDir,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  try {
    const seedResult = seed(world, server.services, options.seed ?? true);
    if (!world.tenantId) world.tenantId = randomUUID();
    server.mount(createWorldHandlers(server.services));
    await server.syncWorld();
    if (options.waitForStorage) await server.storageReady;
    return running(server, seedResult);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function running(server: SandboxServer, seedResult: SeedResult): RunningSandbox {
  const { world, services } = server;
  const profile: SandboxProfile = {
    name: 'sandbox',
    armEndpoint: services.endpoints.arm,
    armScope: 'https://management.azure.com/.default',
    authorityHost: services.endpoints.entra,
    tenantId: world.tenantId,
    ...seedResult,
    caCertFile: server.tls.caFile,
    imdsBase: server.imds.base,
    // The Batch resource's App ID URI ends in a slash, so its scope has two.
    batchScope: 'https://batch.core.windows.net//.default',
    storageScope: 'https://storage.azure.com/.default',
    disableInstanceDiscovery: true,
  };
  let stopping: Promise<void> | undefined;
  return {
    profile,
    world,
    faults: server.faults,
    clock: world.clock,
    services,
    storageReady: server.storageReady,
    imds: {
      base: server.imds.base,
      hostFor: (a, p, n) => server.imds.hostFor(a, p, n),
      openForNode: (a, p, n) => server.imds.openForNode(a, p, n),
    },
    storageAccountKey: (name) => server.keys.keyBase64(name),
    ensureContainer: (name, container) => server.storage.ensureContainer(name, container),
    controlUrl: server.controlOrigin,
    listeningPorts: () => server.listeningPorts(),
    stop: () => (stopping ??= server.stop()),
  };
}

function seed(
  world: World,
  services: SandboxServices,
  choice: StartSandboxOptions['seed'],
): SeedResult {
  if (typeof choice === 'function') return choice(world, services) ?? {};
  if (choice === false) return {};
  return seedWorld(world, { services });
}
