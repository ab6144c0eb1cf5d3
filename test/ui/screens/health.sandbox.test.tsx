/**
 * The health column of Accounts and Pools on the seeded sandbox: the values are the doctor's
 * healthByResource (an account also takes its pools' worst); they come in the background after
 * the rows, from one collector run per refresh of the table, never one per row.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../../source/azure/collector.js';
import { healthByResource, runDoctor } from '../../../source/domain/doctor/engine.js';
import type { Severity } from '../../../source/domain/doctor/types.js';
import {
  countRequests,
  startFixture,
  type Fixture,
  type RequestLog,
} from '../../azure/sandbox-fixture.js';
import { keys } from '../render-app.js';
import { openOnSandbox, rowOf } from './sandbox-app.js';

let fx: Fixture;
let health: Map<string, Severity>;
let arm: RequestLog;
const WIDE = { columns: 200, rows: 40 };
const SYMBOL: Record<Severity, string> = { critical: '✗', error: '✗', warning: '⚠', info: '·' };
const RANK: Severity[] = ['critical', 'error', 'warning', 'info'];

beforeAll(async () => {
  fx = await startFixture();
  const collector = createCollector(fx.operator, { armEndpoint: fx.profile.armEndpoint });
  health = healthByResource(runDoctor(await collector.collect()).findings);
  arm = countRequests(fx.operator.batchManagement());
}, 60_000);
afterEach(() => {
  cleanup();
  fx.embedded.sandbox.faults.clear();
});
afterAll(() => fx.embedded.stop());

/** healthByResource's verdict as the column writes it; an account takes its pools' worst too. */
function expected(id: string, withPools: boolean): string {
  const key = id.toLowerCase();
  const found = [...health]
    .filter(([k]) => k === key || (withPools && k.startsWith(`${key}/pools/`)))
    .map(([, s]) => s)
    .sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b));
  return found[0] === undefined ? '✓' : SYMBOL[found[0]];
}

/** The health cell of a row, read under the column's title. */
function healthCell(frame: string, name: string): string {
  const header = frame.split('\n').find((l) => /^ {2}name +health /.test(l)) ?? '';
  const at = header.indexOf('health');
  expect(at, frame).toBeGreaterThan(0);
  return rowOf(frame, name)
    .slice(at, at + 6)
    .trim();
}

const accountListings = () =>
  arm.entries.filter((e) => /\/providers\/Microsoft\.Batch\/batchAccounts$/i.test(e.what)).length;

describe('health column', () => {
  it('on Accounts: healthByResource, each account with its pools', async () => {
    const client = fx.operator.batchManagement();
    const accounts: Array<{ name: string; id: string }> = [];
    for await (const a of client.batchAccountOperations.list())
      accounts.push({ name: a.name ?? '', id: a.id ?? '' });
    const app = await openOnSandbox(fx, WIDE);
    await app.until((text) => {
      for (const a of accounts) expect(healthCell(text, a.name)).toBe(expected(a.id, true));
    });
    expect(accounts.map((a) => healthCell(app.frame(), a.name))).toContain('✓');
    expect(accounts.map((a) => healthCell(app.frame(), a.name))).toContain('✗');
  });

  it('on Pools: healthByResource of each pool', async () => {
    const app = await openOnSandbox(fx, WIDE, { initialAccount: 'batchhealthy' });
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press(keys.enter);
    await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
    app.press(keys.enter);
    await app.until((text) => expect(text).toMatch(/7 pools of batchhealthy/));
    const pools: Array<{ name: string; id: string }> = [];
    for await (const p of fx.operator
      .batchManagement()
      .poolOperations.listByBatchAccount('rg-batch', 'batchhealthy'))
      pools.push({ name: p.name ?? '', id: p.id ?? '' });
    await app.until((text) => {
      for (const p of pools) expect(healthCell(text, p.name)).toBe(expected(p.id, false));
    });
    const cells = pools.map((p) => healthCell(app.frame(), p.name));
    expect(cells).toEqual(expect.arrayContaining(['✓', '✗', '⚠']));
  });

  it('comes after the rows (… until then), from one collector run per refresh', async () => {
    // The collector reads nodes from the data plane; the accounts table does not.
    const slow = fx.embedded.sandbox.faults.add({
      listener: 'batch',
      kind: 'latency',
      latencyMs: 1500,
    });
    arm.reset();
    const app = await openOnSandbox(fx, WIDE);
    const accounts = fx.embedded.sandbox.world.batchAccounts.size;
    await app.until((text) => expect(text).toMatch(new RegExp(`${accounts} accounts · read`)));
    expect(healthCell(app.frame(), 'batchhealthy')).toBe('…');
    expect(healthCell(app.frame(), 'batchscale')).toBe('…');
    fx.embedded.sandbox.faults.remove(slow);
    await app.until((text) => expect(healthCell(text, 'batchscale')).toBe('✓'));
    // The table's listing and the doctor's: two, for all the accounts.
    expect(accountListings()).toBe(2);
    app.press('r');
    await app.until((text) => expect(healthCell(text, 'batchhealthy')).toBe('…'));
    await app.until((text) => expect(healthCell(text, 'batchhealthy')).toBe('✗'));
    expect(accountListings()).toBe(4);
  });
});
