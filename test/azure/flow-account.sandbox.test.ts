/**
 * Flow 3 (account identity) against the seeded sandbox through the real SDK clients: a new
 * system-assigned identity whose principal exists only once the PATCH has run gets its
 * autostorage role afterwards (resolved by re-reading the account); a user-assigned one gets its
 * role first. Also: read-only enforced by the gateways alone is reported the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../source/azure/collector.js';
import { FlowRunner } from '../../source/azure/flows/runner.js';
import type { FlowRunner as Runner } from '../../source/azure/flows/runner.js';
import type { FlowChoices, Plan } from '../../source/domain/plans/index.js';
import { MINUTE, startFlowSandbox, writes, type FlowSandbox } from './flow-fixture.js';

let fx: FlowSandbox;
let runner: Runner;

beforeAll(async () => {
  fx = await startFlowSandbox();
  runner = await fx.operator.runner();
  fx.advance(30 * MINUTE);
});
afterAll(() => fx.stop());

async function planOf(choices: FlowChoices, r: Runner = runner): Promise<Plan> {
  const { result } = await r.plan(choices);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

describe('flow 3: account identity', () => {
  it('system-assigned: the PATCH, then the autostorage role for the principal it created', async () => {
    const choices: FlowChoices = {
      flow: 'account-identity',
      accountId: fx.accountId('batchfirewall'),
      identity: { type: 'SystemAssigned' },
    };
    const plan = await planOf(choices);
    expect(plan.steps.map((s) => s.id)).toEqual([
      'account-identity:batchfirewall',
      'role:Storage Blob Data Contributor:batchfirewall (system-assigned):stbatchfirewall',
    ]);
    expect(plan.steps[0]?.changes).toEqual([
      { path: 'identity', before: ['id-batch-account'], after: 'SystemAssigned' },
    ]);
    const report = await runner.apply(plan);
    expect(report.outcome, report.summary).toBe('completed');
    const account = fx.sandbox.world.batchAccounts.get(fx.accountId('batchfirewall').toLowerCase());
    const principalId = account?.identity.principalId ?? '';
    expect(account?.identity.type).toBe('SystemAssigned');
    expect(
      [...fx.sandbox.world.roleAssignments.values()].some(
        (a) =>
          a.principalId === principalId &&
          a.scope.toLowerCase() === fx.storageId('stbatchfirewall').toLowerCase(),
      ),
    ).toBe(true);
    const verified = await runner.verify(plan);
    expect(
      verified.verdict.findings.filter((f) => f.rule === 'MI001' || f.rule === 'MI002'),
    ).toEqual([]);
    expect(verified.propagation.recheckAt).toBeInstanceOf(Date);
    expect(verified.summary).toContain('re-check after');
    fx.operator.log.reset();
    expect((await planOf(choices)).steps).toEqual([]);
    expect(writes(fx.operator.log)).toEqual([]);
  });

  it('user-assigned, added: the role first, then the identity', async () => {
    const choices: FlowChoices = {
      flow: 'account-identity',
      accountId: fx.accountId('batchnorole'),
      identity: { type: 'UserAssigned', resourceId: fx.identityId('id-workload') },
    };
    const plan = await planOf(choices);
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'create-role-assignment',
      'patch-account-identity',
    ]);
    expect((await runner.apply(plan)).outcome).toBe('completed');
    expect((await planOf(choices)).steps).toEqual([]);
  });
});

describe('choices naming what does not exist', () => {
  it('an identity that is not there is named before anything is planned', async () => {
    await expect(
      runner.plan({
        flow: 'pool-identity',
        accountId: fx.accountId('batchhealthy'),
        pool: 'two-identities',
        identityId: fx.identityId('id-deleted'),
      }),
    ).rejects.toMatchObject({
      kind: 'Invalid',
      message: expect.stringContaining('There is no user-assigned identity id-deleted') as unknown,
    });
  });
});

describe('read-only enforced by the gateways alone', () => {
  it('is reported as "nothing applied", and no write leaves the client', async () => {
    const collector = createCollector(
      fx.operator.clients,
      { armEndpoint: fx.profile.armEndpoint },
      { readOnly: true },
    );
    const unaware = new FlowRunner({
      collector,
      caller: runner.caller,
      now: () => new Date(fx.sandbox.clock.now()),
    });
    const plan = await planOf(
      {
        flow: 'pool-identity',
        accountId: fx.accountId('batchhealthy'),
        pool: 'two-identities',
        identityId: fx.identityId('id-batch-account'),
      },
      unaware,
    );
    expect(plan.steps.length).toBeGreaterThan(0);
    fx.operator.log.reset();
    const report = await unaware.apply(plan, { confirmed: true });
    expect(report.outcome).toBe('read-only');
    expect(report.steps[0]?.error?.message).toContain('read-only mode: refused to');
    expect(writes(fx.operator.log)).toEqual([]);
  });
});
