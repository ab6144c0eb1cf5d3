/**
 * A sandbox for doctor tests: stopped clock (tests step it), clients built as cloud/ builds them,
 * the collector and the rules, and helpers that build configurations through ARM with the real
 * SDK clients (@azure/arm-batch, @azure/arm-authorization), never by touching the world.
 */
import { randomUUID } from 'node:crypto';
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { BatchManagementClient, Pool } from '@azure/arm-batch';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { createCollector, type SnapshotCollector } from '../../source/azure/collector.js';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients, type CloudClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { parseProfile, type CloudProfile } from '../../source/cloud/profile.js';
import { runDoctor } from '../../source/domain/doctor/engine.js';
import type { DoctorReport, Finding, Snapshot } from '../../source/domain/doctor/types.js';
import { BUILT_IN_ROLE_IDS } from '../../source/domain/model.js';
import {
  startSandbox,
  type RunningSandbox,
  type StartSandboxOptions,
} from '../../source/sandbox/index.js';

export const HOUR = 3_600_000;

export interface DoctorSandbox {
  sandbox: RunningSandbox;
  profile: CloudProfile;
  clients: CloudClients;
  batch: BatchManagementClient;
  authorization: AuthorizationManagementClient;
  collector: SnapshotCollector;
  /** Collects for the scope and runs the rules, on the sandbox's clock. */
  doctor(
    scope?: { account?: string; pool?: string },
    collector?: SnapshotCollector,
  ): Promise<{ snapshot: Snapshot; report: DoctorReport }>;
  stop(): Promise<void>;
}

export async function startDoctorSandbox(
  options: Pick<StartSandboxOptions, 'seed'> = {},
): Promise<DoctorSandbox> {
  const sandbox = await startSandbox({ clockSpeed: 0, ...options });
  const profile = parseProfile(sandbox.profile, 'of the sandbox');
  const trust = await trustProfileCa(profile);
  const clients = createClients(profile, createCredential(profile, trust), trust);
  const where = { armEndpoint: profile.armEndpoint };
  const collector = createCollector(clients, where);
  return {
    sandbox,
    profile,
    clients,
    batch: clients.batchManagement(),
    authorization: clients.authorization(),
    collector,
    async doctor(scope = {}, using = collector) {
      const snapshot = await using.collect(scope, { now: () => new Date(sandbox.clock.now()) });
      return { snapshot, report: runDoctor(snapshot) };
    },
    stop: () => sandbox.stop(),
  };
}

/** PUT of a user-assigned identity (no SDK package for Microsoft.ManagedIdentity here). */
export async function createIdentity(
  d: DoctorSandbox,
  resourceGroup: string,
  name: string,
): Promise<{ id: string; principalId: string; clientId: string }> {
  const id = `/subscriptions/${d.batch.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const request = createPipelineRequest({
    url: `${d.profile.armEndpoint}${id}?api-version=2023-01-31`,
    method: 'PUT',
    headers: createHttpHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({ location: 'westeurope' }),
  });
  const response = await d.batch.sendRequest(request);
  if (response.status >= 300)
    throw new Error(`identity PUT answered ${response.status}: ${response.bodyAsText ?? ''}`);
  const body = JSON.parse(response.bodyAsText ?? '{}') as {
    properties: { principalId: string; clientId: string };
  };
  return { id, ...body.properties };
}

export async function grant(
  d: DoctorSandbox,
  principalId: string,
  role: keyof typeof BUILT_IN_ROLE_IDS,
  scope: string,
): Promise<void> {
  await d.authorization.roleAssignments.create(scope, randomUUID(), {
    roleDefinitionId: `/subscriptions/${d.batch.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLE_IDS[role]}`,
    principalId,
    principalType: 'ServicePrincipal',
  });
}

export interface AccountSetup {
  resourceGroup: string;
  name: string;
  accountIdentity: string;
  storageAccountId: string;
  nodeIdentityReference?: string;
}

/** A Batch account with managed-identity autostorage and an active application package `tools/1.0`. */
export async function createAccount(d: DoctorSandbox, s: AccountSetup): Promise<string> {
  const account = await d.batch.batchAccountOperations.beginCreateAndWait(s.resourceGroup, s.name, {
    location: 'westeurope',
    identity: { type: 'UserAssigned', userAssignedIdentities: { [s.accountIdentity]: {} } },
    autoStorage: {
      storageAccountId: s.storageAccountId,
      authenticationMode: 'BatchAccountManagedIdentity',
      ...(s.nodeIdentityReference
        ? { nodeIdentityReference: { resourceId: s.nodeIdentityReference } }
        : {}),
    },
  });
  await d.batch.applicationOperations.create(s.resourceGroup, s.name, 'tools', {
    parameters: { allowUpdates: true },
  });
  await d.batch.applicationPackageOperations.create(s.resourceGroup, s.name, 'tools', '1.0');
  await d.batch.applicationPackageOperations.activate(s.resourceGroup, s.name, 'tools', '1.0', {
    format: 'zip',
  });
  return account.id ?? '';
}

export type Workload = 'packages' | 'starttask';

/** A pool of 2 dedicated nodes with one user-assigned identity, taking packages or start-task files from autostorage. */
export async function createPool(
  d: DoctorSandbox,
  resourceGroup: string,
  accountName: string,
  accountId: string,
  name: string,
  identity: string,
  workload: Workload,
): Promise<Pool> {
  return d.batch.poolOperations.create(resourceGroup, accountName, name, {
    identity: { type: 'UserAssigned', userAssignedIdentities: { [identity]: {} } },
    vmSize: 'STANDARD_D2S_V3',
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: {
          publisher: 'canonical',
          offer: '0001-com-ubuntu-server-jammy',
          sku: '22_04-lts',
          version: 'latest',
        },
        nodeAgentSkuId: 'batch.node.ubuntu 22.04',
      },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 2, targetLowPriorityNodes: 0 } },
    ...(workload === 'packages'
      ? { applicationPackages: [{ id: `${accountId}/applications/tools`, version: '1.0' }] }
      : {
          startTask: {
            commandLine: '/bin/sh -c "cat input/settings.json"',
            resourceFiles: [{ autoStorageContainerName: 'inputs', filePath: 'input' }],
            waitForSuccess: true,
          },
        }),
  });
}

/** Findings about a resource (case-insensitive id), as [rule, severity]. */
export const findingsOf = (report: DoctorReport, resource: string): Array<[string, string]> =>
  report.findings
    .filter((f) => f.resource.toLowerCase() === resource.toLowerCase())
    .map((f: Finding) => [f.rule, f.severity]);

export const errorsOf = (report: DoctorReport, resource: string): string[] =>
  findingsOf(report, resource)
    .filter(([, s]) => s === 'error' || s === 'critical')
    .map(([r]) => r);
