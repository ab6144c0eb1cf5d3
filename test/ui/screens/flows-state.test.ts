/**
 * The Flows screen's reducer, gate and choices: pure, table-driven. What is picked and in which
 * order, when planning starts, how the permission pre-check gates the confirmations, how each
 * optional step is confirmed on its own, how progress folds into the checklist, and what `r`
 * does after a run.
 */
import { describe, expect, it } from 'vitest';
import type { BatchAccountSummary } from '../../../source/domain/model.js';
import type {
  ApplyReport,
  PermissionCheck,
  Plan,
  PlanStep,
} from '../../../source/domain/plans/index.js';
import { choicesOf, picksFor } from '../../../source/ui/screens/flows/choices.js';
import { gateOf } from '../../../source/ui/screens/flows/gate.js';
import {
  accountFlowStart,
  flowsListStart,
  startKey,
} from '../../../source/ui/screens/flows/start.js';
import { foldProgress } from '../../../source/ui/screens/flows/progress.js';
import {
  flowReducer,
  initialFlowState,
  pendingWork,
} from '../../../source/ui/screens/flows/state.js';
import type { FlowAction, FlowState } from '../../../source/ui/screens/flows/state.js';

const ACCOUNT_ID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct';
const ID = (name: string) =>
  `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const account = (identity: 'None' | 'SystemAssigned' | 'UserAssigned'): BatchAccountSummary => ({
  id: ACCOUNT_ID,
  name: 'acct',
  resourceGroup: 'rg',
  subscriptionId: 's',
  location: 'westeurope',
  identity: { type: identity, userAssignedIdentities: [] },
  encryption: { keySource: 'Microsoft.Batch' },
  allowedAuthenticationModes: [],
  tags: {},
});

const step = (id: string, optional = false): PlanStep =>
  ({
    kind: optional ? 'resize-pool' : 'patch-pool-identity',
    id,
    title: `step ${id}`,
    target: ACCOUNT_ID,
    targetName: 'acct/p',
    changes: [],
    az: `az ${id}`,
    permissions: [],
    optional,
    reason: 'because',
  }) as unknown as PlanStep;

const planOf = (...steps: PlanStep[]): Plan => ({
  flow: 'pool-identity',
  title: 'Attach',
  choices: { flow: 'pool-identity', accountId: ACCOUNT_ID, pool: 'p', identityId: ID('a') },
  account: { id: ACCOUNT_ID, resourceGroup: 'rg', name: 'acct' },
  steps,
  warnings: [],
  basedOn: new Date(0),
});

const allowed: PermissionCheck = { verdict: 'allowed', missing: [], unknown: [], principal: 'me' };
const deniedFor = (stepId: string): PermissionCheck => ({
  verdict: 'denied',
  missing: [
    {
      action: 'Microsoft.Batch/batchAccounts/pools/write',
      scope: ACCOUNT_ID,
      why: 'change the pool',
      stepId,
      stepTitle: `step ${stepId}`,
      held: ['Reader'],
    },
  ],
  unknown: [],
  principal: 'me',
});

const poolStart = () =>
  initialFlowState({
    flow: 'pool-identity',
    draft: { accountId: ACCOUNT_ID, pool: 'p' },
    account: account('UserAssigned'),
  });

const run = (state: FlowState, ...actions: FlowAction[]) => actions.reduce(flowReducer, state);

/** A pool-identity flow with `plan` planned and the permission check answered. */
function planned(plan: Plan, check: PermissionCheck = allowed): FlowState {
  const s = run(poolStart(), {
    type: 'pick',
    value: { kind: 'poolIdentity', id: ID('a') },
  });
  return run(
    s,
    { type: 'planned', run: s.run, result: { ok: true, plan } },
    { type: 'permission', run: s.run, check },
  );
}

describe('what is picked, in order', () => {
  it.each([
    ['pool-identity', {}, undefined, ['account', 'pool', 'poolIdentity']],
    ['pool-identity', { accountId: ACCOUNT_ID, pool: 'p' }, undefined, ['poolIdentity']],
    [
      'autostorage-mi',
      { accountId: ACCOUNT_ID },
      'UserAssigned',
      ['storageAccount', 'nodeIdentity'],
    ],
    [
      'autostorage-mi',
      { accountId: ACCOUNT_ID },
      'None',
      ['storageAccount', 'nodeIdentity', 'accountIdentity'],
    ],
    ['account-identity', { accountId: ACCOUNT_ID }, 'SystemAssigned', ['accountIdentity']],
  ] as const)('%s from %j (account identity %s) asks %j', (flow, draft, identity, expected) => {
    expect(picksFor(flow, draft, identity ? account(identity) : undefined)).toEqual(expected);
  });

  it('asks only what a doctor finding left open', () => {
    const draft = { accountId: ACCOUNT_ID, storageAccountId: 'st' };
    expect(picksFor('autostorage-mi', draft, account('None'), ['nodeIdentity'])).toEqual([
      'nodeIdentity',
    ]);
  });

  it('gives the flow its choices once complete, and none before', () => {
    expect(choicesOf('pool-identity', { accountId: ACCOUNT_ID, pool: 'p' })).toBeUndefined();
    expect(
      choicesOf('account-identity', {
        accountId: ACCOUNT_ID,
        accountIdentity: { type: 'SystemAssigned' },
      }),
    ).toEqual({
      flow: 'account-identity',
      accountId: ACCOUNT_ID,
      identity: { type: 'SystemAssigned' },
    });
  });

  it('starts :flows on the flow list and `a` on the two account flows', () => {
    expect(initialFlowState(flowsListStart())).toMatchObject({ phase: 'pick', pick: 'flow' });
    const a = initialFlowState(accountFlowStart(account('None')));
    expect(a.offered).toEqual(['autostorage-mi', 'account-identity']);
    const s = run(a, { type: 'pick', value: { kind: 'flow', flow: 'autostorage-mi' } });
    expect(s).toMatchObject({ phase: 'pick', pick: 'storageAccount', flow: 'autostorage-mi' });
  });

  it('plans as soon as the last pick is made', () => {
    const s = run(poolStart(), {
      type: 'pick',
      value: { kind: 'poolIdentity', id: ID('a') },
    });
    expect(s).toMatchObject({ phase: 'planning', run: 1 });
    expect(pendingWork(s)).toEqual({ op: 'plan', run: 1 });
    expect(startKey(accountFlowStart(account('None')))).not.toBe(startKey(flowsListStart()));
  });
});

describe('plan, permission gate and confirmations', () => {
  it('checks permissions after a plan, and asks nothing while it runs', () => {
    const s = run(poolStart(), {
      type: 'pick',
      value: { kind: 'poolIdentity', id: ID('a') },
    });
    const p = flowReducer(s, {
      type: 'planned',
      run: s.run,
      result: { ok: true, plan: planOf(step('1')) },
    });
    expect(pendingWork(p)).toEqual({ op: 'permission', run: p.run });
    expect(flowReducer(p, { type: 'answer', yes: true, readOnly: false }).phase).toBe('plan');
  });

  it('drops answers of an older run', () => {
    const s = planned(planOf(step('1')));
    const stale = flowReducer(s, {
      type: 'planned',
      run: s.run - 1,
      result: { ok: false, problem: 'x' },
    });
    expect(stale).toBe(s);
  });

  it.each([
    ['nothing missing', allowed, { refused: false, prompts: ['required', 'r'], withheld: [] }],
    ['a required step', deniedFor('1'), { refused: true, prompts: [], withheld: [] }],
    [
      'the optional step',
      deniedFor('r'),
      { refused: false, prompts: ['required'], withheld: ['r'] },
    ],
  ] as const)('with %s missing', (_what, check, expected) => {
    const gate = gateOf(planOf(step('1'), step('r', true)), { status: 'done', value: check });
    expect({
      refused: gate.refused,
      prompts: gate.prompts.map((p) => (p.kind === 'required' ? 'required' : p.step.id)),
      withheld: gate.withheld.map((s) => s.id),
    }).toEqual(expected);
  });

  it.each([
    ['y y: both run', [true, true], 'applying', ['r']],
    ['y n: the resize is left out', [true, false], 'applying', []],
    ['n: declined, nothing applied', [false], 'plan', []],
  ] as const)('%s', (_what, answers, phase, confirmed) => {
    let s = planned(planOf(step('1'), step('r', true)));
    for (const yes of answers) s = flowReducer(s, { type: 'answer', yes, readOnly: false });
    expect(s.phase).toBe(phase);
    expect(s.confirmed).toEqual(confirmed);
    if (phase === 'plan') expect(s.notice).toBe('Declined: nothing was applied.');
    else expect(pendingWork(s)).toEqual({ op: 'apply', run: s.run });
  });

  it('refuses to apply in read-only mode, and when a required permission is missing', () => {
    const ro = flowReducer(planned(planOf(step('1'))), {
      type: 'answer',
      yes: true,
      readOnly: true,
    });
    expect(ro.phase).toBe('plan');
    expect(ro.notice).toMatch(/^Read-only/);
    const denied = planned(planOf(step('1')), deniedFor('1'));
    expect(flowReducer(denied, { type: 'answer', yes: true, readOnly: false }).phase).toBe('plan');
  });

  it('asks nothing for an empty plan', () => {
    const s = planned(planOf());
    expect(s.permission).toBeUndefined();
    expect(flowReducer(s, { type: 'answer', yes: true, readOnly: false })).toBe(s);
  });
});

describe('applying and after', () => {
  const applying = () =>
    run(
      planned(planOf(step('1'), step('2'), step('r', true))),
      {
        type: 'answer',
        yes: true,
        readOnly: false,
      },
      { type: 'answer', yes: false, readOnly: false },
    );

  it('folds progress into the checklist', () => {
    const s = applying();
    expect(s.progress.map((l) => l.status)).toEqual(['pending', 'pending', 'skipped']);
    const lines = foldProgress(s.progress, {
      type: 'step-waiting',
      index: 1,
      step: step('2'),
      message: 'waiting for the pool',
    });
    expect(lines[1]).toEqual({ status: 'waiting', note: 'waiting for the pool' });
  });

  const report = (outcome: ApplyReport['outcome'], statuses: string[]): ApplyReport =>
    ({
      flow: 'pool-identity',
      title: 'Attach',
      outcome,
      summary: outcome,
      steps: statuses.map((status, i) => ({ step: step(String(i)), status })),
      toFinish: [],
      resume: { flow: 'pool-identity', accountId: ACCOUNT_ID, pool: 'p', identityId: ID('b') },
      auditProblems: [],
    }) as ApplyReport;

  it.each([
    ['completed', ['applied', 'applied', 'skipped'], 'verify', false],
    ['failed', ['applied', 'failed', 'not-applied'], 'verify', true],
    ['denied', ['not-applied', 'not-applied', 'not-applied'], undefined, true],
  ] as const)('after %s: verify %s, r re-plans %s', (outcome, statuses, work, rerun) => {
    const s = applying();
    const done = flowReducer(s, {
      type: 'applied',
      run: s.run,
      report: report(outcome, [...statuses]),
    });
    expect(done.phase).toBe('report');
    expect(pendingWork(done)?.op).toBe(work);
    const settled = work
      ? flowReducer(done, {
          type: 'verifyFailed',
          run: done.run,
          problem: { text: 'x', next: 'y' },
        })
      : done;
    const again = flowReducer(settled, { type: 'refresh' });
    expect(again.phase).toBe(rerun ? 'planning' : 'report');
    if (rerun) expect(again.choices).toMatchObject({ identityId: ID('b') });
    else expect(pendingWork(again)?.op).toBe('verify');
  });
});
