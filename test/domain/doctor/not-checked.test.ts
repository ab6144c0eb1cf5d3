/** A rule whose data could not be read says so, with the reason, instead of guessing. */
import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  groupFindings,
  hasErrors,
  healthByResource,
  runDoctor,
} from '../../../source/domain/doctor/engine.js';
import {
  STORAGE,
  VAULT,
  cmkAccount,
  healthy,
  identityId,
  mainAccount,
  mainPool,
  ref,
} from './world.js';

describe('not checked', () => {
  it('role assignments on autostorage unreadable: MI002, MI005 and MI006 are not checked, not reported as missing', () => {
    const s = healthy();
    s.roleAssignments = [];
    s.roleAssignmentScopes = [VAULT];
    s.gaps.push({
      part: 'roleAssignments',
      resource: STORAGE,
      reason:
        'your identity may not perform Microsoft.Authorization/roleAssignments/read on stauto',
    });
    const report = runDoctor(s);
    expect(report.findings).toEqual([]);
    expect(report.notChecked).toEqual([
      {
        rules: ['MI002'],
        resource: mainAccount(s).id,
        reason:
          'your identity may not perform Microsoft.Authorization/roleAssignments/read on stauto',
      },
      {
        rules: ['MI005'],
        resource: mainPool(s).pool.id,
        reason:
          'your identity may not perform Microsoft.Authorization/roleAssignments/read on stauto',
      },
    ]);
  });

  it('key vaults unreadable (403): MI019, MI020 and MI021 are not checked for the CMK account', () => {
    const s = healthy();
    delete s.keyVaults;
    s.gaps.push({
      part: 'keyVaults',
      resource: `/subscriptions/${s.scope.subscriptionId}`,
      reason: 'list key vaults: forbidden (403)',
    });
    const report = runDoctor(s);
    expect(report.findings).toEqual([]);
    expect(report.notChecked).toEqual([
      {
        rules: ['MI019', 'MI020', 'MI021'],
        resource: cmkAccount(s).id,
        reason: 'list key vaults: forbidden (403)',
      },
    ]);
  });

  it('a vault in another subscription is named as such', () => {
    const s = healthy();
    s.keyVaults = [];
    expect(runDoctor(s).notChecked[0]?.reason).toMatch(
      /no vault at kv-cmk\.vault\.azure\.net is visible in subscription/,
    );
  });

  it('nodes unreadable: MI010, MI018 and MI028 are not checked for that pool', () => {
    const s = healthy();
    delete mainPool(s).nodes;
    s.gaps.push({
      part: 'nodes',
      resource: mainPool(s).pool.id,
      reason: 'list nodes of pool p: forbidden',
    });
    expect(runDoctor(s).notChecked).toEqual([
      {
        rules: ['MI010', 'MI018', 'MI028'],
        resource: mainPool(s).pool.id,
        reason: 'list nodes of pool p: forbidden',
      },
    ]);
  });

  it('pools unreadable: every per-pool rule is not checked for the account', () => {
    const s = healthy();
    const a = s.accounts[0];
    if (a) delete a.pools;
    s.gaps.push({ part: 'pools', resource: mainAccount(s).id, reason: 'list pools: forbidden' });
    const entry = runDoctor(s).notChecked.find((n) => n.resource === mainAccount(s).id);
    expect(entry?.rules).toContain('MI004');
    expect(entry?.reason).toBe('list pools: forbidden');
  });

  it('a deleted reference identity: MI005 not checked with the reason the identity could not be read', () => {
    const s = healthy();
    s.identities = s.identities.filter((i) => i.name !== 'id-nodes');
    mainPool(s).pool.identity.userAssignedIdentities = [
      { resourceId: identityId('id-nodes'), name: 'id-nodes' },
    ];
    s.gaps.push({
      part: 'identity',
      resource: identityId('id-nodes'),
      reason: 'not found: identity id-nodes',
    });
    expect(runDoctor(s).notChecked).toEqual([
      { rules: ['MI005'], resource: mainPool(s).pool.id, reason: 'not found: identity id-nodes' },
    ]);
  });
});

describe('report helpers', () => {
  it('groups by severity then resource, counts, and gives each resource its worst severity', () => {
    const s = healthy();
    mainPool(s).pool.identity.userAssignedIdentities = [ref('id-workload'), ref('id-cmk')];
    s.keyVaults = s.keyVaults?.map((v) => ({ ...v, accessPolicies: [] }));
    const report = runDoctor(s);
    expect(report.findings.map((f) => [f.severity, f.rule])).toEqual([
      ['critical', 'MI021'],
      ['error', 'MI004'],
      ['warning', 'MI008'],
    ]);
    expect(
      groupFindings(report.findings).map((g) => [
        g.severity,
        g.resources.map((r) => r.resourceName),
      ]),
    ).toEqual([
      ['critical', ['cmk']],
      ['error', ['batch/p']],
      ['warning', ['batch/p']],
    ]);
    expect(countBySeverity(report.findings)).toEqual({
      critical: 1,
      error: 1,
      warning: 1,
      info: 0,
    });
    expect(hasErrors(report.findings)).toBe(true);
    expect(healthByResource(report.findings).get(mainPool(s).pool.id.toLowerCase())).toBe('error');
  });
});
