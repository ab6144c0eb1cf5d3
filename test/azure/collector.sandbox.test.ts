/**
 * The collector and the rules against the seeded sandbox (SPEC §6): the findings its design
 * implies, each with the reason; the calls it takes (no N+1); and the parts it cannot read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../source/azure/collector.js';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { runDoctor } from '../../source/domain/doctor/engine.js';
import type { DoctorReport } from '../../source/domain/doctor/types.js';
import { SEED } from '../../source/sandbox/world/seed.js';
import { startDoctorSandbox, type DoctorSandbox } from './collector-fixture.js';

let d: DoctorSandbox;
let seeded: DoctorReport;
let calls: Record<string, number>;
let peak = 0;

/** Every finding the seeded world is built to produce (source/sandbox/world/seed-accounts.ts), and why. */
const EXPECTED: Array<[rule: string, severity: string, resource: string, reason: string]> = [
  [
    'MI021',
    'critical',
    'batchcmknoaccess',
    'its identity id-batch-cmk-nokey has no access policy on the key in kv-batch-cmk',
  ],
  [
    'MI019',
    'error',
    'batchcmknopurge',
    'its key lives in kv-batch-nopurge, created without purge protection',
  ],
  [
    'MI017',
    'error',
    'batchfirewall/subnet-not-allowed',
    'stbatchfirewall denies by default and allows only snet-allowed; the pool is in snet-other',
  ],
  [
    'MI004',
    'error',
    'batchhealthy/packages-other-identity',
    'Table A row 4: the pool has id-workload, the node identity reference is id-batch-nodes',
  ],
  [
    'MI004',
    'error',
    'batchhealthy/starttask-other-identity',
    'Table B row 4: same, with start-task files from autostorage',
  ],
  [
    'MI009',
    'error',
    'batchidreference/resourcefile-other-identity',
    "its start-task resource file's identityReference is id-workload; the pool has only id-batch-nodes",
  ],
  [
    'MI001',
    'error',
    'batchnoaccountidentity',
    'managed-identity autostorage on an account whose identity type is None',
  ],
  [
    'MI003',
    'error',
    'batchnoref/packages-no-reference',
    'Table A row 3: managed-identity autostorage with no node identity reference',
  ],
  [
    'MI003',
    'error',
    'batchnoref/starttask-no-reference',
    'Table B row 3: same, with start-task files',
  ],
  [
    'MI002',
    'error',
    'batchnorole',
    'the account identity id-batch-account-norole holds no data role on stbatchauto',
  ],
  [
    'MI005',
    'error',
    'batchnorole/packages-no-role',
    'Table A row 2: the reference id-batch-nodes-norole holds no data role on stbatchauto (only a write role on its batch-logs container, for logs)',
  ],
  ['MI005', 'error', 'batchnorole/starttask-no-role', 'Table B row 2: same, with start-task files'],
  [
    'MI003',
    'error',
    'batchsystemidentity/starttask-no-identity',
    'the MI007 account has managed-identity autostorage with no node identity reference, and this pool takes start-task files from it',
  ],
  [
    'MI007',
    'error',
    'batchsystemidentity/starttask-no-identity',
    'the account is SystemAssigned and the pool has no identity, yet takes files from managed-identity autostorage',
  ],
  ['MI024', 'warning', 'batchhealthy/certificates', 'the pool has a certificate reference'],
  [
    'MI010',
    'warning',
    'batchhealthy/identity-changed',
    'its identity was changed 10 minutes ago, after its nodes were allocated an hour ago',
  ],
  [
    'MI008',
    'warning',
    'batchhealthy/two-identities',
    'the pool has id-batch-nodes and id-workload',
  ],
];

/**
 * And what must stay clean: Table A/B row 1 (packages-same-identity, starttask-same-identity),
 * subnet-allowed (listed on the firewall), batchcmk (purge protection and key access), the
 * CMK accounts' pools (no autostorage) and the 10,000-node pool (no identity involved). The
 * nodes of batchcmknoaccess are unusable without errors, which MI021 explains (no MI028).
 */
const CLEAN = [
  // The MI001 account's pool: its node identity reference is on it and reads autostorage.
  'batchnoaccountidentity/workers',
  'batchhealthy/packages-same-identity',
  'batchhealthy/starttask-same-identity',
  'batchfirewall/subnet-allowed',
  'batchcmk',
  'batchcmk/workers',
  'batchcmknoaccess/workers',
  'batchscale/render-farm',
];

beforeAll(async () => {
  d = await startDoctorSandbox();
  const counters = Object.fromEntries(
    ['arm', 'batch', 'entra'].map((listener) => [
      listener,
      d.sandbox.faults.add({ listener, kind: 'latency', latencyMs: 0 }),
    ]),
  );
  let inFlight = 0;
  d.batch.pipeline.addPolicy({
    name: 'peak',
    async sendRequest(request, next) {
      peak = Math.max(peak, ++inFlight);
      try {
        return await next(request);
      } finally {
        inFlight--;
      }
    },
  });
  seeded = (await d.doctor()).report;
  calls = Object.fromEntries(
    Object.entries(counters).map(([listener, id]) => [
      listener,
      d.sandbox.faults.list().find((f) => f.id === id)?.hits ?? 0,
    ]),
  );
  d.sandbox.faults.clear();
}, 60_000);
afterAll(() => d?.stop());

describe('the seeded world', () => {
  it('yields exactly the findings its design implies', () => {
    expect(seeded.findings.map((f) => [f.rule, f.severity, f.resourceName])).toEqual(
      EXPECTED.map(([rule, severity, resource]) => [rule, severity, resource]),
    );
    expect(seeded.notChecked).toEqual([]);
  });

  it('leaves the healthy configurations clean', () => {
    for (const name of CLEAN)
      expect(seeded.findings.filter((f) => f.resourceName === name)).toEqual([]);
  });

  it('a Reader sees the same findings: the doctor only reads', async () => {
    const profile = {
      ...d.profile,
      clientId: SEED.reader.clientId,
      clientSecret: SEED.reader.clientSecret,
    };
    const trust = await trustProfileCa(profile);
    const reader = createCollector(
      createClients(profile, createCredential(profile, trust), trust),
      { armEndpoint: profile.armEndpoint },
    );
    const report = runDoctor(
      await reader.collect({}, { now: () => new Date(d.sandbox.clock.now()) }),
    );
    expect(report.findings.map((f) => [f.rule, f.resourceName])).toEqual(
      seeded.findings.map((f) => [f.rule, f.resourceName]),
    );
  });
});

describe('calls (SPEC §7: no N+1)', () => {
  it('ARM: 1 account listing, 1 pool listing per account, and one call per distinct storage account, vault listing, key and role scope', () => {
    // 1 accounts + 11 pool listings (batchnoaccountidentity, batchsystemidentity and
    // batchidreference are the MI001, MI007 and MI009 accounts) + 2 autostorage GETs + 2 role
    // assignment listings + 1 built-in roles + 1 vault listing + 2 CMK keys (batchcmk and
    // batchcmknoaccess share one) + 1 storage account listing (the MI009 pool names a resource
    // file by storageContainerUrl).
    expect(calls.arm).toBe(21);
  });

  it('Batch: one node listing per pool with nodes, one per 1000 nodes', () => {
    // 19 pools of 1-2 nodes (with the pools of the MI001, MI007 and MI009 accounts), and
    // render-farm's 10,000 nodes in 10 pages.
    expect(calls.batch).toBe(19 + 10);
  });

  it('at most 16 calls in flight, and more than one at a time', () => {
    expect(peak).toBeLessThanOrEqual(16);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('what the doctor cannot read, it reports as not checked', () => {
  it('a principal that may not read key vaults: MI019–MI021 not checked for the CMK accounts, with the 403 reason', async () => {
    const world = d.sandbox.world;
    const sub = d.batch.subscriptionId;
    const roleGuid = '5d3c1a6e-0f7b-4c55-9c1e-3a2b1c0d9e8f';
    world.roleDefinitions.set(roleGuid, {
      id: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      name: roleGuid,
      roleName: 'Reader except Key Vault',
      description: 'Reads everything but key vaults',
      roleType: 'CustomRole',
      permissions: [
        {
          actions: ['*/read'],
          notActions: ['Microsoft.KeyVault/*'],
          dataActions: [],
          notDataActions: [],
        },
      ],
      assignableScopes: [`/subscriptions/${sub}`],
    });
    const who = {
      clientId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      clientSecret: 'no-vault-secret',
    };
    const objectId = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    world.principals.set(objectId, {
      objectId,
      displayName: 'no-vault',
      principalType: 'ServicePrincipal',
      appId: who.clientId,
      secret: who.clientSecret,
    });
    await d.authorization.roleAssignments.create(
      `/subscriptions/${sub}`,
      '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
      {
        roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
        principalId: objectId,
        principalType: 'ServicePrincipal',
      },
    );
    const profile = { ...d.profile, ...who };
    const trust = await trustProfileCa(profile);
    const limited = createCollector(
      createClients(profile, createCredential(profile, trust), trust),
      { armEndpoint: profile.armEndpoint },
    );
    const report = runDoctor(
      await limited.collect({}, { now: () => new Date(d.sandbox.clock.now()) }),
    );

    const cmk = report.notChecked.filter((n) => /batchcmk/.test(n.resource));
    expect(cmk.map((n) => [n.resource.split('/').pop(), n.rules])).toEqual([
      ['batchcmk', ['MI019', 'MI020', 'MI021']],
      ['batchcmknoaccess', ['MI019', 'MI020', 'MI021']],
      ['batchcmknopurge', ['MI019', 'MI020', 'MI021']],
    ]);
    expect(cmk[0]?.reason).toMatch(/Microsoft\.KeyVault\/vaults\/read/);
    expect(report.findings.filter((f) => ['MI019', 'MI020', 'MI021'].includes(f.rule))).toEqual([]);
    // The rest is still diagnosed.
    expect(report.findings.filter((f) => f.rule === 'MI004').map((f) => f.resourceName)).toEqual([
      'batchhealthy/packages-other-identity',
      'batchhealthy/starttask-other-identity',
    ]);
  });
});
