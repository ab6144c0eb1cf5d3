/**
 * BatchManagementGateway and ManagedIdentityGateway against the seeded sandbox, through the real
 * SDK clients that cloud/ builds. Values are compared with what the SDK clients read directly.
 */
import type { BatchManagementClient } from '@azure/arm-batch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatchManagementGateway, type AccountPools } from '../../source/azure/batch-management.js';
import { ManagedIdentityGateway } from '../../source/azure/managed-identity.js';
import type { RetryEvent } from '../../source/azure/retry.js';
import { sameResourceId } from '../../source/domain/resource-id.js';
import { countRequests, startFixture, type Fixture, type RequestLog } from './sandbox-fixture.js';

let fx: Fixture;
let client: BatchManagementClient;
let log: RequestLog;
let inventory: AccountPools[];
let inventoryRequests: { entries: RequestLog['entries']; peak: number };

beforeAll(async () => {
  fx = await startFixture();
  client = fx.operator.batchManagement();
  log = countRequests(client);
  inventory = await new BatchManagementGateway(client).listAccountsWithPools();
  inventoryRequests = { entries: [...log.entries], peak: log.peakInFlight };
});
afterAll(() => fx.embedded.stop());
afterEach(() => fx.embedded.sandbox.faults.clear());

const find = (name: string): AccountPools => {
  const found = inventory.find((a) => a.account.name === name);
  if (!found) throw new Error(`no account ${name}`);
  return found;
};

describe('accounts and pools', () => {
  it('lists every account the SDK lists, with its identity and autostorage', async () => {
    const direct = [];
    for await (const a of client.batchAccountOperations.list()) direct.push(a);
    expect(inventory.map((a) => a.account.name).sort()).toEqual(direct.map((a) => a.name).sort());
    for (const a of direct) {
      const mine = find(a.name ?? '').account;
      expect(mine).toMatchObject({
        id: a.id,
        location: a.location,
        accountEndpoint: a.accountEndpoint,
      });
      expect(mine.identity.type).toBe(a.identity?.type ?? 'None');
      expect(mine.autoStorage?.nodeIdentityReference?.resourceId).toBe(
        a.autoStorage?.nodeIdentityReference?.resourceId,
      );
    }
    const healthy = find('batchhealthy').account;
    expect(healthy.autoStorage).toMatchObject({
      authenticationMode: 'BatchAccountManagedIdentity',
    });
    const accountIdentity = healthy.identity.userAssignedIdentities[0];
    expect(accountIdentity?.name).toBe('id-batch-account');
    expect(accountIdentity?.principalId).toBeTruthy();
    expect(accountIdentity?.clientId).toBeTruthy();
  });

  it('made no N+1: one account listing, one pool listing per account, at most 4 at once', () => {
    const { entries, peak } = inventoryRequests;
    expect(entries.filter((e) => /\/batchAccounts$/i.test(e.what))).toHaveLength(1);
    expect(entries.filter((e) => /\/pools$/i.test(e.what))).toHaveLength(inventory.length);
    expect(entries).toHaveLength(1 + inventory.length);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });

  it('pools carry identities, packages, certificates and start-task references ($select keeps them)', async () => {
    const pools = find('batchhealthy').pools ?? [];
    const two = pools.find((p) => p.name === 'two-identities');
    expect(two?.identity.userAssignedIdentities.map((i) => i.name).sort()).toEqual([
      'id-batch-nodes',
      'id-workload',
    ]);
    expect(pools.find((p) => p.name === 'certificates')?.certificates.length).toBeGreaterThan(0);
    expect(
      pools.find((p) => p.name === 'packages-same-identity')?.applicationPackages.length,
    ).toBeGreaterThan(0);
    expect(
      pools.find((p) => p.name === 'starttask-same-identity')?.startTaskResourceFiles[0],
    ).toMatchObject({ autoStorageContainerName: 'inputs' });
    const direct = await client.poolOperations.get('rg-batch', 'batchhealthy', 'two-identities');
    expect(two).toMatchObject({
      id: direct.id,
      vmSize: direct.vmSize,
      currentDedicatedNodes: direct.currentDedicatedNodes,
    });
  });

  it('getAccount and getPool return the raw JSON for the JSON view, and the pool ETag', async () => {
    const gw = new BatchManagementGateway(client);
    const account = await gw.getAccount({ resourceGroup: 'rg-batch', name: 'batchhealthy' });
    expect(account.raw).toMatchObject({ name: 'batchhealthy' });
    expect(
      (account.raw as { properties?: { autoStorage?: unknown } }).properties?.autoStorage,
    ).toBeDefined();
    const pool = await gw.getPool({
      resourceGroup: 'rg-batch',
      accountName: 'batchhealthy',
      name: 'two-identities',
    });
    expect(pool.etag).toBeTruthy();
    expect(pool.raw).toMatchObject({ identity: { type: 'UserAssigned' } });
  });

  it('a missing pool is NotFound, naming it', async () => {
    const gw = new BatchManagementGateway(client);
    await expect(
      gw.getPool({ resourceGroup: 'rg-batch', accountName: 'batchhealthy', name: 'nope' }),
    ).rejects.toMatchObject({
      kind: 'NotFound',
      detail: { resource: 'pool nope' },
    });
  });
});

describe('retries against injected faults', () => {
  it('a 429 is retried no sooner than its Retry-After, and reported', async () => {
    const events: RetryEvent[] = [];
    const gw = new BatchManagementGateway(client, { onRetry: (e) => events.push(e) });
    fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\/batchhealthy\/pools\?/i,
      kind: 'throttle',
      retryAfterSeconds: 1,
      times: 1,
    });
    log.reset();
    const pools = await gw.listPools(find('batchhealthy').account);
    expect(pools.length).toBe(find('batchhealthy').pools?.length);
    expect(events).toMatchObject([
      { reason: 'throttled', status: 429, delayMs: 1000, fromRetryAfter: true },
    ]);
    const [first, second] = log.entries;
    expect(log.entries).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('5xx on a read is retried with backoff, each attempt sent once (SDK retries are off)', async () => {
    const events: RetryEvent[] = [];
    const gw = new BatchManagementGateway(client, {
      onRetry: (e) => events.push(e),
      retryPolicy: { baseDelayMs: 50 },
    });
    fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\?/i,
      kind: 'error',
      status: 503,
      times: 2,
    });
    log.reset();
    const accounts = await gw.listAccounts();
    expect(accounts).toHaveLength(inventory.length);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      [503, 1],
      [503, 2],
    ]);
    expect(log.entries).toHaveLength(3);
  });

  it('gives up with a domain error once attempts run out', async () => {
    const gw = new BatchManagementGateway(client, {
      retryPolicy: { baseDelayMs: 10, maxAttempts: 2 },
    });
    fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\?/i,
      kind: 'error',
      status: 500,
    });
    await expect(gw.listAccounts()).rejects.toMatchObject({ kind: 'Network', statusCode: 500 });
  });

  it('an aborted call stops at once, even while waiting out a Retry-After', async () => {
    const gw = new BatchManagementGateway(client);
    fx.embedded.sandbox.faults.add({ listener: 'arm', kind: 'throttle', retryAfterSeconds: 30 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = gw.listAccounts({ signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('writes: read-only guard and a Reader-only principal', () => {
  const ref = { resourceGroup: 'rg-batch', accountName: 'batchhealthy', name: 'two-identities' };

  it('read-only mode refuses a pool update without calling Azure', async () => {
    const gw = new BatchManagementGateway(client, { readOnly: () => true });
    log.reset();
    await expect(
      gw.updatePool(
        { ...ref, accountId: find('batchhealthy').account.id },
        { identity: { type: 'None' } },
      ),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
    await expect(
      gw.updateAccount(
        { resourceGroup: 'rg-batch', name: 'batchhealthy' },
        { identity: { type: 'None' } },
      ),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
    expect(log.entries).toHaveLength(0);
  });

  it('a Reader reads fine, and its write is Forbidden naming the action and scope', async () => {
    const gw = new BatchManagementGateway(fx.reader.batchManagement());
    const accounts = await gw.listAccounts();
    expect(accounts.length).toBe(inventory.length);
    const pool = await gw.getPool(ref);
    const error = await gw
      .updatePool(
        { ...ref, accountId: pool.accountId, ...(pool.etag ? { etag: pool.etag } : {}) },
        { identity: { type: 'None' } },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Forbidden' });
    expect((error as { detail: { action?: string } }).detail.action).toMatch(
      /^Microsoft\.Batch\/batchAccounts\/pools\/write$/i,
    );
    expect(sameResourceId((error as { detail: { scope: string } }).detail.scope, pool.id)).toBe(
      true,
    );
  });

  it('an update with a stale ETag is a Conflict; with the current one it applies', async () => {
    const gw = new BatchManagementGateway(client);
    const pool = await gw.getPool(ref);
    const ids = pool.identity.userAssignedIdentities.map((i) => i.resourceId);
    await expect(
      gw.updatePool(
        { ...ref, accountId: pool.accountId, etag: '"stale"' },
        { identity: { type: 'UserAssigned', userAssignedIdentities: ids } },
      ),
    ).rejects.toMatchObject({ kind: 'Conflict' });
    const updated = await gw.updatePool(
      { ...ref, accountId: pool.accountId, ...(pool.etag ? { etag: pool.etag } : {}) },
      { identity: { type: 'UserAssigned', userAssignedIdentities: ids } },
    );
    expect(updated.identity.userAssignedIdentities).toHaveLength(2);
  });
});

describe('ManagedIdentityGateway', () => {
  it('identities seen on accounts and pools match what ARM lists, at no extra call', async () => {
    const gw = new ManagedIdentityGateway(client, {
      armEndpoint: fx.profile.armEndpoint,
      subscriptionId: client.subscriptionId,
    });
    log.reset();
    const seen = gw.identitiesSeen(inventory);
    expect(log.entries).toHaveLength(0);
    const listed = await gw.listUserAssignedIdentities();
    expect(log.entries).toHaveLength(1);
    for (const identity of seen.filter((i) => i.principalId)) {
      const arm = listed.find((l) => sameResourceId(l.id, identity.id));
      expect(arm).toMatchObject({ principalId: identity.principalId, clientId: identity.clientId });
    }
    const nodes = seen.find((i) => i.name === 'id-batch-nodes');
    expect(new Set(nodes?.uses.map((u) => u.kind))).toEqual(
      new Set(['nodeIdentityReference', 'poolIdentity']),
    );
  });

  it('gets one identity by id, and a deleted one is NotFound', async () => {
    const gw = new ManagedIdentityGateway(client, {
      armEndpoint: fx.profile.armEndpoint,
      subscriptionId: client.subscriptionId,
    });
    const nodes = gw.identitiesSeen(inventory).find((i) => i.name === 'id-batch-nodes');
    const got = await gw.getUserAssignedIdentity(nodes?.id ?? '');
    expect(got).toMatchObject({
      name: 'id-batch-nodes',
      principalId: nodes?.principalId,
      clientId: nodes?.clientId,
    });
    await expect(
      gw.getUserAssignedIdentity(`${(nodes?.id ?? '').replace(/[^/]+$/, '')}id-gone`),
    ).rejects.toMatchObject({ kind: 'NotFound' });
  });
});
