/**
 * The seeded sandbox for the flow tests, with a stopped clock that the runner itself moves
 * forward when it waits (its `sleep` advances simulated time), clients built exactly as cloud/
 * builds them for the Owner operator and for the Reader-only one, and a request log on every ARM
 * client (a pipeline policy: instrumentation only, the SDKs run unchanged).
 */
import { createCollector, type SnapshotCollector } from '../../source/azure/collector.js';
import { BatchDataGateway } from '../../source/azure/batch-data.js';
import { callerFromCredential } from '../../source/azure/flows/caller.js';
import { FlowRunner } from '../../source/azure/flows/runner.js';
import type { FlowRunnerOptions } from '../../source/azure/flows/types.js';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients, type CloudClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { parseProfile, type CloudProfile } from '../../source/cloud/profile.js';
import type { NodeRow } from '../../source/domain/model.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/index.js';
import type { ComputeNode } from '../../source/sandbox/world/model.js';
import { SEED } from '../../source/sandbox/world/seed.js';
import { countRequests, type RequestLog } from './sandbox-fixture.js';

export const MINUTE = 60_000;

export interface Principal {
  clients: CloudClients;
  collector: SnapshotCollector;
  /** ARM requests of this principal's clients (management and authorization). */
  log: RequestLog;
  runner(options?: Partial<FlowRunnerOptions>): Promise<FlowRunner>;
}

export interface FlowSandbox {
  sandbox: RunningSandbox;
  profile: CloudProfile;
  operator: Principal;
  reader: Principal;
  subscriptionId: string;
  accountId(name: string): string;
  poolId(account: string, pool: string): string;
  identityId(name: string): string;
  storageId(name: string): string;
  /** The pool's nodes through the Batch data plane (real SDK). */
  nodes(account: string, pool: string): Promise<NodeRow[]>;
  /** The sandbox's own record of a node (what the API cannot show: packages downloaded). */
  worldNodes(account: string, pool: string): ComputeNode[];
  advance(ms: number): void;
  stop(): Promise<void>;
}

/** Writes among logged requests (anything but GET). */
export const writes = (log: RequestLog): string[] =>
  log.entries.map((e) => e.what).filter((w) => !w.startsWith('GET '));

export async function startFlowSandbox(): Promise<FlowSandbox> {
  const sandbox = await startSandbox({ clockSpeed: 0 });
  const profile = parseProfile(sandbox.profile, 'of the sandbox');
  const trust = await trustProfileCa(profile);
  const subscriptionId = profile.subscriptionId ?? '';
  const now = () => new Date(sandbox.clock.now());
  const sleep = (ms: number) => {
    sandbox.clock.advance(ms);
    return Promise.resolve();
  };

  const principal = (who: { clientId: string; clientSecret: string }): Principal => {
    const p = { ...profile, clientId: who.clientId, clientSecret: who.clientSecret };
    const credential = createCredential(p, trust);
    const clients = createClients(p, credential, trust);
    const log = countRequests(clients.batchManagement());
    const authLog = countRequests(clients.authorization());
    // One log for both ARM clients: entries land in the same list.
    authLog.entries = log.entries;
    const collector = createCollector(clients, { armEndpoint: profile.armEndpoint });
    return {
      clients,
      collector,
      log,
      async runner(options = {}) {
        return new FlowRunner({
          collector,
          caller: await callerFromCredential(credential, profile.armScope),
          now,
          sleep,
          resize: { pollMs: 15_000 },
          ...options,
        });
      },
    };
  };
  const operator = principal(SEED.operator);
  const reader = principal(SEED.reader);
  const rg = (name: string) => `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
  const accountId = (name: string) =>
    `${rg('rg-batch')}/providers/Microsoft.Batch/batchAccounts/${name}`;
  const endpointOf = (account: string) =>
    sandbox.world.batchAccounts.get(accountId(account).toLowerCase())?.accountEndpoint ?? '';
  return {
    sandbox,
    profile,
    operator,
    reader,
    subscriptionId,
    accountId,
    poolId: (account, pool) => `${accountId(account)}/pools/${pool}`,
    identityId: (name) =>
      `${rg('rg-identity')}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
    storageId: (name) => `${rg('rg-batch')}/providers/Microsoft.Storage/storageAccounts/${name}`,
    async nodes(account, pool) {
      const data = new BatchDataGateway(operator.clients.batchData(endpointOf(account)));
      return (await data.listNodes(pool)).items;
    },
    worldNodes(account, pool) {
      const id = `${accountId(account)}/pools/${pool}`.toLowerCase();
      return [...(sandbox.world.nodes.get(id)?.values() ?? [])];
    },
    advance: (ms) => sandbox.clock.advance(ms),
    stop: () => sandbox.stop(),
  };
}
