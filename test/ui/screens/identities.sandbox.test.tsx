/**
 * The Identities screen on the seeded sandbox: every user-assigned identity seen on the SDK's
 * accounts and pools appears with its principalId and clientId, where it is used, and the role
 * assignments it holds on autostorage as the authorization client lists them.
 */
import type { BatchAccount, Pool } from '@azure/arm-batch';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { openOnSandbox, rowOf } from './sandbox-app.js';

interface Expected {
  name: string;
  principalId?: string;
  clientId?: string;
  uses: number;
  storages: Set<string>;
}

let fx: Fixture;
const expected = new Map<string, Expected>();
const last = (id: string) => id.split('/').pop() ?? id;
const rg = (id: string) => /resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';

function note(id: string, block?: { principalId?: string; clientId?: string }, storage?: string) {
  const key = id.toLowerCase();
  const entry = expected.get(key) ?? { name: last(id), uses: 0, storages: new Set<string>() };
  entry.uses += 1;
  if (block?.principalId) entry.principalId = block.principalId;
  if (block?.clientId) entry.clientId = block.clientId;
  if (storage) entry.storages.add(storage);
  expected.set(key, entry);
}

beforeAll(async () => {
  fx = await startFixture();
  const client = fx.operator.batchManagement();
  const accounts: BatchAccount[] = [];
  for await (const a of client.batchAccountOperations.list()) accounts.push(a);
  for (const a of accounts) {
    const storage = a.autoStorage?.storageAccountId;
    for (const [id, block] of Object.entries(a.identity?.userAssignedIdentities ?? {}))
      note(id, block, storage);
    const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
    if (reference) note(reference, undefined, storage);
    const pools: Pool[] = [];
    for await (const p of client.poolOperations.listByBatchAccount(rg(a.id ?? ''), a.name ?? ''))
      pools.push(p);
    for (const p of pools) {
      for (const [id, block] of Object.entries(p.identity?.userAssignedIdentities ?? {}))
        note(id, block, storage);
      for (const f of p.startTask?.resourceFiles ?? []) {
        if (f.identityReference?.resourceId)
          note(f.identityReference.resourceId, undefined, storage);
      }
    }
  }
});
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

/** `Role name on storage` for each assignment the principal holds at or above each storage account. */
async function rolesOf(entry: Expected): Promise<string[]> {
  const authorization = fx.operator.authorization();
  const names: string[] = [];
  const seen = new Set<string>();
  for (const storage of entry.storages) {
    for await (const ra of authorization.roleAssignments.listForScope(storage.replace(/^\//, ''))) {
      if (ra.principalId !== entry.principalId || seen.has(ra.id ?? '')) continue;
      // At or above the account: a role on one of its containers (e.g. batch-logs) is not a role
      // on the account, and does not let nodes read packages.
      const scope = (ra.scope ?? '').toLowerCase();
      if (!storage.toLowerCase().startsWith(scope)) continue;
      seen.add(ra.id ?? '');
      const role = await authorization.roleDefinitions.getById(
        (ra.roleDefinitionId ?? '').replace(/^\//, ''),
      );
      names.push(`${role.roleName} on ${last(ra.scope ?? '')}`);
    }
  }
  return names;
}

describe('Identities', () => {
  it('lists every identity with its ids, uses and roles on autostorage', async () => {
    const app = await openOnSandbox(fx, { columns: 220, rows: 40 });
    app.press(':identities\r');
    await app.until((text) =>
      expect(text).toContain(`${expected.size} user-assigned identities in use`),
    );
    for (const entry of expected.values()) {
      const row = rowOf(app.frame(), entry.name);
      expect(row).toContain(entry.principalId ?? '?');
      expect(row).toContain(entry.clientId ?? '?');
      // The table names the roles (the storage is implied by the column); Enter shows scopes.
      for (const role of await rolesOf(entry)) {
        expect(row).toContain(role.replace(/ on .*/, '').replace(/^Storage /, ''));
      }
    }
  });

  it('Enter shows one identity in full: every use and every role with its scope', async () => {
    const app = await openOnSandbox(fx, { columns: 100, rows: 40 });
    app.press(':identities\r');
    await app.until((text) => expect(text).toContain('id-batch-nodes '));
    const entry = expected.get(
      [...expected.keys()].find((k) => k.endsWith('/id-batch-nodes')) ?? '',
    );
    if (!entry) throw new Error('id-batch-nodes is not in the seed');
    app.press('/id-batch-nodes\r');
    await app.until((text) => expect(text).toMatch(/› id-batch-nodes /));
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain('Identity id-batch-nodes'));
    const text = app.frame();
    expect(text).toContain(`principalId ${entry.principalId}`);
    expect(text).toContain(`clientId    ${entry.clientId}`);
    expect(text).toContain(`Used as (${entry.uses})`);
    expect(text).toContain('node identity reference of batchhealthy');
    for (const role of await rolesOf(entry)) expect(text).toContain(role);
    app.press(keys.escape);
    await app.until((text) => expect(text).toMatch(/› id-batch-nodes /));
  });

  it('fits 80x24 and marks a node identity reference without a data role', async () => {
    const app = await openOnSandbox(fx, { columns: 80, rows: 24 });
    app.press(':identities\r');
    await app.until((text) => expect(text).toContain('user-assigned identities in use'));
    expectFits(app.frame(), { columns: 80, rows: 24 });
    expect(rowOf(app.frame(), 'id-batch-nodes-norole')).toMatch(/ none /);
    expect(rowOf(app.frame(), 'id-batch-nodes')).toContain('Blob Data Reader');
  });
});
