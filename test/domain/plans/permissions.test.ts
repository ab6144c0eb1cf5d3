/** The "what can I do" pre-check: role definitions' actions judged against each step's needs. */
import { describe, expect, it } from 'vitest';
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../../../source/domain/model.js';
import { BUILT_IN_ROLE_IDS } from '../../../source/domain/model.js';
import {
  evaluatePermissions,
  explainPermissions,
  needsOf,
  planFlow,
  type Plan,
} from '../../../source/domain/plans/index.js';
import {
  ACCOUNT,
  STORAGE,
  SUB,
  assignment,
  definition,
  healthy,
  identityId,
  pkgPool,
} from './world.js';

const defs = (...list: RoleDefinitionInfo[]) => new Map(list.map((d) => [d.name, d]));
const OWNER = definition(BUILT_IN_ROLE_IDS.Owner, 'Owner', { actions: ['*'] });
const READER = definition(BUILT_IN_ROLE_IDS.Reader, 'Reader', { actions: ['*/read'] });
const CONTRIBUTOR = definition(BUILT_IN_ROLE_IDS.Contributor, 'Contributor', {
  actions: ['*'],
  notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write'],
});
const MIO = definition(
  BUILT_IN_ROLE_IDS['Managed Identity Operator'],
  'Managed Identity Operator',
  {
    actions: [
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
    ],
  },
);
const ALL = defs(OWNER, READER, CONTRIBUTOR, MIO);
const me = { objectId: 'me', label: 'ops@contoso.com' };
const at = (role: RoleDefinitionInfo, scope: string): RoleAssignmentInfo =>
  assignment('me', role.name, scope);

/** A plan with a pool PATCH (pools/write + identity assign) and a role assignment. */
function plan(): Plan {
  const s = healthy([pkgPool({ identity: { type: 'None', userAssignedIdentities: [] } })]);
  s.roleAssignments = s.roleAssignments.filter((a) => a.principalId !== 'pid-id-nodes');
  const r = planFlow(s, {
    flow: 'autostorage-mi',
    accountId: ACCOUNT,
    storageAccountId: STORAGE,
    nodeIdentityId: identityId('id-nodes'),
    recycle: false,
  });
  if (!r.ok) throw new Error(r.problem);
  return r.plan;
}

describe('permission pre-check', () => {
  const subscription = `/subscriptions/${SUB}`;
  const cases: Array<[string, RoleAssignmentInfo[], string, string[]]> = [
    ['Owner on the subscription may do everything', [at(OWNER, subscription)], 'allowed', []],
    [
      'Reader may do none of it',
      [at(READER, subscription)],
      'denied',
      [
        'Microsoft.Batch/batchAccounts/pools/write',
        'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
        'Microsoft.Authorization/roleAssignments/write',
      ],
    ],
    [
      'Contributor may not write role assignments (notActions)',
      [at(CONTRIBUTOR, subscription)],
      'denied',
      ['Microsoft.Authorization/roleAssignments/write'],
    ],
    [
      'Contributor on the account and Managed Identity Operator on the identity: only the role is missing',
      [at(CONTRIBUTOR, ACCOUNT), at(MIO, identityId('id-nodes'))],
      'denied',
      ['Microsoft.Authorization/roleAssignments/write'],
    ],
    [
      "someone else's Owner does not count",
      [assignment('other', OWNER.name, subscription)],
      'denied',
      [
        'Microsoft.Batch/batchAccounts/pools/write',
        'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
        'Microsoft.Authorization/roleAssignments/write',
      ],
    ],
  ];

  it.each(cases)('%s', (_name, assignments, verdict, missing) => {
    const check = evaluatePermissions(needsOf(plan()), me, assignments, ALL);
    expect(check.verdict).toBe(verdict);
    expect(check.missing.map((m) => m.action)).toEqual(missing);
  });

  it('a role whose definition is unknown makes the verdict unknown, not denied', () => {
    const custom = assignment(
      'me',
      'c0ffee00-0000-0000-0000-000000000000',
      `/subscriptions/${SUB}`,
    );
    const check = evaluatePermissions(needsOf(plan()), me, [custom], ALL);
    expect(check.verdict).toBe('unknown');
    expect(check.unknown[0]).toContain('could not be read');
  });

  it('explains each missing permission: who, what, where, for which step, and whom to ask', () => {
    const check = evaluatePermissions(
      needsOf(plan()),
      me,
      [at(READER, `/subscriptions/${SUB}`)],
      ALL,
    );
    const lines = explainPermissions(check);
    expect(lines[2]).toBe(
      `You (ops@contoso.com) may not perform Microsoft.Authorization/roleAssignments/write on stauto (${STORAGE}), needed to grant Storage Blob Data Reader to id-nodes (step "Grant Storage Blob Data Reader to id-nodes on stauto"); your roles there: Reader. Ask for Owner, User Access Administrator or Role Based Access Control Administrator on that scope, or hand the az command to someone who has it.`,
    );
    expect(lines.at(-1)).toContain('through a group');
  });

  it('only the steps to run are checked', () => {
    const p = plan();
    const roleOnly = new Set(
      p.steps.filter((s) => s.kind === 'create-role-assignment').map((s) => s.id),
    );
    expect(needsOf(p, roleOnly).map((n) => n.action)).toEqual([
      'Microsoft.Authorization/roleAssignments/write',
    ]);
  });
});
