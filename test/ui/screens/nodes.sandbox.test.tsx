/**
 * The live Nodes screen on the seeded sandbox: the 10,000-node pool's counts as the data-plane
 * client counts them, windowed rows, transitions made in the sandbox (a resize through ARM, the
 * clock advanced) in the log, errored nodes with their messages.
 */
import type { BatchServiceModels } from '@azure/batch';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { count, openOnSandbox } from './sandbox-app.js';

let fx: Fixture;
const small = { columns: 80, rows: 24 };

beforeAll(async () => {
  fx = await startFixture();
});
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

async function endpointOf(account: string): Promise<string> {
  const a = await fx.operator.batchManagement().batchAccountOperations.get(rgOf(account), account);
  return a.accountEndpoint ?? '';
}
const rgOf = (account: string) => (account === 'batchscale' ? 'rg-scale' : 'rg-batch');

async function listNodes(account: string, pool: string): Promise<BatchServiceModels.ComputeNode[]> {
  const client = fx.operator.batchData(await endpointOf(account));
  const nodes: BatchServiceModels.ComputeNode[] = [];
  let page = await client.computeNode.list(pool);
  for (;;) {
    nodes.push(...page);
    if (!page.odatanextLink) return nodes;
    page = await client.computeNode.listNext(page.odatanextLink);
  }
}

/** Accounts → account → its pool list → Pools on `pool` → Nodes, by keys as an operator would. */
async function openNodes(account: string, pool: string, size = small) {
  const app = await openOnSandbox(fx, size, { initialAccount: account });
  await app.until((text) => expect(text).toContain(`› ${account}`));
  app.press(keys.enter);
  await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
  app.press(`/${pool}\r`);
  await app.until((text) => expect(text).toContain(`› ${pool}`));
  app.press(keys.enter);
  await app.until((text) => {
    expect(text.split('\n')[1]).toMatch(/Pools of/);
    expect(text).toMatch(new RegExp(`› ${pool.slice(0, 12)}`));
  });
  app.press(keys.enter);
  await app.until((text) => expect(text.split('\n')[1]).toContain(`Nodes of ${pool}`));
  return app;
}

const nodeRows = (text: string) => text.split('\n').filter((l) => /^[› ] tvmps_/.test(l));

describe('Nodes', () => {
  it('shows the 10,000-node pool: counts as the SDK counts them, only the rows that fit', async () => {
    const direct = await listNodes('batchscale', 'render-farm');
    expect(direct).toHaveLength(10_000);
    const idle = direct.filter((n) => n.state === 'idle').length;
    const app = await openNodes('batchscale', 'render-farm');
    await app.until((text) =>
      expect(text).toContain(`${count(10_000)} nodes: idle ${count(idle)}`),
    );
    expectFits(app.frame(), small);
    const rows = nodeRows(app.frame());
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(24);
    // Service order: the first node listed is the first row, selected.
    expect(rows[0]).toMatch(new RegExp(`^› ${(direct[0]?.id ?? '?').slice(0, 12)}`));
    const started = performance.now();
    app.press('G');
    await app.until((text) => expect(nodeRows(text).at(-1)).toMatch(/^› /));
    console.log(
      `nodes screen, 10,000 nodes: G → frame in ${(performance.now() - started).toFixed(0)} ms`,
    );
    const lastId = direct.at(-1)?.id ?? '';
    expect(nodeRows(app.frame()).at(-1)).toContain(lastId.slice(-4));
    expect(nodeRows(app.frame()).at(-1)).toContain(direct.at(-1)?.ipAddress ?? '');
    expectFits(app.frame(), small);
  });

  it('logs the transitions of nodes added by a resize through ARM as the clock moves', async () => {
    const app = await openNodes('batchhealthy', 'two-identities', { columns: 100, rows: 30 });
    await app.until((text) => expect(text).toContain('2 nodes: idle 2'));
    expect(app.frame()).toContain('none yet');
    await fx.operator
      .batchManagement()
      .poolOperations.update('rg-batch', 'batchhealthy', 'two-identities', {
        scaleSettings: { fixedScale: { targetDedicatedNodes: 3, targetLowPriorityNodes: 0 } },
      });
    await app.until((text) =>
      expect(text).toMatch(/tvmps_\S+ \(joined\) → creating \d\d:\d\d:\d\d/),
    );
    expect(app.frame()).toContain('3 nodes: creating 1 · idle 2');
    const added = (await listNodes('batchhealthy', 'two-identities')).find(
      (n) => n.state === 'creating',
    );
    expect(app.frame()).toContain((added?.id ?? '?').slice(0, 10));
    fx.embedded.sandbox.clock.advance(60_000);
    await app.until((text) => expect(text).toMatch(/creating → starting/));
    fx.embedded.sandbox.clock.advance(90_000);
    await app.until((text) => expect(text).toMatch(/starting → idle/));
    expect(app.frame()).toContain('3 nodes: idle 3');
    expect(app.frame()).toMatch(/transitions since \d\d:\d\d:\d\d \(3\)/);
  });

  it('e keeps errored nodes; Enter shows their errors with messages as the SDK reads them', async () => {
    const direct = await listNodes('batchhealthy', 'packages-other-identity');
    const broken = direct.find((n) => (n.errors ?? []).length > 0);
    if (!broken?.id) throw new Error('the A4 pool has no errored node');
    const brokenId = broken.id;
    const app = await openNodes('batchhealthy', 'packages-other-identity', {
      columns: 100,
      rows: 30,
    });
    await app.until((text) => expect(text).toContain('2 nodes: unusable 2'));
    expect(app.frame()).toContain('(2 errored: e)');
    // Keys arriving in one read: "e" after "/" is filter text, not the errors toggle.
    app.press('/e');
    await app.until((text) => expect(text.split('\n').at(-1)).toMatch(/^\/e▌/));
    expect(app.frame()).not.toContain('[e] showing');
    app.press(keys.escape);
    await app.until((text) => expect(text.split('\n').at(-1)).toContain('? keys'));
    app.press('e');
    await app.until((text) => expect(text).toContain('[e] showing 2 errored only'));
    expect(nodeRows(app.frame()).every((r) => r.includes(broken.errors?.[0]?.code ?? '?'))).toBe(
      true,
    );
    app.press(`/${brokenId.slice(0, 16)}\r`);
    await app.until((text) => expect(nodeRows(text)).toHaveLength(1));
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain(`Errors (${broken.errors?.length})`));
    const text = app.frame();
    for (const error of broken.errors ?? []) {
      expect(text).toContain(error.code);
      expect(text.replaceAll('\n', ' ').replace(/\s+/g, ' ')).toContain(
        (error.message ?? '').split(/\s+/).slice(0, 6).join(' '),
      );
    }
    expect(text.split('\n')[1]).toMatch(/Nodes of packages-other-identity › tvmps_/);
    app.press('y');
    await app.until((text) => expect(text).toContain(`"id": "${brokenId}"`));
    app.press(keys.escape);
    await app.until((text) => expect(nodeRows(text)).toHaveLength(1));
  });
});
