/**
 * uploadbatchservicelogs end to end, as an operator does it when a node misbehaves: @azure/batch
 * asks the node to upload its service logs with a pool identity, then @azure/storage-blob reads
 * them back (the operator holding a data role). The agent-debug.log says what the node went
 * through: packages downloaded (A1), `pool not fully joined yet, health=Status.TvmJoinPoolInProgress`
 * over and over (A3), the package error (A4). An identity without a write role gets nothing
 * written, and the container stays empty, as on Azure.
 */
import { randomUUID } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { guidFrom } from '../../../source/sandbox/world/ids.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { armClients, batchClient, credential, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;

const account = (name: string) => [...sandbox.world.batchAccounts.values()].find((a) => a.name === name);
const storage = (name: string) => [...sandbox.world.storageAccounts.values()].find((s) => s.name === name);
const identityId = (name: string) => [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === name)?.id ?? '';

/** The operator's view of a container (it holds Storage Blob Data Contributor on the account). */
function containerAs(storageName: string, container: string): ContainerClient {
  return new BlobServiceClient(storage(storageName)?.blobEndpoint ?? '', credential(sandbox), { retryOptions: { maxTries: 1 } }).getContainerClient(container);
}

beforeAll(async () => {
  sandbox = await startSeeded();
  await sandbox.storageReady;
  sandbox.clock.advance(60 * 60_000);
  const { authorization } = armClients(sandbox);
  const operator = guidFrom(`principal:${SEED.operator.clientId}`);
  // The seed gives the operator Storage Blob Data Contributor on autostorage already (for logs).
  for (const name of ['stbatchlogs']) {
    await authorization.roleAssignments.create(storage(name)?.id ?? '', randomUUID(), {
      roleDefinitionId: `/subscriptions/${sandbox.profile.subscriptionId ?? ''}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.storageBlobDataContributor}`,
      principalId: operator,
      principalType: 'ServicePrincipal',
    });
  }
  await containerAs('stbatchlogs', 'node-logs').create();
  await containerAs('stbatchauto', 'node-logs').create();
});
afterAll(async () => sandbox?.stop());

/** Asks the first node of a pool to upload its logs; returns the result and the agent-debug.log read back. */
async function uploadAndRead(accountName: string, pool: string, identity: string, storageName = 'stbatchlogs') {
  const client = batchClient(sandbox, account(accountName)?.accountEndpoint ?? '');
  const [node] = await client.computeNode.list(pool);
  const result = await client.computeNode.uploadBatchServiceLogs(pool, node?.id ?? '', {
    containerUrl: `${storage(storageName)?.blobEndpoint ?? ''}node-logs`,
    startTime: new Date(sandbox.clock.now() - 2 * 60 * 60_000),
    identityReference: { resourceId: identityId(identity) },
  });
  const container = containerAs(storageName, 'node-logs');
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: result.virtualDirectoryName })) names.push(blob.name.slice(result.virtualDirectoryName.length));
  const log = names.includes('agent-debug.log') ? (await container.getBlobClient(`${result.virtualDirectoryName}agent-debug.log`).downloadToBuffer()).toString('utf8') : '';
  return { node, result, names, log };
}

describe('uploadbatchservicelogs through @azure/batch, read back with @azure/storage-blob', () => {
  it('a healthy node (A1): its log shows the packages downloaded and the pool joined', async () => {
    const { node, result, names, log } = await uploadAndRead('batchhealthy', 'packages-same-identity', 'id-batch-nodes');
    expect(node?.state).toBe('idle');
    expect(result.virtualDirectoryName).toMatch(new RegExp(`^packages-same-identity/${node?.id ?? ''}/[0-9a-f-]{36}/$`));
    expect(result.numberOfFilesUploaded).toBe(names.length);
    expect(names.sort()).toEqual(['agent-debug.log', 'agent.log', 'controller.log', 'watchdog.log']);
    expect(log).toMatch(/application package \S+\/applications\/tools downloaded/);
    expect(log).toContain('joined pool');
    expect(log).not.toContain('TvmJoinPoolInProgress');
  });

  it('a node stuck in starting (A3): the join line repeats', async () => {
    const { node, log } = await uploadAndRead('batchnoref', 'packages-no-reference', 'id-batch-nodes');
    expect(node?.state).toBe('starting');
    expect(log).toContain('nodeIdentityReference=null');
    const joins = log.split('\n').filter((l) => l.endsWith('pool not fully joined yet, health=Status.TvmJoinPoolInProgress'));
    expect(joins.length).toBeGreaterThan(10);
    expect(log).not.toContain('joined pool\n');
  });

  it('an unusable node (A4): the package error and why', async () => {
    const { node, log } = await uploadAndRead('batchhealthy', 'packages-other-identity', 'id-workload');
    expect(node?.state).toBe('unusable');
    expect(node?.errors?.[0]?.code).toBe('ApplicationPackageError');
    expect(log).toContain('ApplicationPackageError: One or more application packages specified for the pool are invalid');
    expect(log).toMatch(/IMDS answered 400 Bad Request for identity \S+id-batch-nodes \(not assigned to this VM\)/);
  });

  it('an identity without a write role: the call succeeds, the container stays empty', async () => {
    // id-batch-nodes holds Storage Blob Data Reader on the autostorage account, and its write
    // role there is on the batch-logs container only: node-logs is another container.
    const { result, names } = await uploadAndRead('batchhealthy', 'packages-same-identity', 'id-batch-nodes', 'stbatchauto');
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
    expect(names).toEqual([]);
    const all: string[] = [];
    for await (const blob of containerAs('stbatchauto', 'node-logs').listBlobsFlat()) all.push(blob.name);
    expect(all).toEqual([]);
  });

  it('refuses an identity the node does not have', async () => {
    await expect(uploadAndRead('batchhealthy', 'packages-same-identity', 'id-workload')).rejects.toMatchObject({ statusCode: 400, code: 'InvalidPropertyValue' });
  });
});
