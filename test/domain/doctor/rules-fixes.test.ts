/**
 * The healthy configuration is clean; fixes name real ids; symptom rules give way to the
 * configuration rule that explains the nodes.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../source/domain/doctor/engine.js';
import type { Snapshot } from '../../../source/domain/doctor/types.js';
import {
  STORAGE,
  cmkAccount,
  dropAssignments,
  healthy,
  identityId,
  mainPool,
  node,
  ref,
  startTaskOnly,
  vault,
} from './world.js';

const rulesOf = (s: Snapshot) => runDoctor(s).findings.map((f) => f.rule);

describe('the healthy configuration (A1 and a healthy CMK account)', () => {
  it('yields no finding and checks everything', () => {
    const report = runDoctor(healthy());
    expect(report.findings).toEqual([]);
    expect(report.notChecked).toEqual([]);
  });
});

describe('findings carry real ids in their fixes', () => {
  it('MI005 grants Storage Blob Data Reader to the reference principal on the autostorage account', () => {
    const s = healthy();
    dropAssignments(s, 'pid-id-nodes');
    const f = runDoctor(s).findings.find((x) => x.rule === 'MI005');
    expect(f?.fix).toMatchObject({
      flow: 'autostorage-mi',
      az: `az role assignment create --assignee-object-id pid-id-nodes --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${STORAGE}`,
    });
    expect(f?.resource).toBe(mainPool(s).pool.id);
  });

  it('MI004 patches the pool with its identities plus the reference', () => {
    const s = healthy();
    mainPool(s).pool.identity.userAssignedIdentities = [ref('id-workload')];
    const f = runDoctor(s).findings.find((x) => x.rule === 'MI004');
    expect(f?.fix.az).toContain(
      `--url "https://management.azure.com${mainPool(s).pool.id}?api-version=2023-11-01"`,
    );
    expect(f?.fix.az).toContain(`"${identityId('id-workload')}":{}`);
    expect(f?.fix.az).toContain(`"${identityId('id-nodes')}":{}`);
    expect(f?.fix.flow).toBe('pool-identity');
  });

  it('MI021 sets an access policy for the account identity on the vault', () => {
    const s = healthy();
    vault(s).accessPolicies = [];
    const f = runDoctor(s).findings.find((x) => x.rule === 'MI021');
    expect(f).toMatchObject({ severity: 'critical', resource: cmkAccount(s).id });
    expect(f?.fix.az).toBe(
      'az keyvault set-policy -n kv-cmk --object-id pid-id-cmk --key-permissions get wrapKey unwrapKey',
    );
  });
});

describe('symptom rules stay quiet when configuration explains the nodes', () => {
  it('MI018 gives way to MI005 (B2)', () => {
    const s = healthy();
    dropAssignments(s, 'pid-id-nodes');
    startTaskOnly(s);
    mainPool(s).nodes = [
      node('tvm-1', {
        state: 'starttaskfailed',
        startTaskFailure: {
          code: 'ResourceContainerAccessDenied',
          message: 'Access for one of the specified Azure Blob container(s) is denied',
        },
      }),
    ];
    expect(rulesOf(s)).toEqual(['MI005']);
  });

  it('MI028 gives way to MI021 (CMK without access makes nodes unavailable)', () => {
    const s = healthy();
    vault(s).accessPolicies = [];
    const w = s.accounts[1]?.pools?.[0];
    if (w) w.nodes = [node('tvm-9', { state: 'unusable' })];
    expect(rulesOf(s)).toEqual(['MI021']);
  });

  it('MI003, MI004 and MI005 are warnings on a pool that takes nothing from autostorage', () => {
    const s = healthy();
    mainPool(s).pool.applicationPackages = [];
    mainPool(s).pool.identity.userAssignedIdentities = [ref('id-workload')];
    expect(runDoctor(s).findings.map((f) => [f.rule, f.severity])).toEqual([['MI004', 'warning']]);
  });
});
