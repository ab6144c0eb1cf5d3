/**
 * SPEC §7: "a doctor run over an account with 100 pools finishes in ≤ 2 s with 50 ms of latency
 * injected on every sandbox call". The account and its pools are built through ARM; then every
 * listener (ARM, Batch, Entra) answers 50 ms late. The figure is printed, not asserted (a
 * benchmark, not a timed test); what is asserted is that the calls stay bounded and the verdict
 * is right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../source/azure/collector.js';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import {
  createAccount,
  createIdentity,
  createPool,
  grant,
  startDoctorSandbox,
  type DoctorSandbox,
} from './collector-fixture.js';

const POOLS = 100;
const RG = 'rg-batch';
let d: DoctorSandbox;

beforeAll(async () => {
  d = await startDoctorSandbox();
  const storage = `/subscriptions/${d.batch.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stbatchauto`;
  const account = await createIdentity(d, 'rg-identity', 'bench-account');
  const nodes = await createIdentity(d, 'rg-identity', 'bench-nodes');
  await grant(d, account.principalId, 'Storage Blob Data Contributor', storage);
  await grant(d, nodes.principalId, 'Storage Blob Data Reader', storage);
  const accountId = await createAccount(d, {
    resourceGroup: RG,
    name: 'bench',
    accountIdentity: account.id,
    storageAccountId: storage,
    nodeIdentityReference: nodes.id,
  });
  for (let i = 0; i < POOLS; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        createPool(
          d,
          RG,
          'bench',
          accountId,
          `pool-${String(i + j).padStart(3, '0')}`,
          nodes.id,
          'packages',
        ),
      ),
    );
  }
  d.sandbox.clock.advance(15 * 60_000);
  await d.doctor({ account: 'bench' }); // warm: tokens for ARM and Batch are in the credential's cache
}, 120_000);
afterAll(() => d?.stop());

describe(`doctor over an account with ${POOLS} pools, 50 ms latency on every call`, () => {
  it('runs with bounded calls and reports the time', async () => {
    const latency = d.sandbox.faults.add({ kind: 'latency', latencyMs: 50 });
    const times: number[] = [];
    let report;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      report = (await d.doctor({ account: 'bench' })).report;
      times.push(performance.now() - started);
    }
    const hits = d.sandbox.faults.list().find((f) => f.id === latency)?.hits ?? 0;
    // Cold: a new credential and new clients, as a fresh `batch-mi-tui doctor` process has (its
    // sign-in call excluded: connect() makes it before the doctor starts).
    const trust = await trustProfileCa(d.profile);
    const clients = createClients(d.profile, createCredential(d.profile, trust), trust);
    const cold = createCollector(clients, { armEndpoint: d.profile.armEndpoint });
    const coldStarted = performance.now();
    await d.doctor({ account: 'bench' }, cold);
    const coldMs = performance.now() - coldStarted;
    d.sandbox.faults.clear();
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `doctor, ${POOLS} pools, 50 ms latency per call: warm ${times.map((t) => `${Math.round(t)} ms`).join(', ')} (median ${Math.round(sorted[1] ?? 0)} ms), ${hits / 3} calls per run; cold (new credential and clients) ${Math.round(coldMs)} ms`,
    );
    expect(report?.findings).toEqual([]);
    // Per run: accounts, pools, storage, role assignments, built-in roles; one node listing per pool.
    expect(hits / 3).toBeLessThanOrEqual(5 + POOLS);
  });
});
