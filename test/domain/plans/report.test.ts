/** Partial-failure reports, audit lines and the doctor-finding → flow choices. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../source/domain/doctor/types.js';
import {
  auditEntry,
  buildReport,
  choicesForFinding,
  describeReport,
  formatAuditEntry,
  planFlow,
  scrub,
  type Plan,
  type StepResult,
} from '../../../source/domain/plans/index.js';
import { ACCOUNT, STORAGE, batchOf, healthy, identityId, pkgPool, poolId, ref } from './world.js';

function plan(): Plan {
  const s = healthy([
    pkgPool({ identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-workload')] } }),
  ]);
  s.roleAssignments = s.roleAssignments.filter((a) => a.principalId !== 'pid-id-nodes');
  const r = planFlow(s, {
    flow: 'autostorage-mi',
    accountId: ACCOUNT,
    storageAccountId: STORAGE,
    nodeIdentityId: identityId('id-nodes'),
  });
  if (!r.ok) throw new Error(r.problem);
  return r.plan;
}

describe('apply report', () => {
  it('a failure half-way lists exactly what was applied, what failed and what was not, and how to finish', () => {
    const p = plan();
    expect(p.steps.map((s) => s.kind)).toEqual([
      'patch-pool-identity',
      'create-role-assignment',
      'resize-pool',
    ]);
    const [pool, role, resize] = p.steps;
    if (!pool || !role || !resize) throw new Error('steps');
    const steps: StepResult[] = [
      {
        step: pool,
        status: 'applied',
        detail: 'pool identities: id-workload, id-nodes',
        undo: pool.undo ?? '',
      },
      {
        step: role,
        status: 'failed',
        error: {
          kind: 'Network',
          message: 'Azure answered 500: InternalServerError',
          nextStep: 'try again',
          statusCode: 500,
        },
      },
      { step: resize, status: 'not-applied' },
    ];
    const r = buildReport({ plan: p, outcome: 'failed', steps });
    expect(r.summary).toBe(
      '1 step applied, 2 steps not applied: step "Grant Storage Blob Data Reader to id-nodes on stauto" failed: Azure answered 500: InternalServerError.',
    );
    expect(r.toFinish).toEqual([
      'To finish by hand, run:',
      role.az,
      resize.az,
      expect.stringContaining('run the flow again'),
    ]);
    const lines = describeReport(r);
    expect(lines.slice(1, 4)).toEqual([
      `✓ 1. ${pool.title} — applied (pool identities: id-workload, id-nodes)`,
      `✗ 2. ${role.title} — failed: Azure answered 500: InternalServerError`,
      `· 3. ${resize.title} — not-applied`,
    ]);
    expect(lines).toContain('To undo what was applied:');
  });

  it('a resize stopped at 0 is carried into the re-run choices', () => {
    const p = plan();
    const r = buildReport({
      plan: p,
      outcome: 'failed',
      steps: p.steps.map((step) => ({ step, status: 'not-applied' })),
      halfResized: { poolId: poolId('pkg'), dedicated: 2, lowPriority: 0 },
    });
    expect(r.resume.restore).toEqual([{ poolId: poolId('pkg'), dedicated: 2, lowPriority: 0 }]);
    expect(r.toFinish[0]).toContain('is at 0 nodes');
  });

  it('read-only and nothing-to-do say so in one sentence', () => {
    const p = plan();
    const none = p.steps.map((step): StepResult => ({ step, status: 'not-applied' }));
    expect(buildReport({ plan: p, outcome: 'read-only', steps: none }).summary).toBe(
      'Read-only mode: nothing applied.',
    );
    expect(
      buildReport({ plan: { ...p, steps: [] }, outcome: 'nothing-to-do', steps: [] }).summary,
    ).toContain('Nothing to change');
  });
});

describe('audit lines', () => {
  it('say what, where, when and by whom, and never carry a secret', () => {
    const p = plan();
    const step = p.steps[0];
    if (!step) throw new Error('step');
    const at = new Date('2025-06-01T12:00:00Z');
    const entry = auditEntry(
      {
        step,
        status: 'applied',
        detail: 'token eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4eHh4eHh4In0.c2lnbmF0dXJl leaked',
      },
      'autostorage-mi',
      { label: 'ops@contoso.com', objectId: 'oid-1' },
      at,
    );
    expect(entry).toMatchObject({
      at: '2025-06-01T12:00:00.000Z',
      by: { label: 'ops@contoso.com', objectId: 'oid-1' },
      flow: 'autostorage-mi',
      kind: 'patch-pool-identity',
      target: poolId('pkg'),
      outcome: 'applied',
      detail: 'token [redacted] leaked',
    });
    expect(formatAuditEntry(entry as NonNullable<typeof entry>)).toBe(
      '2025-06-01T12:00:00.000Z ops@contoso.com applied Pool batch/pkg: attach id-nodes on pkg [identity.userAssignedIdentities: [id-workload] → [id-workload, id-nodes]] (token [redacted] leaked)',
    );
    expect(
      auditEntry({ step, status: 'not-applied' }, 'autostorage-mi', { label: 'x' }, at),
    ).toBeUndefined();
    expect(scrub('https://st.blob.core.windows.net/c?sv=2021&sig=abc%2Bdef&se=1')).toBe(
      'https://st.blob.core.windows.net/c?sv=2021&[redacted]&se=1',
    );
  });
});

describe('doctor finding → flow choices', () => {
  const finding = (
    rule: Finding['rule'],
    resource: string,
    flow: Finding['fix']['flow'],
  ): Finding => ({
    rule,
    severity: 'error',
    resource,
    resourceName: 'x',
    symptom: '',
    evidence: {},
    fix: { az: '', ...(flow ? { flow } : {}) },
  });

  it('MI004 names the pool and the reference: complete', () => {
    const s = healthy([
      pkgPool({ identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-workload')] } }),
    ]);
    expect(choicesForFinding(finding('MI004', poolId('pkg'), 'pool-identity'), s)).toEqual({
      flow: 'pool-identity',
      choices: {
        flow: 'pool-identity',
        accountId: ACCOUNT,
        pool: 'pkg',
        identityId: identityId('id-nodes'),
      },
      needs: [],
    });
  });

  it('MI005 names storage and node identity; MI001 asks for an identity', () => {
    const s = healthy();
    expect(
      choicesForFinding(finding('MI005', poolId('pkg'), 'autostorage-mi'), s)?.choices,
    ).toMatchObject({
      storageAccountId: STORAGE,
      nodeIdentityId: identityId('id-nodes'),
    });
    batchOf(s).account.identity = { type: 'None', userAssignedIdentities: [] };
    expect(choicesForFinding(finding('MI001', ACCOUNT, 'account-identity'), s)?.needs).toEqual([
      'identity',
    ]);
    expect(choicesForFinding(finding('MI008', poolId('pkg'), undefined), s)).toBeUndefined();
  });
});
