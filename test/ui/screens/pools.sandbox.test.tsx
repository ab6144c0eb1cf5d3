/**
 * The Pools screen on the seeded sandbox: for every account, every pool the SDK lists appears
 * with its identities, whether the account's node identity reference is among them, packages,
 * certificate references, node counts, and nodes by state as the data-plane client counts them.
 */
import type { BatchAccount, Pool } from '@azure/arm-batch';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { count, openOnSandbox, rowOf } from './sandbox-app.js';

let fx: Fixture;
let accounts: BatchAccount[];
const last = (id: string) => id.split('/').pop() ?? id;
const rg = (id: string) => /resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';

beforeAll(async () => {
  fx = await startFixture();
  accounts = [];
  for await (const a of fx.operator.batchManagement().batchAccountOperations.list())
    accounts.push(a);
});
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

async function poolsOf(a: BatchAccount): Promise<Pool[]> {
  const list: Pool[] = [];
  const client = fx.operator.batchManagement();
  for await (const p of client.poolOperations.listByBatchAccount(rg(a.id ?? ''), a.name ?? ''))
    list.push(p);
  return list;
}

/** Nodes by state as the legacy data-plane client lists them: `idle 2, unusable 1`. */
async function statesOf(a: BatchAccount, pool: string): Promise<string> {
  const client = fx.operator.batchData(a.accountEndpoint ?? '');
  const counts = new Map<string, number>();
  let page = await client.computeNode.list(pool);
  for (;;) {
    for (const n of page) counts.set(n.state ?? '', (counts.get(n.state ?? '') ?? 0) + 1);
    if (!page.odatanextLink) break;
    page = await client.computeNode.listNext(page.odatanextLink);
  }
  return [...counts].map(([state, n]) => `${state} ${count(n)}`).join(', ');
}

async function openPools(name: string, size = { columns: 200, rows: 40 }) {
  const app = await openOnSandbox(fx, size, { initialAccount: name });
  await app.until((text) => expect(text).toContain(`› ${name}`));
  app.press(keys.enter);
  await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
  app.press(keys.enter);
  await app.until((text) => expect(text.split('\n')[1]).toContain(`Pools of ${name}`));
  return app;
}

describe('Pools', () => {
  it('shows every pool of every account with the values the SDK clients read', async () => {
    for (const a of accounts) {
      const name = a.name ?? '';
      const pools = await poolsOf(a);
      const app = await openPools(name);
      await app.until((text) => expect(text).toContain(`${pools.length} pool`));
      const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
      for (const p of pools) {
        const states = await statesOf(a, p.name ?? '');
        await app.until((text) =>
          expect(rowOf(text, p.name ?? '')).toContain(
            states.replace(/\bstarttaskfailed\b/, 'startTaskFailed'),
          ),
        );
        const row = rowOf(app.frame(), p.name ?? '');
        const ids = Object.keys(p.identity?.userAssignedIdentities ?? {});
        expect(row).toContain(ids.length === 0 ? 'None' : ids.map(last).join(', '));
        if (reference) {
          const onPool = ids.some((id) => id.toLowerCase() === reference.toLowerCase());
          expect(row).toMatch(new RegExp(` ${onPool ? '✓' : '✗'} `));
        }
        for (const pkg of p.applicationPackages ?? [])
          expect(row).toContain(`${last(pkg.id)} ${pkg.version}`);
        const certs = p.certificates?.length ?? 0;
        if (certs > 0) expect(row).toContain(`${certs} retired`);
        const target = p.scaleSettings?.fixedScale?.targetDedicatedNodes ?? 0;
        expect(row).toContain(`${p.currentDedicatedNodes}/${target}`);
        expect(row).toContain(p.allocationState ?? '');
      }
      cleanup();
    }
  });

  it('fits 80x24 and flags the A4 pool whose identities lack the node identity reference', async () => {
    const app = await openPools('batchhealthy', { columns: 80, rows: 24 });
    await app.until((text) =>
      expect(rowOf(text, 'packages-other-identity')).toContain('unusable 2'),
    );
    expect(rowOf(app.frame(), 'packages-other-identity')).toContain('✗');
    expect(rowOf(app.frame(), 'packages-same-identity')).toContain('✓');
    // At 80 columns the certificates column gives way; the doctor's health column flags the
    // retired certificate references (MI024, a warning) instead.
    await app.until((text) => expect(rowOf(text, 'certificates')).toMatch(/^. certificates +⚠ /));
    expectFits(app.frame(), { columns: 80, rows: 24 });
    app.press('y');
    await app.until((text) => expect(text).toContain('"name": "packages-same-identity"'));
    expect(app.frame().split('\n')[1]).toMatch(/Pools of batchhealthy › JSON$/);
  });
});
