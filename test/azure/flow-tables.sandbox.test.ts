/**
 * The acceptance test of the guided flows (issue 7), against the seeded sandbox through the real
 * SDK clients: for each failing row of Azure's behaviour tables (RULES.md §1: A2, A3, A4, B2, B3,
 * B4) the doctor's finding → its flow (choices from the finding) → plan → apply, resize included
 * → after simulated time the pool's nodes are healthy (idle with packages / start task
 * succeeded) and the doctor reports no error for it. Re-running on the fixed configuration gives
 * an empty plan and sends no write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRunner } from '../../source/azure/flows/runner.js';
import { runDoctor } from '../../source/domain/doctor/engine.js';
import {
  choicesForFinding,
  isComplete,
  type FlowChoices,
} from '../../source/domain/plans/index.js';
import { MINUTE, startFlowSandbox, writes, type FlowSandbox } from './flow-fixture.js';

let fx: FlowSandbox;
let runner: FlowRunner;

beforeAll(async () => {
  fx = await startFlowSandbox();
  runner = await fx.operator.runner();
  // Let the seeded pools settle into their rows (boot, start task).
  fx.advance(30 * MINUTE);
});
afterAll(() => fx.stop());

/** The doctor's error finding on the pool, and the flow choices it leads to. */
async function findingFor(account: string, pool: string, rule: string): Promise<FlowChoices> {
  const snapshot = await fx.operator.collector.collect(
    { account },
    { now: () => new Date(fx.sandbox.clock.now()) },
  );
  const finding = runDoctor(snapshot).findings.find(
    (f) => f.rule === rule && f.resource.toLowerCase() === fx.poolId(account, pool).toLowerCase(),
  );
  expect(finding, `${rule} on ${account}/${pool}`).toBeDefined();
  const suggested = finding && choicesForFinding(finding, snapshot);
  if (!suggested || !isComplete(suggested)) throw new Error(`${rule}: choices incomplete`);
  return suggested.choices;
}

async function expectHealthy(account: string, pool: string, workload: 'packages' | 'starttask') {
  const nodes = await fx.nodes(account, pool);
  expect(nodes.map((n) => n.state)).toEqual(['idle', 'idle']);
  expect(
    nodes.flatMap((n) => [...n.errors.map((e) => e.code), n.startTaskFailure?.code ?? []].flat()),
  ).toEqual([]);
  if (workload === 'packages')
    for (const n of fx.worldNodes(account, pool))
      expect(n.applicationPackagesDownloaded).not.toEqual([]);
  else
    for (const n of fx.worldNodes(account, pool)) expect(n.startTaskInfo?.result).toBe('success');
}

/** Plans the choices again and applies: nothing to do, and not one write leaves the client. */
async function expectIdempotent(choices: FlowChoices) {
  fx.operator.log.reset();
  const { result } = await runner.plan(choices);
  if (!result.ok) throw new Error(result.problem);
  expect(result.plan.steps).toEqual([]);
  const report = await runner.apply(result.plan, { confirmed: true });
  expect(report.outcome).toBe('nothing-to-do');
  expect(writes(fx.operator.log)).toEqual([]);
}

const SCENARIOS: Array<{
  rows: string;
  account: string;
  pool: string;
  rule: string;
  flow: FlowChoices['flow'];
  steps: string[];
  healthy: Array<[pool: string, workload: 'packages' | 'starttask']>;
}> = [
  {
    rows: 'A2 + B2 (node identity reference without a data role)',
    account: 'batchnorole',
    pool: 'packages-no-role',
    rule: 'MI005',
    flow: 'autostorage-mi',
    steps: ['create-role-assignment', 'create-role-assignment', 'resize-pool', 'resize-pool'],
    healthy: [
      ['packages-no-role', 'packages'],
      ['starttask-no-role', 'starttask'],
    ],
  },
  {
    rows: 'A3 + B3 (no node identity reference)',
    account: 'batchnoref',
    pool: 'packages-no-reference',
    rule: 'MI003',
    flow: 'autostorage-mi',
    steps: ['patch-account-autostorage', 'resize-pool', 'resize-pool'],
    healthy: [
      ['packages-no-reference', 'packages'],
      ['starttask-no-reference', 'starttask'],
    ],
  },
  {
    rows: 'A4 (pool created with a different identity, packages)',
    account: 'batchhealthy',
    pool: 'packages-other-identity',
    rule: 'MI004',
    flow: 'pool-identity',
    steps: ['patch-pool-identity', 'resize-pool'],
    healthy: [['packages-other-identity', 'packages']],
  },
  {
    rows: 'B4 (pool created with a different identity, start-task files)',
    account: 'batchhealthy',
    pool: 'starttask-other-identity',
    rule: 'MI004',
    flow: 'pool-identity',
    steps: ['patch-pool-identity', 'resize-pool'],
    healthy: [['starttask-other-identity', 'starttask']],
  },
];

describe.each(SCENARIOS)('$rows', (s) => {
  let choices: FlowChoices;

  it(`the doctor names ${s.rule}; its flow plans the fix`, async () => {
    const before = await fx.nodes(s.account, s.pool);
    expect(before.every((n) => n.state === 'idle')).toBe(s.rule === 'MI005');
    // A2: idle, but without packages — the failure the API does not show.
    if (s.rule === 'MI005')
      for (const n of fx.worldNodes(s.account, s.pool))
        expect(n.applicationPackagesDownloaded).toEqual([]);
    choices = await findingFor(s.account, s.pool, s.rule);
    expect(choices.flow).toBe(s.flow);
    const { result } = await runner.plan(choices);
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.steps.map((x) => x.kind)).toEqual(s.steps);
    expect(result.plan.steps.filter((x) => x.optional).map((x) => x.kind)).toEqual(
      s.steps.filter((k) => k === 'resize-pool'),
    );
  });

  it('applies step by step with progress, the resizes confirmed separately', async () => {
    const { result } = await runner.plan(choices);
    if (!result.ok) throw new Error(result.problem);
    const events: string[] = [];
    const report = await runner.apply(result.plan, {
      confirmed: result.plan.steps.filter((x) => x.optional).map((x) => x.id),
      onProgress: (e) => events.push(e.type),
    });
    expect(report.outcome, report.summary).toBe('completed');
    expect(report.steps.map((x) => x.status)).toEqual(s.steps.map(() => 'applied'));
    expect(events[0]).toBe('checking-permissions');
    expect(events.filter((e) => e === 'step-done')).toHaveLength(s.steps.length);
    expect(events).toContain('step-waiting');
  });

  it('after simulated time the nodes are healthy and verification passes', async () => {
    fx.advance(10 * MINUTE);
    for (const [pool, workload] of s.healthy) await expectHealthy(s.account, pool, workload);
    const { result } = await runner.plan(choices);
    if (!result.ok) throw new Error(result.problem);
    const verified = await runner.verify(result.plan);
    expect(verified.ok, verified.summary).toBe(true);
    expect(
      verified.verdict.findings.filter((f) => f.severity === 'error' || f.severity === 'critical'),
    ).toEqual([]);
  });

  it('a re-run on the fixed configuration plans nothing and writes nothing', async () => {
    await expectIdempotent(choices);
  });
});

describe('MI010 (identity changed after the nodes were allocated)', () => {
  it('flow 1 with the identity already on the pool offers only the resize; declined, it stays on offer', async () => {
    const choices: FlowChoices = {
      flow: 'pool-identity',
      accountId: fx.accountId('batchhealthy'),
      pool: 'identity-changed',
      identityId: fx.identityId('id-batch-nodes'),
    };
    const { result } = await runner.plan(choices);
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.steps.map((x) => `${x.kind}${x.optional ? '?' : ''}`)).toEqual([
      'resize-pool?',
    ]);
    fx.operator.log.reset();
    const declined = await runner.apply(result.plan);
    expect(declined.steps.map((x) => x.status)).toEqual(['skipped']);
    expect(writes(fx.operator.log)).toEqual([]);
    const again = await runner.plan(choices);
    expect(again.result.ok && again.result.plan.steps.length).toBe(1);
    const done = await runner.apply(result.plan, { confirmed: true });
    expect(done.outcome).toBe('completed');
    fx.advance(10 * MINUTE);
    await expectHealthy('batchhealthy', 'identity-changed', 'packages');
    await expectIdempotent(choices);
  });
});
