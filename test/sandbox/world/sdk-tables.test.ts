/**
 * Azure's behaviour tables (RULES.md §1, A and B), each row built through ARM with the real
 * clients as an operator would (identities, roles, accounts with managed-identity autostorage,
 * an uploaded and activated package, pools), then observed after simulated time as the documents
 * observe it: node state and errors (@azure/batch), the node's IMDS answer for the reference
 * identity, what storage answers that identity's token (200 or 403 AuthorizationPermissionMismatch),
 * and the agent-debug.log the node uploads.
 */
import { BlobClient, BlobServiceClient, RestError } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { ArmBuilder, type BuiltIdentity } from './arm-builder.js';
import { batchClient, credential, startSeeded } from './sdk-helpers.js';

let sandbox: RunningSandbox;
let b: ArmBuilder;
const ids: Record<'ref' | 'noRole' | 'other', BuiltIdentity> = {} as never;
const packageUrl: Record<string, string> = {};
let inputUrl = '';

beforeAll(async () => {
  sandbox = await startSeeded();
  await sandbox.storageReady;
  b = await ArmBuilder.create(sandbox);
  const auto = b.storageId('stbatchauto');
  const [ref, noRole, other, accountIdentity] = await Promise.all(['tbl-ref', 'tbl-norole', 'tbl-other', 'tbl-account'].map((n) => b.identity(n)));
  Object.assign(ids, { ref, noRole, other });
  await b.grant(accountIdentity?.principalId ?? '', ROLE.storageBlobDataContributor, auto); // MI002: the service uploads packages
  await b.grant(ref?.principalId ?? '', ROLE.storageBlobDataReader, auto); // "sufficient permissions"
  // The seed already gives the operator Storage Blob Data Contributor on autostorage (for logs).
  await b.grant(b.operatorObjectId, ROLE.storageBlobDataContributor, b.storageId('stbatchlogs'));
  for (const id of [ref, noRole, other]) await b.grant(id?.principalId ?? '', ROLE.storageBlobDataContributor, b.storageId('stbatchlogs'));
  const common = { accountIdentity: accountIdentity as BuiltIdentity, storage: 'stbatchauto' };
  await b.account('tblref', { ...common, nodeIdentityReference: ids.ref });
  await b.account('tblnorole', { ...common, nodeIdentityReference: ids.noRole });
  await b.account('tblnoref', common);
  for (const account of ['tblref', 'tblnorole', 'tblnoref']) packageUrl[account] = await b.publishPackage(account, 'tools', '1.0');

  const operatorBlobs = (storage: string) => new BlobServiceClient(b.blobEndpoint(storage), credential(sandbox), { retryOptions: { maxTries: 1 } });
  const inputs = operatorBlobs('stbatchauto').getContainerClient('inputs');
  await inputs.createIfNotExists();
  await inputs.getBlockBlobClient('settings.json').upload('{}', 2);
  inputUrl = inputs.getBlobClient('settings.json').url;
  await operatorBlobs('stbatchlogs').getContainerClient('tbl-logs').createIfNotExists();

  const packages = (account: string) => ({ applicationPackages: [{ id: b.applicationId(account, 'tools'), version: '1.0' }] });
  const startTask = { startTask: { commandLine: 'cat input/settings.json', resourceFiles: [{ autoStorageContainerName: 'inputs', filePath: 'input' }], waitForSuccess: true } };
  for (const row of ROWS) await b.pool(row.account, row.pool, ids[row.poolIdentity], row.pool.startsWith('a') ? packages(row.account) : startTask);
  sandbox.clock.advance(60 * 60_000);
});
afterAll(async () => sandbox?.stop());

interface Row {
  row: string;
  account: string;
  pool: string;
  poolIdentity: keyof typeof ids;
  /** The identity nodes use for autostorage (the reference), or the pool's when there is none. */
  asks: keyof typeof ids;
  state: string;
  error?: string;
  imds: number;
  storage?: 200 | 403;
  log: RegExp;
}

const ROWS: Row[] = [
  { row: 'A1', account: 'tblref', pool: 'a1', poolIdentity: 'ref', asks: 'ref', state: 'idle', imds: 200, storage: 200, log: /application package \S+\/tools downloaded/ },
  { row: 'A2', account: 'tblnorole', pool: 'a2', poolIdentity: 'noRole', asks: 'noRole', state: 'idle', imds: 200, storage: 403, log: /tools download failed: HTTP 403 AuthorizationPermissionMismatch/ },
  { row: 'A3', account: 'tblnoref', pool: 'a3', poolIdentity: 'ref', asks: 'ref', state: 'starting', imds: 200, storage: 200, log: /pool not fully joined yet, health=Status\.TvmJoinPoolInProgress/ },
  { row: 'A4', account: 'tblref', pool: 'a4', poolIdentity: 'other', asks: 'ref', state: 'unusable', error: 'ApplicationPackageError', imds: 400, log: /ApplicationPackageError: One or more application packages specified for the pool are invalid/ },
  { row: 'B1', account: 'tblref', pool: 'b1', poolIdentity: 'ref', asks: 'ref', state: 'idle', imds: 200, storage: 200, log: /start task completed, exit code 0/ },
  { row: 'B2', account: 'tblnorole', pool: 'b2', poolIdentity: 'noRole', asks: 'noRole', state: 'starttaskfailed', error: 'ResourceContainerAccessDenied', imds: 200, storage: 403, log: /code=ResourceContainerAccessDenied/ },
  { row: 'B3', account: 'tblnoref', pool: 'b3', poolIdentity: 'ref', asks: 'ref', state: 'starttaskfailed', error: 'ResourceContainerAccessDenied', imds: 200, storage: 200, log: /code=ResourceContainerAccessDenied/ },
  { row: 'B4', account: 'tblref', pool: 'b4', poolIdentity: 'other', asks: 'ref', state: 'starttaskfailed', error: 'ResourceContainerListMiscError', imds: 400, log: /code=ResourceContainerListMiscError/ },
];

async function imdsToken(row: Row, nodeId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const query = `api-version=2018-02-01&resource=${encodeURIComponent('https://storage.azure.com/')}&mi_res_id=${encodeURIComponent(ids[row.asks].id)}`;
  const response = await fetch(`${sandbox.imds.hostFor(row.account, row.pool, nodeId)}/metadata/identity/oauth2/token?${query}`, { headers: { Metadata: 'true' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function storageStatus(url: string, token: string): Promise<number> {
  const client = new BlobClient(url, { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, { retryOptions: { maxTries: 1 } });
  try {
    return (await client.download())._response.status;
  } catch (error) {
    if (error instanceof RestError && error.code === 'AuthorizationPermissionMismatch') return error.statusCode ?? 0;
    throw error;
  }
}

async function agentDebugLog(row: Row, nodeId: string): Promise<string> {
  const client = batchClient(sandbox, b.accountEndpoint(row.account));
  const { virtualDirectoryName } = await client.computeNode.uploadBatchServiceLogs(row.pool, nodeId, {
    containerUrl: `${b.blobEndpoint('stbatchlogs')}tbl-logs`,
    startTime: new Date(sandbox.clock.now() - 2 * 3_600_000),
    identityReference: { resourceId: ids[row.poolIdentity].id },
  });
  const blob = new BlobServiceClient(b.blobEndpoint('stbatchlogs'), credential(sandbox)).getContainerClient('tbl-logs').getBlobClient(`${virtualDirectoryName}agent-debug.log`);
  return (await blob.downloadToBuffer()).toString('utf8');
}

describe('behaviour tables, built through ARM and observed through the SDKs', () => {
  it.each(ROWS)('$row: $state $error', async (row) => {
    const [node] = await batchClient(sandbox, b.accountEndpoint(row.account)).computeNode.list(row.pool);
    expect(node?.state).toBe(row.state);
    const code = row.row.startsWith('A') ? node?.errors?.[0]?.code : node?.startTaskInfo?.failureInfo?.code;
    expect(code).toBe(row.error);
    if (row.error === 'ApplicationPackageError') expect(node?.errors?.[0]?.message).toBe('One or more application packages specified for the pool are invalid');
    if (row.error === 'ResourceContainerAccessDenied') expect(node?.startTaskInfo?.failureInfo?.message).toBe('Access for one of the specified Azure Blob container(s) is denied');

    const imds = await imdsToken(row, node?.id ?? '');
    expect(imds.status).toBe(row.imds);
    if (row.imds === 200) {
      expect(imds.body.client_id).toBe(ids[row.asks].clientId);
      const url = row.row.startsWith('A') ? packageUrl[row.account] ?? '' : inputUrl;
      expect(await storageStatus(url, String(imds.body.access_token))).toBe(row.storage);
    }
    expect(await agentDebugLog(row, node?.id ?? '')).toMatch(row.log);
  });
});
