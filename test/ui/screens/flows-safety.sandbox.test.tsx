/**
 * The flow screens' safety on the seeded sandbox, through the real SDK clients (SPEC §7, issue
 * 7): the Reader-only operator sees which permission is missing before anything is applied, and
 * nothing is; a fault injected mid-plan shows exactly which steps were applied, which failed
 * and why, which were not, and what to run — and `r` plans again from Azure and finishes.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openFlowsApp, pick, startFlowsFixture, writes } from './flows-app.js';
import type { FlowsApp, FlowsFixture } from './flows-app.js';

let ff: FlowsFixture;
const SIZE = { columns: 140, rows: 60 };

beforeAll(async () => {
  ff = await startFlowsFixture();
});
afterEach(() => {
  cleanup();
  ff.fx.embedded.sandbox.faults.clear();
});
afterAll(() => ff.stop());

/** Accounts → `a` on the account → "Autostorage with managed identity". */
async function autostorageFlow(app: FlowsApp, account: string) {
  await app.see(`› ${account}`);
  app.press('a');
  await app.see(`Pick a flow for ${account}`);
  await pick(app, 'Autostorage with managed identity');
}

describe('the Reader-only operator', () => {
  it('sees the missing permission before applying, and nothing is applied', async () => {
    const world = ff.fx.embedded.sandbox.world;
    const assignments = world.roleAssignments.size;
    ff.logs.reader.reset();
    const app = await openFlowsApp(ff, SIZE, { as: 'reader', initialAccount: 'batchnorole' });
    await autostorageFlow(app, 'batchnorole');
    // The account's own autostorage and node identity reference are where the pickers start.
    await app.until((text) => expect(text).toMatch(/› stbatchauto .*current autostorage/));
    app.press('\r');
    await app.until((text) =>
      expect(text).toMatch(/› id-batch-nodes-norole .*current node identity reference/),
    );
    app.press('\r');
    await app.see('Grant Storage Blob Data Reader to id-batch-nodes-norole on stbatchauto');
    await app.see(
      /may not perform Microsoft\.Authorization\/roleAssignments\/write on stbatchauto/,
    );
    expect(app.frame()).toMatch(/your roles there: Reader\. Ask for Owner/);
    await app.see('Apply refused: nothing will be changed until you have these permissions.');
    await app.see('Apply refused: you lack a permission a required step needs');
    expect(app.frame()).not.toContain('? Apply');
    app.press('y');
    app.press('y');
    await app.see('Apply refused');
    expect(writes(ff.logs.reader)).toEqual([]);
    expect(world.roleAssignments.size).toBe(assignments);
  });
});

describe('a fault mid-plan', () => {
  it('shows the exact partial report, and r re-plans from Azure and finishes', async () => {
    const app = await openFlowsApp(ff, SIZE, { initialAccount: 'batchnoref' });
    await autostorageFlow(app, 'batchnoref');
    await pick(app, 'stbatchauto');
    await pick(app, 'id-batch-nodes-norole');
    await app.see('hold every permission this plan needs');
    const plan = app.frame();
    for (const [n, title] of [
      [1, 'Pool batchnoref/packages-no-reference: attach id-batch-nodes-norole'],
      [2, 'Pool batchnoref/starttask-no-reference: attach id-batch-nodes-norole'],
      [3, 'Grant Storage Blob Data Reader to id-batch-nodes-norole on stbatchauto'],
      [4, 'Link stbatchauto as batchnoref'],
    ] as const)
      expect(plan).toContain(`${n}. ${title}`);
    expect(plan).toMatch(/5\. \(optional, confirmed on its own\) /);

    ff.fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /^PUT .*roleAssignments\//i,
      kind: 'error',
      status: 500,
      times: 1,
    });
    ff.logs.operator.reset();
    app.press('y');
    await app.see('? Also run step 5');
    app.press('n');
    await app.see('? Also run step 6');
    app.press('n');
    await app.see(/^2 steps applied, 4 steps not applied: step "Grant Storage Blob Data Reader/m);
    const report = app.frame();
    expect(report).toMatch(/✓ 1\. Pool batchnoref\/packages-no-reference: .* — applied/);
    expect(report).toMatch(/✓ 2\. Pool batchnoref\/starttask-no-reference: .* — applied/);
    expect(report).toMatch(/✗ 3\. Grant Storage Blob Data Reader .* — failed/);
    expect(report).toMatch(/· 4\. Link stbatchauto .* — not applied/);
    expect(report).toMatch(/· 5\. .* — not applied/);
    expect(report).toContain('To finish');
    expect(report).toContain('az role assignment create');
    expect(report).toContain('To undo what was applied');
    expect(writes(ff.logs.operator)).toEqual([
      expect.stringMatching(/^PATCH .*\/pools\/packages-no-reference$/),
      expect.stringMatching(/^PATCH .*\/pools\/starttask-no-reference$/),
      expect.stringMatching(/^PUT .*\/roleAssignments\//),
    ]);
    const account = ff.fx.embedded.sandbox.world.batchAccounts.get(
      [...ff.fx.embedded.sandbox.world.batchAccounts.keys()].find((k) =>
        k.endsWith('/batchnoref'),
      ) ?? '',
    );
    expect(account?.autoStorage?.nodeIdentityReference).toBeUndefined();

    // The verification ran over what was applied; then r plans again from Azure.
    await app.see('r plans again from Azure and picks up where this stopped');
    app.press('r');
    await app.see('1. Grant Storage Blob Data Reader to id-batch-nodes-norole on stbatchauto');
    expect(app.frame()).not.toContain('Pool batchnoref/packages-no-reference: attach');
    await app.see('? Apply these 2 steps to Azure now');
    app.press('y');
    await app.see('? Also run step 3');
    app.press('nn');
    await app.see('2 steps applied; 2 steps not confirmed.');
    expect(account?.autoStorage?.nodeIdentityReference?.resourceId).toMatch(
      /id-batch-nodes-norole$/,
    );
    await app.see(/New role assignments can take up to 10 minutes/);
  });
});
