/**
 * Accounts and Account detail on the seeded sandbox: every account the SDK lists appears with
 * the values the SDK reads; Enter opens its detail (identity ids, autostorage, encryption, pools);
 * y shows its JSON; a Reader reads the same; a principal without a role is told which role on
 * which scope is missing.
 */
import type { BatchAccount, Pool } from '@azure/arm-batch';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { openOnSandbox, rowOf } from './sandbox-app.js';

let fx: Fixture;
let accounts: BatchAccount[];
const pools = new Map<string, Pool[]>();
const last = (id: string) => id.split('/').pop() ?? id;
const rg = (id: string) => /resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';

beforeAll(async () => {
  fx = await startFixture();
  const client = fx.operator.batchManagement();
  accounts = [];
  for await (const a of client.batchAccountOperations.list()) accounts.push(a);
  for (const a of accounts) {
    const list: Pool[] = [];
    for await (const p of client.poolOperations.listByBatchAccount(rg(a.id ?? ''), a.name ?? ''))
      list.push(p);
    pools.set(a.name ?? '', list);
  }
});
afterEach(() => {
  cleanup();
  fx.embedded.sandbox.faults.clear();
});
afterAll(() => fx.embedded.stop());

const wide = { columns: 200, rows: 40 };
const small = { columns: 80, rows: 24 };

describe('Accounts', () => {
  it('lists every account with the values the SDK reads', async () => {
    const app = await openOnSandbox(fx, wide);
    await app.until((text) => expect(text).toContain(`${accounts.length} accounts`));
    expect(accounts.length).toBeGreaterThanOrEqual(8);
    for (const a of accounts) {
      const row = rowOf(app.frame(), a.name ?? '');
      const names = Object.keys(a.identity?.userAssignedIdentities ?? {}).map(last);
      const type = a.identity?.type ?? 'None';
      expect(row).toContain(type === 'UserAssigned' ? `UserAssigned ${names.join(', ')}` : type);
      const storage = a.autoStorage?.storageAccountId;
      if (storage) {
        expect(row).toContain(last(storage));
        expect(row).toContain(a.autoStorage?.authenticationMode ?? 'StorageKeys');
      }
      const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
      if (reference) expect(row).toContain(last(reference));
      expect(row).toContain(a.encryption?.keySource ?? 'Microsoft.Batch');
      expect(row).toContain(a.location ?? '');
      expect(row).toMatch(new RegExp(` ${pools.get(a.name ?? '')?.length} +${a.location}`));
    }
  });

  it('fits 80x24, shortening modes rather than losing rows, and filters with / and !', async () => {
    const app = await openOnSandbox(fx, small);
    await app.until((text) => expect(text).toContain(`${accounts.length} accounts`));
    expectFits(app.frame(), small);
    expect(rowOf(app.frame(), 'batchhealthy')).toMatch(/stbatchauto +MI +id-batch-nod/);
    app.press('/cmk\r');
    await app.until((text) => expect(text.split('\n')[1]).toBe('Accounts  /cmk'));
    const shown = app.lines().filter((l) => /^[› ] batch/.test(l));
    expect(shown.map((l) => l.slice(2).split(' ')[0])).toEqual([
      'batchcmk',
      'batchcmknopurge',
      'batchcmknoaccess',
    ]);
    // The prompt starts from the filter in force: Esc clears it first.
    app.press(keys.escape);
    await app.until((text) => expect(text.split('\n')[1]).toBe('Accounts'));
    app.press('/!cmk\r');
    await app.until((text) => expect(text).not.toContain('batchcmk '));
    expect(app.frame()).toContain('batchscale');
  });

  it('sorts with s (next column) and S (reverse), marking the column', async () => {
    const app = await openOnSandbox(fx, wide);
    await app.until((text) => expect(text).toContain(`${accounts.length} accounts`));
    app.press('s');
    await app.until((text) => expect(text).toContain('name↑'));
    const names = () =>
      app
        .lines()
        .filter((l) => /^[› ] batch/.test(l))
        .map((l) => l.slice(2).split(' ')[0]);
    const sorted = accounts.map((a) => a.name ?? '').sort();
    expect(names()).toEqual(sorted);
    app.press('S');
    await app.until((text) => expect(text).toContain('name↓'));
    expect(names()).toEqual([...sorted].reverse());
  });

  it('y shows the account as ARM serves it; Esc goes back to the table', async () => {
    const app = await openOnSandbox(fx, small);
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press('y');
    await app.until((text) => expect(text).toContain('"name": "batchhealthy"'));
    expect(app.lines()[1]).toBe('Accounts › JSON');
    expectFits(app.frame(), small);
    // Scrolls to the end: the autostorage block of the raw answer is there.
    app.press('G');
    await app.until((text) => {
      const [, end, total] = /\d+-(\d+) of (\d+)/.exec(text) ?? [];
      expect(end).toBe(total);
    });
    app.press('g');
    await app.until((text) => expect(text).toContain('"name": "batchhealthy"'));
    app.press('jjjjjjjjjjjjjjjjjjjj');
    await app.until((text) => expect(text).toContain('"autoStorage": {'));
    app.press(keys.escape);
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    expect(app.lines()[1]).toBe('Accounts');
  });
});

describe('Account detail', () => {
  it.each(['batchhealthy', 'batchcmknopurge', 'batchscale'])(
    '%s: identity ids, autostorage, encryption, modes and pools as the SDK reads them',
    async (name) => {
      const a = accounts.find((x) => x.name === name);
      if (!a) throw new Error(name);
      const app = await openOnSandbox(fx, { columns: 120, rows: 40 }, { initialAccount: name });
      await app.until((text) => expect(text).toContain(`› ${name}`));
      app.press(keys.enter);
      await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
      const text = app.frame();
      expect(app.lines()[1]).toBe(`Accounts › Account ${name}`);
      for (const [id, ua] of Object.entries(a.identity?.userAssignedIdentities ?? {})) {
        expect(text).toContain(`UserAssigned ${last(id)}`);
        expect(text).toContain(`principalId ${ua.principalId}`);
        expect(text).toContain(`clientId    ${ua.clientId}`);
      }
      if (a.autoStorage) {
        expect(text).toContain(
          `${last(a.autoStorage.storageAccountId)} ${a.autoStorage.authenticationMode}`,
        );
      } else {
        expect(text).toContain('autostorage  none linked');
      }
      const key = a.encryption?.keyVaultProperties?.keyIdentifier;
      if (key) expect(text).toContain(`key ${key}`);
      expect(text).toContain(`auth modes   ${(a.allowedAuthenticationModes ?? []).join(', ')}`);
      const listed = pools.get(name) ?? [];
      expect(text).toContain(`pools (${listed.length})`);
      for (const p of listed) expect(text).toContain(p.name ?? '');
    },
  );

  it('Enter on a pool opens the Pools screen on that pool', async () => {
    const app = await openOnSandbox(fx, small, { initialAccount: 'batchhealthy' });
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain('› packages-same-identity'));
    app.press('jj');
    await app.until((text) => expect(text).toContain('› starttask-same-identity'));
    app.press(keys.enter);
    await app.until((text) =>
      expect(text.split('\n')[1]).toBe('Accounts › Account batchhealthy › Pools of batchhealthy'),
    );
    await app.until((text) => expect(text).toMatch(/› starttask-same-ide/));
  });
});

describe('permissions', () => {
  it('a Reader reads every account', async () => {
    const app = await openOnSandbox(fx, wide, { as: 'reader' });
    await app.until((text) => expect(text).toContain(`${accounts.length} accounts`));
    for (const a of accounts) rowOf(app.frame(), a.name ?? '');
  });

  it('without any role, says which action is missing on which scope', async () => {
    const world = fx.embedded.sandbox.world;
    const [id, assignment] =
      [...world.roleAssignments].find(([, ra]) => ra.principalId === readerObjectId()) ?? [];
    if (!id || !assignment) throw new Error('no Reader assignment in the seed');
    world.roleAssignments.delete(id);
    try {
      const app = await openOnSandbox(fx, small, { as: 'reader' });
      await app.until((text) => expect(text).toContain('Microsoft.Batch/batchAccounts/read'));
      expect(app.frame()).toContain(`/subscriptions/${fx.profile.subscriptionId}`);
      expect(app.frame()).toContain('Ask an owner for Reader');
      expectFits(app.frame(), small);
    } finally {
      world.roleAssignments.set(id, assignment);
    }
  });
});

function readerObjectId(): string {
  const world = fx.embedded.sandbox.world;
  for (const p of world.principals.values())
    if (p.displayName === 'batch-auditor') return p.objectId;
  throw new Error('no reader principal');
}
