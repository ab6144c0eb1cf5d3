/**
 * The seeded world's logs set-up and storage firewall, through the real SDK clients
 * (@azure/storage-blob, @azure/batch, @azure/arm-batch, @azure/arm-authorization):
 * - the operator holds Storage Blob Data Contributor on the autostorage accounts, and every node
 *   identity may write to their `batch-logs` container, so uploadbatchservicelogs into the
 *   default container works out of the box (the identity "must have write access to the
 *   container");
 * - those write roles are on `batch-logs` only: the rows about what a node identity may READ on
 *   autostorage (A2, B2) still fail, through IMDS tokens and storage answers;
 * - the firewall applies to every caller: the operator (127.0.0.1, not listed) is refused on the
 *   firewalled account whatever its roles and let through on the others; a node is judged by its
 *   pool's subnet; the Batch service by `bypass`;
 * - the agent-debug.log of a node behind the firewall says AuthorizationFailure, what storage said.
 */
import { BlobServiceClient, BlockBlobClient, RestError, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { ArmBuilder } from './arm-builder.js';
import { batchClient, credential, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;
let b: ArmBuilder;
const HOUR = 3_600_000;
const RG = 'rg-batch';

const storage = (name: string) => [...sandbox.world.storageAccounts.values()].find((s) => s.name === name)!;
const identity = (name: string) => [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === name)!;

const operatorContainer = (storageName: string, container: string): ContainerClient =>
  new BlobServiceClient(storage(storageName).blobEndpoint, credential(sandbox), { retryOptions: { maxTries: 1 } }).getContainerClient(container);

const tokenContainer = (storageName: string, container: string, token: string): ContainerClient =>
  new BlobServiceClient(storage(storageName).blobEndpoint, { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + HOUR }) }, { retryOptions: { maxTries: 1 } }).getContainerClient(container);

async function outcome(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof RestError) return `${error.statusCode ?? 0} ${error.code ?? ''}`;
    throw error;
  }
}

async function names(container: ContainerClient, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const blob of container.listBlobsFlat(prefix ? { prefix } : {})) out.push(prefix ? blob.name.slice(prefix.length) : blob.name);
  return out.sort();
}

async function firstNode(account: string, pool: string) {
  const [node] = await batchClient(sandbox, b.accountEndpoint(account)).computeNode.list(pool);
  if (!node?.id) throw new Error(`no node in ${account}/${pool}`);
  return node;
}

/** Asks the pool's first node to upload its service logs with `identityName`; returns the virtual directory. */
async function uploadLogs(account: string, pool: string, identityName: string, storageName: string, container: string): Promise<string> {
  const node = await firstNode(account, pool);
  const result = await batchClient(sandbox, b.accountEndpoint(account)).computeNode.uploadBatchServiceLogs(pool, node.id ?? '', {
    containerUrl: `${storage(storageName).blobEndpoint}${container}`,
    startTime: new Date(sandbox.clock.now() - 2 * HOUR),
    identityReference: { resourceId: identity(identityName).id },
  });
  return result.virtualDirectoryName;
}

/** A storage token for a pool identity, from the node's own IMDS, as a task on the node would get it. */
async function imdsToken(account: string, pool: string, identityName: string): Promise<string> {
  const node = await firstNode(account, pool);
  const query = `api-version=2018-02-01&resource=${encodeURIComponent('https://storage.azure.com/')}&mi_res_id=${encodeURIComponent(identity(identityName).id)}`;
  const response = await fetch(`${sandbox.imds.hostFor(account, pool, node.id ?? '')}/metadata/identity/oauth2/token?${query}`, { headers: { Metadata: 'true' } });
  expect(response.status).toBe(200);
  return String(((await response.json()) as { access_token: unknown }).access_token);
}

beforeAll(async () => {
  sandbox = await startSeeded();
  await sandbox.storageReady;
  sandbox.clock.advance(HOUR);
  b = await ArmBuilder.create(sandbox);
  // To read back what nodes upload to the logs account (no seeded role there).
  await b.grant(b.operatorObjectId, ROLE.storageBlobDataReader, b.storageId('stbatchlogs'));
  await sandbox.ensureContainer('stbatchlogs', 'node-logs');
}, 60_000);
afterAll(async () => sandbox?.stop());

describe('logs in autostorage, out of the box', () => {
  it('the operator creates and lists the batch-logs container of autostorage; the logs account answers by role, not by firewall', async () => {
    const logs = operatorContainer('stbatchauto', 'batch-logs');
    expect(await logs.createIfNotExists()).toMatchObject({ succeeded: true });
    expect(await names(logs)).toEqual([]);
    // No firewall on stbatchlogs: the operator is refused for want of a write role, nothing else.
    const write = operatorContainer('stbatchlogs', 'node-logs').getBlockBlobClient('x.log').upload('x', 1);
    expect(await outcome(write)).toBe('403 AuthorizationPermissionMismatch');
  });

  it.each([
    ['A1', 'batchhealthy', 'packages-same-identity', 'id-batch-nodes'],
    ['A2', 'batchnorole', 'packages-no-role', 'id-batch-nodes-norole'],
    ['B2', 'batchnorole', 'starttask-no-role', 'id-batch-nodes-norole'],
    ['A3', 'batchnoref', 'packages-no-reference', 'id-batch-nodes'],
    ['A4', 'batchhealthy', 'packages-other-identity', 'id-workload'],
    ['MI009', 'batchidreference', 'resourcefile-other-identity', 'id-batch-nodes'],
  ])('%s (%s/%s): the node uploads its logs to batch-logs with %s', async (_row, account, pool, identityName) => {
    const logs = operatorContainer('stbatchauto', 'batch-logs');
    await logs.createIfNotExists();
    const directory = await uploadLogs(account, pool, identityName, 'stbatchauto', 'batch-logs');
    expect(await names(logs, directory)).toEqual(['agent-debug.log', 'agent.log', 'controller.log', 'watchdog.log']);
  });
});

describe('the write role on batch-logs changes nothing the behaviour tables are about', () => {
  it('A2: nodes idle without packages; the reference identity still may not read the package container', async () => {
    const node = await firstNode('batchnorole', 'packages-no-role');
    expect(node.state).toBe('idle');
    const token = await imdsToken('batchnorole', 'packages-no-role', 'id-batch-nodes-norole');
    const application = [...sandbox.world.applications.values()].find((a) => a.id.toLowerCase().includes('/batchaccounts/batchnorole/'));
    const record = application?.packages.get('1.0');
    expect(record).toBeDefined();
    const read = tokenContainer('stbatchauto', record?.container ?? '', token).getBlobClient(record?.blobName ?? '').download();
    expect(await outcome(read)).toBe('403 AuthorizationPermissionMismatch');
    expect(await outcome(tokenContainer('stbatchauto', 'batch-logs', token).getBlockBlobClient('probe.log').upload('x', 1))).toBe(200);
  });

  it('B2: the start task fails ResourceContainerAccessDenied; the identity still may not list inputs', async () => {
    const node = await firstNode('batchnorole', 'starttask-no-role');
    expect(node.state).toBe('starttaskfailed');
    expect(node.startTaskInfo?.failureInfo?.code).toBe('ResourceContainerAccessDenied');
    const token = await imdsToken('batchnorole', 'starttask-no-role', 'id-batch-nodes-norole');
    expect(await outcome(names(tokenContainer('stbatchauto', 'inputs', token)))).toBe('403 AuthorizationPermissionMismatch');
    expect(await outcome(names(tokenContainer('stbatchauto', 'batch-logs', token)))).toBe(200);
  });
});

describe('the storage firewall, for every caller', () => {
  it('refuses the operator on the firewalled account whatever its roles, with AuthorizationFailure', async () => {
    expect(await outcome(names(operatorContainer('stbatchfirewall', 'batch-logs')))).toBe('403 AuthorizationFailure');
    // A token check from the operator's machine meets the same refusal, for a node identity with a role there.
    const token = b.sandbox.services.tokens.issue({ principalObjectId: identity('id-batch-nodes').principalId, aud: 'https://storage.azure.com/' }).token;
    expect(await outcome(names(tokenContainer('stbatchfirewall', 'inputs', token)))).toBe('403 AuthorizationFailure');
  });

  it('judges nodes by their pool\'s subnet: the allowed subnet\'s logs arrive, the other\'s do not', async () => {
    await sandbox.ensureContainer('stbatchfirewall', 'batch-logs');
    const allowed = await uploadLogs('batchfirewall', 'subnet-allowed', 'id-batch-nodes', 'stbatchfirewall', 'batch-logs');
    const blocked = await uploadLogs('batchfirewall', 'subnet-not-allowed', 'id-batch-nodes', 'stbatchfirewall', 'batch-logs');
    // The operator adds its own address to the firewall to look (as the portal's "Add your client IP address" does).
    const rules = storage('stbatchfirewall').networkRuleSet;
    rules.ipRules = [{ value: '127.0.0.1', action: 'Allow' }];
    try {
      const logs = operatorContainer('stbatchfirewall', 'batch-logs');
      expect(await names(logs, allowed)).toHaveLength(4);
      expect(await names(logs, blocked)).toEqual([]);
    } finally {
      rules.ipRules = [];
    }
  });

  it('the agent-debug.log of a node behind the firewall says what storage said: 403 AuthorizationFailure', async () => {
    const node = await firstNode('batchfirewall', 'subnet-not-allowed');
    expect(node.startTaskInfo?.failureInfo?.code).toBe('ResourceContainerAccessDenied');
    const directory = await uploadLogs('batchfirewall', 'subnet-not-allowed', 'id-batch-nodes', 'stbatchlogs', 'node-logs');
    const log = (await operatorContainer('stbatchlogs', 'node-logs').getBlobClient(`${directory}agent-debug.log`).downloadToBuffer()).toString('utf8');
    expect(log).toContain('start task resource file download failed: HTTP 403 AuthorizationFailure This request is not authorized to perform this operation.');
    expect(log).not.toContain('AuthorizationPermissionMismatch');
    // B2, for contrast: no data role, so storage said AuthorizationPermissionMismatch.
    const b2 = await uploadLogs('batchnorole', 'starttask-no-role', 'id-batch-nodes-norole', 'stbatchlogs', 'node-logs');
    const b2Log = (await operatorContainer('stbatchlogs', 'node-logs').getBlobClient(`${b2}agent-debug.log`).downloadToBuffer()).toString('utf8');
    expect(b2Log).toContain('start task resource file download failed: HTTP 403 AuthorizationPermissionMismatch This request is not authorized to perform this operation using this permission.');
  });

  it('lets the Batch service write packages into firewalled autostorage through bypass AzureServices, and the operator\'s own upload is refused', async () => {
    const created = await b.clients.batch.applicationPackageOperations.create(RG, 'batchfirewall', 'tools', '1.0');
    expect(created.state).toBe('Pending');
    const upload = new BlockBlobClient(created.storageUrl ?? '', credential(sandbox), { retryOptions: { maxTries: 1 } }).upload('PK', 2);
    expect(await outcome(upload)).toBe('403 AuthorizationFailure');
    const rules = storage('stbatchfirewall').networkRuleSet;
    rules.bypass = 'None';
    try {
      await expect(b.clients.batch.applicationPackageOperations.create(RG, 'batchfirewall', 'tools', '2.0')).rejects.toMatchObject({ statusCode: 409, code: 'AutoStorageNoPermission' });
    } finally {
      rules.bypass = 'AzureServices';
    }
  });
});

describe('the seeded MI001 account', () => {
  it('cannot have packages: the service has no identity to reach autostorage with', async () => {
    await expect(b.clients.batch.applicationPackageOperations.create(RG, 'batchnoaccountidentity', 'tools', '1.0')).rejects.toMatchObject({ statusCode: 409, code: 'AutoStorageNoPermission' });
  });
});
