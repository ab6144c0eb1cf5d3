/**
 * Azure's behaviour tables (RULES.md §1, tables A and B) as the doctor's acceptance test: each
 * row is built in the sandbox through ARM with the real SDK clients, simulated time passes so the
 * nodes settle as Azure's would, then the collector and the rules run. The doctor must name the
 * rule that explains the row and nothing else of severity error for that pool (A1/B1: nothing).
 * Then configurations are changed through ARM, and the next run follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  createIdentity,
  createPool,
  errorsOf,
  findingsOf,
  grant,
  startDoctorSandbox,
  type DoctorSandbox,
  type Workload,
} from './collector-fixture.js';

const RG = 'rg-batch';
let d: DoctorSandbox;
let storage: string;
const ids: Record<string, { id: string; principalId: string }> = {};
const accounts: Record<string, string> = {};
const pools: Record<string, string> = {};

/** row → account (reference set with role / set without role / not set), pool identity, workload. */
const ROWS: Array<
  [
    row: string,
    account: 'tset' | 'tnorole' | 'tnoref',
    identity: 'reference' | 'other',
    workload: Workload,
    rule: string | undefined,
    nodes: RegExp,
  ]
> = [
  ['A1', 'tset', 'reference', 'packages', undefined, /^2 idle$/],
  ['A2', 'tnorole', 'reference', 'packages', 'MI005', /^2 idle$/],
  ['A3', 'tnoref', 'reference', 'packages', 'MI003', /^2 starting$/],
  ['A3 (other identity)', 'tnoref', 'other', 'packages', 'MI003', /^2 starting$/],
  ['A4', 'tset', 'other', 'packages', 'MI004', /^2 unusable \(ApplicationPackageError\)$/],
  [
    'A4 (no role)',
    'tnorole',
    'other',
    'packages',
    'MI004',
    /^2 unusable \(ApplicationPackageError\)$/,
  ],
  ['B1', 'tset', 'reference', 'starttask', undefined, /^2 idle$/],
  [
    'B2',
    'tnorole',
    'reference',
    'starttask',
    'MI005',
    /^2 starttaskfailed \(ResourceContainerAccessDenied\)$/,
  ],
  [
    'B3',
    'tnoref',
    'reference',
    'starttask',
    'MI003',
    /^2 starttaskfailed \(ResourceContainerAccessDenied\)$/,
  ],
  [
    'B3 (other identity)',
    'tnoref',
    'other',
    'starttask',
    'MI003',
    /^2 starttaskfailed \(ResourceContainerAccessDenied\)$/,
  ],
  [
    'B4',
    'tset',
    'other',
    'starttask',
    'MI004',
    /^2 starttaskfailed \(ResourceContainerListMiscError\)$/,
  ],
];
const poolName = (row: string) =>
  `row-${row
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-$/, '')}`;

beforeAll(async () => {
  d = await startDoctorSandbox();
  storage = `/subscriptions/${d.batch.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stbatchauto`;
  for (const name of ['t-account', 't-ref', 't-ref-norole', 't-other'])
    ids[name] = await createIdentity(d, 'rg-identity', name);
  const identity = (name: string) => ids[name] ?? { id: '', principalId: '' };
  await grant(d, identity('t-account').principalId, 'Storage Blob Data Contributor', storage);
  await grant(d, identity('t-ref').principalId, 'Storage Blob Data Reader', storage);
  const reference = { tset: 't-ref', tnorole: 't-ref-norole', tnoref: undefined } as const;
  for (const name of ['tset', 'tnorole', 'tnoref'] as const) {
    const ref = reference[name];
    accounts[name] = await createAccount(d, {
      resourceGroup: RG,
      name,
      accountIdentity: identity('t-account').id,
      storageAccountId: storage,
      ...(ref ? { nodeIdentityReference: identity(ref).id } : {}),
    });
  }
  for (const [row, account, which, workload] of ROWS) {
    const poolIdentity =
      which === 'other' ? identity('t-other').id : identity(reference[account] ?? 't-ref').id;
    const created = await createPool(
      d,
      RG,
      account,
      accounts[account] ?? '',
      poolName(row),
      poolIdentity,
      workload,
    );
    pools[row] = created.id ?? '';
  }
  // Rows settle within minutes (allocate, boot, start task); after 15 the role assignments are
  // past the 10-minute propagation window (MI006). Tokens live about an hour on this clock, so
  // the tests below keep their steps small.
  d.sandbox.clock.advance(15 * 60_000);
}, 120_000);
afterAll(() => d?.stop());

describe('tables A and B, built through ARM', () => {
  it.each(ROWS)(
    '%s: the doctor names %s (nothing else of severity error)',
    async (row, account, _which, _workload, rule, nodes) => {
      const { report } = await d.doctor({ account });
      const pool = pools[row] ?? '';
      expect(errorsOf(report, pool)).toEqual(rule ? [rule] : []);
      expect(errorsOf(report, accounts[account] ?? '')).toEqual([]);
      if (!rule) expect(findingsOf(report, pool)).toEqual([]);
      else {
        const finding = report.findings.find((f) => f.rule === rule && f.resource === pool);
        expect(finding?.evidence.nodes).toMatch(nodes);
      }
      expect(report.notChecked).toEqual([]);
    },
  );

  it('the whole account at once gives the same verdicts as the rows one by one', async () => {
    const { report } = await d.doctor({ account: 'tset' });
    expect(report.findings.map((f) => [f.rule, f.resourceName])).toEqual([
      ['MI004', 'tset/row-a4'],
      ['MI004', 'tset/row-b4'],
    ]);
  });
});

describe('a change made through ARM shows in the next run', () => {
  it('A2 → granting the reference identity its data role clears MI005 (MI006 warns while it propagates)', async () => {
    const pool = pools.A2 ?? '';
    expect(errorsOf((await d.doctor({ account: 'tnorole' })).report, pool)).toEqual(['MI005']);
    await grant(d, ids['t-ref-norole']?.principalId ?? '', 'Storage Blob Data Reader', storage);
    expect(findingsOf((await d.doctor({ account: 'tnorole' })).report, pool)).toEqual([
      ['MI006', 'warning'],
    ]);
    d.sandbox.clock.advance(11 * 60_000);
    expect(findingsOf((await d.doctor({ account: 'tnorole' })).report, pool)).toEqual([]);
  });

  it('A4 → attaching the reference identity clears MI004, old nodes are MI010, resizing to 0 and back clears it', async () => {
    const row = 'A4';
    const name = poolName(row);
    const pool = pools[row] ?? '';
    const reference = ids['t-ref']?.id ?? '';
    expect(errorsOf((await d.doctor({ account: 'tset', pool: name })).report, pool)).toEqual([
      'MI004',
    ]);

    d.sandbox.clock.advance(60_000);
    await d.batch.poolOperations.update(RG, 'tset', name, {
      identity: { type: 'UserAssigned', userAssignedIdentities: { [reference]: {} } },
    });
    const afterPatch = (await d.doctor({ account: 'tset', pool: name })).report;
    expect(findingsOf(afterPatch, pool)).toEqual([['MI010', 'warning']]);
    expect(afterPatch.findings[0]?.evidence.nodes).toBe('2 unusable (ApplicationPackageError)');

    await d.batch.poolOperations.update(RG, 'tset', name, {
      scaleSettings: { fixedScale: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0 } },
    });
    d.sandbox.clock.advance(5 * 60_000);
    await d.batch.poolOperations.update(RG, 'tset', name, {
      scaleSettings: { fixedScale: { targetDedicatedNodes: 2, targetLowPriorityNodes: 0 } },
    });
    d.sandbox.clock.advance(5 * 60_000);
    const { report, snapshot } = await d.doctor({ account: 'tset', pool: name });
    expect(findingsOf(report, pool)).toEqual([]);
    expect(snapshot.accounts[0]?.pools?.[0]?.nodes?.map((n) => n.state)).toEqual(['idle', 'idle']);
  });

  it('A3 → setting the node identity reference on the account clears MI003 for its pools', async () => {
    await d.batch.batchAccountOperations.update(RG, 'tnoref', {
      autoStorage: {
        storageAccountId: storage,
        authenticationMode: 'BatchAccountManagedIdentity',
        nodeIdentityReference: { resourceId: ids['t-ref']?.id ?? '' },
      },
    });
    const { report } = await d.doctor({ account: 'tnoref' });
    expect(report.findings.filter((f) => f.rule === 'MI003')).toEqual([]);
    // The pools whose identity is another one now fall under Table A/B row 4.
    expect(errorsOf(report, pools['A3 (other identity)'] ?? '')).toEqual(['MI004']);
    expect(errorsOf(report, pools['B3 (other identity)'] ?? '')).toEqual(['MI004']);
  });
});
