/**
 * The flow screens on the seeded sandbox, through the real SDK clients: `i` on the A4 pool (its
 * identities lack the account's node identity reference) → pick the identity → the plan's diff →
 * confirm, the resize declined on its own → applied → verified; the same on a pool that already
 * holds the identity plans nothing and writes nothing; read-only mode hides the apply step; the
 * audit log shows what was applied.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectFits } from '../render-app.js';
import { openFlowsApp, openPool, pick, startFlowsFixture, writes } from './flows-app.js';
import type { FlowsFixture } from './flows-app.js';

let ff: FlowsFixture;
const BIG = { columns: 120, rows: 50 };

beforeAll(async () => {
  ff = await startFlowsFixture();
});
afterEach(() => {
  cleanup();
});
afterAll(() => ff.stop());

const poolIdentities = (account: string, pool: string) => {
  const world = ff.fx.embedded.sandbox.world;
  const found = [...world.pools.values()].find((p) =>
    p.id.toLowerCase().endsWith(`/batchaccounts/${account}/pools/${pool}`),
  );
  return Object.keys(found?.identity?.userAssignedIdentities ?? {}).map((id) =>
    id.split('/').pop(),
  );
};

describe('Flow 1 on the A4 pool', () => {
  it('fits 80x24 from the pool to the plan, starting on the node identity reference', async () => {
    const app = await openFlowsApp(
      ff,
      { columns: 80, rows: 24 },
      { initialAccount: 'batchhealthy' },
    );
    await openPool(app, 'batchhealthy', 'packages-other-identity');
    app.press('i');
    await app.see('Pick the user-assigned identity to attach to pool');
    // The reference is what MI004 asks for: the picker starts on it, marked.
    await app.until((text) => expect(text).toMatch(/› id-batch-nodes .*node identity ref/));
    expect(app.frame().split('\n')[1]).toMatch(/Pools of batchhealthy › Flows$/);
    expectFits(app.frame(), { columns: 80, rows: 24 });
    app.press('\r');
    await app.see('identity.userAssignedIdentities');
    expectFits(app.frame(), { columns: 80, rows: 24 });
  });

  it('plans the identity change as a diff, applies it after y, the resize declined on its own, and verifies', async () => {
    ff.logs.operator.reset();
    const app = await openFlowsApp(ff, BIG, { initialAccount: 'batchhealthy' });
    await openPool(app, 'batchhealthy', 'packages-other-identity');
    app.press('i');
    await pick(app, 'id-batch-nodes');
    await app.see('identity.userAssignedIdentities');
    const plan = app.frame();
    expect(plan).toContain('1. Pool batchhealthy/packages-other-identity: attach id-batch-nodes');
    expect(plan).toContain('- id-workload');
    expect(plan).toContain('+ id-workload, id-batch-nodes');
    expect(plan).toMatch(/2\. \(optional, confirmed on its own\) .*packages-other-identity/);
    await app.see('hold every permission this plan needs');
    await app.see('? Apply step to Azure now (the optional step is asked next)?');
    expect(writes(ff.logs.operator)).toEqual([]);

    app.press('c');
    await app.see('$ az ');
    app.press('y');
    await app.see('? Also run step 2');
    app.press('n');
    await app.see('1 step applied; 1 step not confirmed.');
    const report = app.frame();
    expect(report).toMatch(
      /✓ 1\. Pool batchhealthy\/packages-other-identity: attach id-batch-nodes — applied/,
    );
    expect(report).toMatch(/– 2\. .* — not applied/);
    expect(poolIdentities('batchhealthy', 'packages-other-identity')).toEqual([
      'id-workload',
      'id-batch-nodes',
    ]);
    expect(writes(ff.logs.operator)).toEqual([
      expect.stringMatching(/^PATCH .*\/pools\/packages-other-identity$/),
    ]);
    await app.see('Verification');
    await app.see(/✓ the doctor reports no error for batchhealthy/);
    expect(app.frame()).toMatch(/optional, not done: .*packages-other-identity/);
    expect(app.frame()).toContain('r re-checks');

    app.press('l');
    await app.see('Audit log of the flows');
    await app.see(/ applied Pool batchhealthy\/packages-other-identity:/);
    expect(app.frame()).toContain('[identity.userAssignedIdentities: [id-workload] →');
  });
});

describe('a pool that already holds the identity', () => {
  it('plans nothing to change and writes nothing', async () => {
    const app = await openFlowsApp(ff, BIG, { initialAccount: 'batchhealthy' });
    await openPool(app, 'batchhealthy', 'packages-same-identity');
    ff.logs.operator.reset();
    app.press('i');
    await pick(app, 'id-batch-nodes');
    await app.see('Nothing to change: Azure already holds what was asked');
    expect(app.frame()).not.toContain('? Apply');
    app.press('y');
    await app.see('Nothing to apply');
    expect(writes(ff.logs.operator)).toEqual([]);
  });
});

describe('read-only mode', () => {
  it('shows the plan, hides the apply step, says why, and applies nothing on y', async () => {
    const app = await openFlowsApp(ff, BIG, { initialAccount: 'batchhealthy', readOnly: true });
    await openPool(app, 'batchhealthy', 'starttask-other-identity');
    ff.logs.operator.reset();
    app.press('i');
    await pick(app, 'id-batch-nodes');
    await app.see('+ id-workload, id-batch-nodes');
    await app.see('Read-only mode (--read-only or :ro): the apply step is hidden');
    expect(app.frame()).not.toContain('? Apply');
    app.press('y');
    await app.see('Read-only mode: nothing can be applied');
    expect(writes(ff.logs.operator)).toEqual([]);
    expect(poolIdentities('batchhealthy', 'starttask-other-identity')).toEqual(['id-workload']);
  });
});

describe('a on the Account detail screen', () => {
  it('offers the account flows, as on Accounts; each picker opens unfiltered', async () => {
    const app = await openFlowsApp(ff, BIG, { initialAccount: 'batchnorole' });
    await app.see('› batchnorole');
    app.press('\r');
    await app.see(/pools \(\d+\)/);
    app.press('a');
    await app.see('Pick a flow for batchnorole');
    expect(app.frame().split('\n')[1]).toBe('Accounts › Account batchnorole › Flows');
    expect(app.frame()).toContain('Autostorage with managed identity');
    expect(app.frame()).not.toContain('Attach a user-assigned identity to a pool');
    // Narrowed to one flow and picked: the filter goes with the pick.
    await pick(app, 'Account identity');
    await app.until((text) =>
      expect(text).toMatch(/› id-batch-account-norole .*the account's identity now/),
    );
    expect(app.frame().split('\n')[1]).toBe('Accounts › Account batchnorole › Flows');
  });
});

describe(':flows', () => {
  it('lists the three flows and the audit log; the account-identity flow plans the MI002 grant, and n declines it', async () => {
    const app = await openFlowsApp(ff, BIG);
    await app.see('› batchhealthy');
    app.press(':flows\r');
    await app.see('Pick a guided set-up flow');
    for (const row of [
      'Attach a user-assigned identity to a pool',
      'Autostorage with managed identity',
      'Account identity for autostorage and customer-managed keys',
      'Audit log',
    ])
      expect(app.frame()).toContain(row);
    await pick(app, 'Account identity');
    await pick(app, 'batchnorole');
    // The account's own identity is where the picker starts.
    await app.until((text) =>
      expect(text).toMatch(/› id-batch-account-norole .*the account's identity now/),
    );
    app.press('\r');
    await app.see('Grant Storage Blob Data Contributor to id-batch-account-norole on stbatchauto');
    await app.see('? Apply step to Azure now?');
    ff.logs.operator.reset();
    app.press('n');
    await app.see('Declined: nothing was applied.');
    await app.see('? Apply step to Azure now?');
    expect(writes(ff.logs.operator)).toEqual([]);
  });
});
