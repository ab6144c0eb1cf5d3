/**
 * Flow 2 plans (autostorage with managed identity) for each failing row of RULES.md §1 tables A
 * and B, the account-identity cases (MI001/MI002), and idempotence.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../source/domain/doctor/types.js';
import {
  planFlow,
  type AutoStorageChoices,
  type CreateRoleAssignmentStep,
  type Plan,
} from '../../../source/domain/plans/index.js';
import {
  ACCOUNT,
  CONTRIBUTOR,
  HOUR,
  NOW,
  OTHER_STORAGE,
  READER,
  STORAGE,
  assignment,
  batchOf,
  healthy,
  identityId,
  node,
  pkgPool,
  poolOf,
  ref,
  stPool,
} from './world.js';

const choices = (over: Partial<AutoStorageChoices> = {}): AutoStorageChoices => ({
  flow: 'autostorage-mi',
  accountId: ACCOUNT,
  storageAccountId: STORAGE,
  nodeIdentityId: identityId('id-nodes'),
  ...over,
});

function plan(snapshot: Snapshot, c: AutoStorageChoices = choices()): Plan {
  const result = planFlow(snapshot, c);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const ids = (p: Plan) => p.steps.map((s) => `${s.id}${s.optional ? '?' : ''}`);
const withoutRole = (s: Snapshot, principal: string) => {
  s.roleAssignments = s.roleAssignments.filter((a) => a.principalId !== principal);
  return s;
};

describe('flow 2: autostorage with managed identity', () => {
  const rows: Array<[row: string, world: () => Snapshot, steps: string[]]> = [
    ['A1/B1 healthy: nothing to do', () => healthy(), []],
    [
      'A2/B2 node identity without a data role → grant Reader, recycle both pools',
      () => withoutRole(healthy(), 'pid-id-nodes'),
      ['role:Storage Blob Data Reader:id-nodes:stauto', 'resize:batch/pkg?', 'resize:batch/st?'],
    ],
    [
      'A3/B3 no node identity reference → set it, recycle',
      () => {
        const s = healthy();
        delete batchOf(s).account.autoStorage?.nodeIdentityReference;
        return s;
      },
      ['account-autostorage:batch', 'resize:batch/pkg?', 'resize:batch/st?'],
    ],
    [
      'A4/B4 pools with another identity → attach the node identity, recycle them',
      () => {
        const other = {
          type: 'UserAssigned' as const,
          userAssignedIdentities: [ref('id-workload')],
        };
        return healthy([pkgPool({ identity: other }), stPool({ identity: other })]);
      },
      [
        'pool-identity:batch/pkg',
        'pool-identity:batch/st',
        'resize:batch/pkg?',
        'resize:batch/st?',
      ],
    ],
    [
      'MI002 account identity without Contributor → grant it (no recycle: nodes never use it)',
      () => withoutRole(healthy(), 'pid-id-account'),
      ['role:Storage Blob Data Contributor:id-account:stauto'],
    ],
    [
      'a pool that takes nothing from autostorage is left alone',
      () =>
        healthy([
          pkgPool(),
          stPool(),
          pkgPool({
            id: `${ACCOUNT}/pools/plain`,
            name: 'plain',
            applicationPackages: [],
            identity: { type: 'None', userAssignedIdentities: [] },
          }),
        ]),
      [],
    ],
  ];

  it.each(rows)('%s', (_row, world, steps) => {
    expect(ids(plan(world()))).toEqual(steps);
  });

  it('orders account identity, pools, roles, then autostorage; a new system identity gets its role by reference', () => {
    const s = healthy([pkgPool({ identity: { type: 'None', userAssignedIdentities: [] } })]);
    batchOf(s).account.identity = { type: 'None', userAssignedIdentities: [] };
    const p = plan(
      s,
      choices({ storageAccountId: OTHER_STORAGE, accountIdentity: { type: 'SystemAssigned' } }),
    );
    expect(p.steps.map((x) => x.kind)).toEqual([
      'patch-account-identity',
      'patch-pool-identity',
      'create-role-assignment',
      'create-role-assignment',
      'patch-account-autostorage',
      'resize-pool',
    ]);
    const roles = p.steps.filter(
      (x): x is CreateRoleAssignmentStep => x.kind === 'create-role-assignment',
    );
    expect(roles.map((r) => [r.role.name, r.principal.kind, r.scope])).toEqual([
      ['Storage Blob Data Reader', 'principal', OTHER_STORAGE],
      ['Storage Blob Data Contributor', 'account-system', OTHER_STORAGE],
    ]);
    // Roles on a storage account whose assignments were never read: granted anyway, and said so.
    const codes = p.warnings.map((w) => w.code);
    for (const code of ['unconfirmed-roles', 'existing-nodes', 'role-propagation'] as const)
      expect(codes).toContain(code);
    expect(p.steps.find((x) => x.kind === 'patch-account-autostorage')?.changes).toEqual([
      { path: 'properties.autoStorage.storageAccountId', before: 'stauto', after: 'stother' },
    ]);
  });

  it('MI001: an account without identity needs one chosen', () => {
    const s = healthy();
    batchOf(s).account.identity = { type: 'None', userAssignedIdentities: [] };
    const result = planFlow(s, choices());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('has no identity');
  });

  it('the role step grants exactly the documented role, with its az command and permission', () => {
    const step = plan(withoutRole(healthy(), 'pid-id-nodes')).steps[0];
    expect(step).toMatchObject({
      kind: 'create-role-assignment',
      scope: STORAGE,
      role: { name: 'Storage Blob Data Reader', guid: READER },
      principal: { kind: 'principal', principalId: 'pid-id-nodes' },
      permissions: [{ action: 'Microsoft.Authorization/roleAssignments/write', scope: STORAGE }],
    });
    expect(step?.az).toBe(
      `az role assignment create --assignee-object-id pid-id-nodes --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${STORAGE}`,
    );
  });

  it('a wider data role (Contributor) already satisfies the nodes', () => {
    const s = withoutRole(healthy(), 'pid-id-nodes');
    s.roleAssignments.push(assignment('pid-id-nodes', CONTRIBUTOR, STORAGE));
    expect(plan(s).steps).toEqual([]);
  });

  it('picks up where a run stopped: role granted but nodes joined before it → only the resizes', () => {
    const s = withoutRole(healthy(), 'pid-id-nodes');
    s.roleAssignments.push(assignment('pid-id-nodes', READER, STORAGE, HOUR / 2));
    expect(ids(plan(s))).toEqual(['resize:batch/pkg?', 'resize:batch/st?']);
    // …and once the nodes were allocated after the grant, nothing is left.
    for (const name of ['pkg', 'st'])
      poolOf(s, name).nodes = [
        node('tvm-9', { allocationTime: new Date(NOW.getTime() - HOUR / 4) }),
      ];
    expect(plan(s).steps).toEqual([]);
  });

  it('A3 nodes stuck in Starting after the reference was set → recycle; a storage firewall stops the offer', () => {
    const s = healthy([pkgPool()]);
    poolOf(s, 'pkg').nodes = [
      node('tvm-1', { state: 'starting', stateTransitionTime: new Date(NOW.getTime() - HOUR / 2) }),
    ];
    expect(ids(plan(s))).toEqual(['resize:batch/pkg?']);
    const storage = s.storageAccounts[0];
    if (storage) storage.networkAcls.defaultAction = 'Deny';
    const p = plan(s);
    expect(p.steps).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toEqual(['firewall']);
  });

  it('only the pools chosen get the identity', () => {
    const other = { type: 'UserAssigned' as const, userAssignedIdentities: [ref('id-workload')] };
    const p = plan(
      healthy([pkgPool({ identity: other }), stPool({ identity: other })]),
      choices({ pools: ['st'], recycle: false }),
    );
    expect(ids(p)).toEqual(['pool-identity:batch/st']);
  });
});
