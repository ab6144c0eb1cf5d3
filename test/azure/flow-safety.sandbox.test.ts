/**
 * The flows' safety against the seeded sandbox, through the real SDK clients (SPEC §7, issue 7):
 * a Reader-only operator is told what is missing before anything is applied; read-only mode
 * calls nothing; a fault injected mid-plan gives an exact partial report and a re-run completes
 * it; a pool changed concurrently is reported, not overwritten; a resize stopped at 0 is resumed;
 * applied changes are audited without secrets.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRunner } from '../../source/azure/flows/runner.js';
import {
  appliedSteps,
  describeReport,
  failedStep,
  notAppliedSteps,
  type FlowChoices,
  type Plan,
} from '../../source/domain/plans/index.js';
import { AuditLog } from '../../source/flows-audit.js';
import { SEED } from '../../source/sandbox/world/seed.js';
import { MINUTE, startFlowSandbox, writes, type FlowSandbox } from './flow-fixture.js';

let fx: FlowSandbox;
let runner: FlowRunner;
let dir: string;
let audit: AuditLog;

beforeAll(async () => {
  fx = await startFlowSandbox();
  dir = await mkdtemp(path.join(os.tmpdir(), 'flows-audit-'));
  audit = new AuditLog(path.join(dir, 'audit.jsonl'));
  runner = await fx.operator.runner({ audit });
  fx.advance(30 * MINUTE);
});
afterAll(async () => {
  await fx.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => fx.sandbox.faults.clear());

async function planOf(r: FlowRunner, choices: FlowChoices): Promise<Plan> {
  const { result } = await r.plan(choices);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const noRole = (): FlowChoices => ({
  flow: 'autostorage-mi',
  accountId: fx.accountId('batchnorole'),
  storageAccountId: fx.storageId('stbatchauto'),
  nodeIdentityId: fx.identityId('id-batch-nodes-norole'),
});

describe('Reader-only operator', () => {
  it('is told which permission is missing, for which step, before anything is applied', async () => {
    const reader = await fx.reader.runner();
    expect(reader.caller.label).toBe(`app ${SEED.reader.clientId}`);
    const plan = await planOf(reader, noRole());
    expect(plan.steps.length).toBeGreaterThan(0);
    const check = await reader.checkPermissions(plan);
    expect(check.verdict).toBe('denied');
    // The grants (MI005, MI002) and the optional resizes.
    expect([...new Set(check.missing.map((m) => m.action))]).toEqual([
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Batch/batchAccounts/pools/write',
    ]);
    expect(check.missing[0]?.held).toEqual(['Reader']);

    const assignments = fx.sandbox.world.roleAssignments.size;
    fx.reader.log.reset();
    const report = await reader.apply(plan, { confirmed: true });
    expect(report.outcome).toBe('denied');
    expect(appliedSteps(report)).toEqual([]);
    expect(writes(fx.reader.log)).toEqual([]);
    expect(fx.sandbox.world.roleAssignments.size).toBe(assignments);
    expect(report.toFinish[0]).toMatch(
      /^You \(app .+\) may not perform Microsoft\.Authorization\/roleAssignments\/write on stbatchauto .*your roles there: Reader\. Ask for Owner/,
    );
  });
});

describe('read-only mode', () => {
  it('applies nothing and calls nothing', async () => {
    const ro = await fx.operator.runner({ readOnly: () => true });
    const plan = await planOf(ro, noRole());
    fx.operator.log.reset();
    const report = await ro.apply(plan, { confirmed: true });
    expect(report).toMatchObject({
      outcome: 'read-only',
      summary: 'Read-only mode: nothing applied.',
    });
    expect(fx.operator.log.entries).toEqual([]);
  });
});

describe('a fault mid-plan', () => {
  const choices = (): FlowChoices => ({
    flow: 'autostorage-mi',
    accountId: fx.accountId('batchnoref'),
    storageAccountId: fx.storageId('stbatchauto'),
    nodeIdentityId: fx.identityId('id-batch-nodes-norole'),
  });

  it('500 on the role-assignment PUT: the report lists exactly what was applied and what was not', async () => {
    const plan = await planOf(runner, choices());
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'patch-pool-identity',
      'patch-pool-identity',
      'create-role-assignment',
      'patch-account-autostorage',
      'resize-pool',
      'resize-pool',
    ]);
    fx.sandbox.faults.add({
      listener: 'arm',
      match: /^PUT .*roleAssignments\//i,
      kind: 'error',
      status: 500,
      times: 1,
    });
    const report = await runner.apply(plan, { confirmed: true });
    expect(report.outcome).toBe('failed');
    expect(appliedSteps(report).map((s) => s.step.id)).toEqual([
      'pool-identity:batchnoref/packages-no-reference',
      'pool-identity:batchnoref/starttask-no-reference',
    ]);
    expect(failedStep(report)).toMatchObject({
      step: { id: 'role:Storage Blob Data Reader:id-batch-nodes-norole:stbatchauto' },
      error: { kind: 'Network', statusCode: 500 },
    });
    expect(notAppliedSteps(report).map((s) => s.step.kind)).toEqual([
      'patch-account-autostorage',
      'resize-pool',
      'resize-pool',
    ]);
    expect(report.summary).toMatch(
      /^2 steps applied, 4 steps not applied: step "Grant Storage Blob Data Reader/,
    );
    expect(report.toFinish).toContain(plan.steps[3]?.az);
    expect(describeReport(report).join('\n')).toContain('To undo what was applied:');
    // Azure holds exactly that: identities on the pools, no reference yet.
    const account = fx.sandbox.world.batchAccounts.get(fx.accountId('batchnoref').toLowerCase());
    expect(account?.autoStorage?.nodeIdentityReference).toBeUndefined();
  });

  it('a re-run re-plans from Azure and completes what was left', async () => {
    const plan = await planOf(runner, choices());
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'create-role-assignment',
      'patch-account-autostorage',
      'resize-pool',
      'resize-pool',
    ]);
    const report = await runner.apply(plan, { confirmed: true });
    expect(report.outcome, report.summary).toBe('completed');
    fx.advance(10 * MINUTE);
    for (const pool of ['packages-no-reference', 'starttask-no-reference'])
      expect((await fx.nodes('batchnoref', pool)).map((n) => n.state)).toEqual(['idle', 'idle']);
    expect((await planOf(runner, choices())).steps).toEqual([]);
  });
});

describe('optimistic concurrency', () => {
  const choices = (): FlowChoices => ({
    flow: 'pool-identity',
    accountId: fx.accountId('batchhealthy'),
    pool: 'starttask-other-identity',
    identityId: fx.identityId('id-batch-nodes'),
  });

  it('a pool changed after the plan was read is reported, not overwritten', async () => {
    const plan = await planOf(runner, choices());
    fx.advance(1000);
    // Someone else scales the pool meanwhile (a new ETag).
    await fx.operator.clients
      .batchManagement()
      .poolOperations.update('rg-batch', 'batchhealthy', 'starttask-other-identity', {
        scaleSettings: { fixedScale: { targetDedicatedNodes: 3, targetLowPriorityNodes: 0 } },
      });
    const report = await runner.apply(plan, { confirmed: true });
    expect(report.outcome).toBe('conflict');
    expect(failedStep(report)?.error).toMatchObject({ kind: 'Conflict', statusCode: 412 });
    expect(report.summary).toContain('was changed by someone else since the plan was read');
    const pool = fx.sandbox.world.pools.get(
      fx.poolId('batchhealthy', 'starttask-other-identity').toLowerCase(),
    );
    expect(
      Object.keys(pool?.identity?.userAssignedIdentities ?? {}).map((id) => id.split('/').pop()),
    ).toEqual(['id-workload']);
    expect(pool?.properties.scaleSettings).toMatchObject({
      fixedScale: { targetDedicatedNodes: 3 },
    });
  });

  it('planned again from the pool as it is now, the flow goes through and keeps their size', async () => {
    fx.advance(5 * MINUTE);
    const plan = await planOf(runner, choices());
    const resize = plan.steps.find((s) => s.kind === 'resize-pool');
    expect(resize && 'size' in resize ? resize.size : undefined).toEqual({
      dedicated: 3,
      lowPriority: 0,
    });
    const report = await runner.apply(plan, { confirmed: true });
    expect(report.outcome, report.summary).toBe('completed');
  });
});

describe('a resize stopped at 0 nodes', () => {
  it('is reported with the size to restore, and the re-run sizes the pool back', async () => {
    const choices: FlowChoices = {
      flow: 'pool-identity',
      accountId: fx.accountId('batchhealthy'),
      pool: 'packages-other-identity',
      identityId: fx.identityId('id-batch-nodes'),
    };
    const plan = await planOf(runner, choices);
    const report = await runner.apply(plan, {
      confirmed: true,
      onProgress: (e) => {
        if (e.type === 'step-waiting' && e.message.includes('release its nodes'))
          fx.sandbox.faults.add({
            listener: 'arm',
            match: /^PATCH .*pools\/packages-other-identity/i,
            kind: 'error',
            status: 503,
            times: 1,
          });
      },
    });
    expect(report.outcome).toBe('failed');
    expect(report.resume.restore).toEqual([
      {
        poolId: fx.poolId('batchhealthy', 'packages-other-identity'),
        dedicated: 2,
        lowPriority: 0,
      },
    ]);
    expect(report.toFinish[0]).toContain('is at 0 nodes');
    const resumed = await planOf(runner, report.resume);
    expect(resumed.steps.map((s) => `${s.kind}${s.optional ? '?' : ''}`)).toEqual(['resize-pool']);
    expect((await runner.apply(resumed)).outcome).toBe('completed');
    fx.advance(10 * MINUTE);
    expect((await fx.nodes('batchhealthy', 'packages-other-identity')).map((n) => n.state)).toEqual(
      ['idle', 'idle'],
    );
  });
});

describe('audit log', () => {
  it('has a line per applied change: what, where, when, by whom — and no secret', async () => {
    const { entries, skipped } = await audit.read();
    expect(skipped).toBe(0);
    expect(entries.length).toBeGreaterThan(5);
    expect(
      entries.every((e) => e.by.label === `app ${SEED.operator.clientId}` && e.by.objectId),
    ).toBe(true);
    expect(entries.map((e) => e.outcome)).toContain('failed');
    expect(
      entries.find((e) => e.kind === 'create-role-assignment' && e.outcome === 'applied'),
    ).toMatchObject({
      target: fx.storageId('stbatchauto'),
      flow: 'autostorage-mi',
    });
    const text = await readFile(audit.path, 'utf8');
    expect(text).not.toContain(SEED.operator.clientSecret);
    expect(text).not.toMatch(/eyJ[\w-]{10,}\./);
  });
});
