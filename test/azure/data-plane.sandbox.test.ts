/**
 * BatchDataGateway against the seeded sandbox through the legacy @azure/batch client cloud/
 * builds: the 10,000-node pool paged to the end, $select, retries under faults, abort, logs.
 */
import type { BatchServiceClient } from '@azure/batch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatchDataGateway, NODE_PAGE_SIZE } from '../../source/azure/batch-data.js';
import { BatchManagementGateway } from '../../source/azure/batch-management.js';
import type { RetryEvent } from '../../source/azure/retry.js';
import type { BatchAccountSummary, PoolSummary } from '../../source/domain/model.js';
import { countNodeStates } from '../../source/domain/nodes.js';
import { startFixture, type Fixture } from './sandbox-fixture.js';

let fx: Fixture;
let scale: BatchAccountSummary;
let healthy: BatchAccountSummary;
let healthyPools: PoolSummary[];
let scaleClient: BatchServiceClient;

beforeAll(async () => {
  fx = await startFixture();
  const inventory = await new BatchManagementGateway(
    fx.operator.batchManagement(),
  ).listAccountsWithPools();
  const account = (name: string) => {
    const found = inventory.find((a) => a.account.name === name);
    if (!found) throw new Error(`no account ${name}`);
    return found;
  };
  scale = account('batchscale').account;
  healthy = account('batchhealthy').account;
  healthyPools = account('batchhealthy').pools ?? [];
  scaleClient = fx.operator.batchData(scale.accountEndpoint ?? '');
});
afterAll(() => fx.embedded.stop());
afterEach(() => fx.embedded.sandbox.faults.clear());

describe('nodes', () => {
  it('pages the 10,000-node pool to the end, 1000 at a time, with the selected fields only', async () => {
    const pages: number[] = [];
    const started = performance.now();
    const result = await new BatchDataGateway(scaleClient).listNodes(
      'render-farm',
      {},
      { onPage: (items) => pages.push(items.length) },
    );
    const elapsed = performance.now() - started;
    expect(result.items).toHaveLength(10_000);
    expect(result.pages).toBe(10);
    expect(pages.every((n) => n === NODE_PAGE_SIZE)).toBe(true);
    expect(new Set(result.items.map((n) => n.id)).size).toBe(10_000);
    expect(countNodeStates(result.items).total).toBe(10_000);
    const first = result.items[0];
    expect(first?.id).toMatch(/\S/);
    expect(first?.state).toBe('idle');
    expect(first?.errors).toEqual([]);
    expect(first?.stateTransitionTime).toBeInstanceOf(Date);
    // Informational: the fetch part of the Nodes screen's 250 ms refresh budget.
    console.log(`listNodes 10,000 nodes: ${elapsed.toFixed(0)} ms`);
  });

  it('a window stops fetching early', async () => {
    const result = await new BatchDataGateway(scaleClient).listNodes(
      'render-farm',
      {},
      { limit: 1500 },
    );
    expect(result).toMatchObject({ truncated: true, pages: 2 });
    expect(result.items).toHaveLength(1500);
  });

  it('matches what the SDK reads directly, node for node', async () => {
    const client = fx.operator.batchData(healthy.accountEndpoint ?? '');
    const mine = await new BatchDataGateway(client).listNodes('packages-other-identity');
    const direct = await client.computeNode.list('packages-other-identity');
    expect(mine.items.map((n) => [n.id, n.state, n.errors.map((e) => e.code)])).toEqual(
      direct.map((n) => [n.id, n.state, (n.errors ?? []).map((e) => e.code)]),
    );
    const detail = await new BatchDataGateway(client).getNode(
      'packages-other-identity',
      direct[0]?.id ?? '',
    );
    expect(detail.raw).toMatchObject({ id: direct[0]?.id });
  });

  it('a missing pool is NotFound', async () => {
    await expect(new BatchDataGateway(scaleClient).listNodes('nope')).rejects.toMatchObject({
      kind: 'NotFound',
      azureCode: 'PoolNotFound',
    });
  });
});

describe('faults', () => {
  it('a throttled page is retried after Retry-After, from that page on, reported, sent once by the SDK', async () => {
    const events: Array<RetryEvent & { at: number }> = [];
    const gw = new BatchDataGateway(scaleClient, {
      onRetry: (e) => events.push({ ...e, at: Date.now() }),
    });
    const fault = fx.embedded.sandbox.faults.add({
      listener: 'batch',
      match: /skiptoken|\$skip|nextLink|offset/i,
      kind: 'throttle',
      retryAfterSeconds: 1,
      times: 1,
    });
    void fault;
    const result = await gw.listNodes('render-farm');
    const done = Date.now();
    expect(result.items).toHaveLength(10_000);
    expect(events).toMatchObject([
      { reason: 'throttled', status: 429, delayMs: 1000, fromRetryAfter: true },
    ]);
    expect(done - (events[0]?.at ?? done)).toBeGreaterThanOrEqual(1000);
  });

  it('503s are retried with backoff; the SDK adds no silent retries of its own', async () => {
    const events: RetryEvent[] = [];
    const gw = new BatchDataGateway(scaleClient, {
      onRetry: (e) => events.push(e),
      retryPolicy: { baseDelayMs: 20 },
    });
    fx.embedded.sandbox.faults.add({ listener: 'batch', kind: 'error', status: 503, times: 2 });
    const result = await gw.listNodes('render-farm', {}, { limit: 1000 });
    expect(result.items).toHaveLength(1000);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      [503, 1],
      [503, 2],
    ]);
  });

  it('a dropped connection is retried as a network failure', async () => {
    const events: RetryEvent[] = [];
    const gw = new BatchDataGateway(scaleClient, {
      onRetry: (e) => events.push(e),
      retryPolicy: { baseDelayMs: 20 },
    });
    fx.embedded.sandbox.faults.add({ listener: 'batch', kind: 'drop', times: 1 });
    const result = await gw.listNodes('render-farm', {}, { limit: 1000 });
    expect(result.items).toHaveLength(1000);
    expect(events).toMatchObject([{ reason: 'network' }]);
  });

  it('abort ends a slow listing at once', async () => {
    fx.embedded.sandbox.faults.add({ listener: 'batch', kind: 'latency', latencyMs: 300 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = new BatchDataGateway(scaleClient).listNodes('render-farm', {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 450);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('uploadBatchServiceLogs', () => {
  const logsContainer = (): string => {
    const account = [...fx.embedded.sandbox.world.storageAccounts.values()].find(
      (s) => s.name === 'stbatchlogs',
    );
    return `${account?.blobEndpoint ?? ''}batch-logs`;
  };

  it('is refused in read-only mode without a request', async () => {
    const client = fx.operator.batchData(healthy.accountEndpoint ?? '');
    fx.embedded.sandbox.faults.add({ listener: 'batch', kind: 'latency', latencyMs: 0 });
    const gw = new BatchDataGateway(client, { readOnly: true });
    await expect(
      gw.uploadBatchServiceLogs('p', 'n', { containerUrl: logsContainer(), startTime: new Date() }),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
    expect(fx.embedded.sandbox.faults.list()[0]?.hits).toBe(0);
  });

  it('uploads with the pool identity', async () => {
    await fx.embedded.sandbox.ensureContainer('stbatchlogs', 'batch-logs');
    const pool = healthyPools.find((p) => p.name === 'packages-same-identity');
    const identity = pool?.identity.userAssignedIdentities[0]?.resourceId ?? '';
    const client = fx.operator.batchData(healthy.accountEndpoint ?? '');
    const gw = new BatchDataGateway(client);
    const nodes = await gw.listNodes('packages-same-identity');
    const result = await gw.uploadBatchServiceLogs(
      'packages-same-identity',
      nodes.items[0]?.id ?? '',
      {
        containerUrl: logsContainer(),
        startTime: new Date(Date.now() - 3_600_000),
        identityReference: { resourceId: identity },
      },
    );
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
    expect(result.virtualDirectoryName).toContain('packages-same-identity/');
  });
});
