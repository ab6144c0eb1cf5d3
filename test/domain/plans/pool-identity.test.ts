/** Flow 1 plans (attach a user-assigned identity to a pool), table-driven, idempotence included. */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../source/domain/doctor/types.js';
import {
  planFlow,
  type Plan,
  type PoolIdentityChoices,
} from '../../../source/domain/plans/index.js';
import {
  ACCOUNT,
  HOUR,
  NOW,
  healthy,
  identityId,
  node,
  pkgPool,
  poolId,
  poolOf,
  ref,
} from './world.js';

const choices = (over: Partial<PoolIdentityChoices> = {}): PoolIdentityChoices => ({
  flow: 'pool-identity',
  accountId: ACCOUNT,
  pool: 'pkg',
  identityId: identityId('id-nodes'),
  ...over,
});

function plan(snapshot: Snapshot, c: PoolIdentityChoices): Plan {
  const result = planFlow(snapshot, c);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const kinds = (p: Plan) => p.steps.map((s) => `${s.kind}${s.optional ? '?' : ''}`);

describe('flow 1: pool identity', () => {
  const cases: Array<{
    name: string;
    world: () => Snapshot;
    choices: PoolIdentityChoices;
    steps: string[];
    warnings?: string[];
  }> = [
    {
      name: 'identity already on the pool, nodes allocated after the change: nothing to do',
      world: () => healthy(),
      choices: choices(),
      steps: [],
    },
    {
      name: 'A4: pool has another identity → attach, then the optional resize',
      world: () =>
        healthy([
          pkgPool({
            identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-workload')] },
          }),
        ]),
      choices: choices(),
      steps: ['patch-pool-identity', 'resize-pool?'],
      warnings: ['existing-nodes', 'multiple-identities'],
    },
    {
      name: 'replace leaves only the chosen identity (no MI008 warning)',
      world: () =>
        healthy([
          pkgPool({
            identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-workload')] },
          }),
        ]),
      choices: choices({ mode: 'replace' }),
      steps: ['patch-pool-identity', 'resize-pool?'],
      warnings: ['existing-nodes'],
    },
    {
      name: 'replacing away the node identity reference warns (MI004)',
      world: () => healthy(),
      choices: choices({ identityId: identityId('id-workload'), mode: 'replace' }),
      steps: ['patch-pool-identity', 'resize-pool?'],
      warnings: ['existing-nodes', 'reference-not-on-pool'],
    },
    {
      name: 'recycle: false → no resize step, no warning about it',
      world: () => healthy([pkgPool({ identity: { type: 'None', userAssignedIdentities: [] } })]),
      choices: choices({ recycle: false }),
      steps: ['patch-pool-identity'],
    },
    {
      name: 'a pool with no nodes needs no resize',
      world: () => {
        const s = healthy([
          pkgPool({
            identity: { type: 'None', userAssignedIdentities: [] },
            currentDedicatedNodes: 0,
            targetDedicatedNodes: 0,
          }),
        ]);
        poolOf(s, 'pkg').nodes = [];
        return s;
      },
      choices: choices(),
      steps: ['patch-pool-identity'],
    },
    {
      name: 'an autoscale pool gets a warning instead of a fixed resize',
      world: () =>
        healthy([
          pkgPool({ identity: { type: 'None', userAssignedIdentities: [] }, autoScale: true }),
        ]),
      choices: choices(),
      steps: ['patch-pool-identity'],
      warnings: ['autoscale'],
    },
    {
      name: 'MI010: identity in place but nodes allocated before the pool changed → only the resize',
      world: () => healthy([pkgPool({ lastModified: new Date(NOW.getTime() - HOUR / 4) })]),
      choices: choices(),
      steps: ['resize-pool?'],
      warnings: ['existing-nodes'],
    },
    {
      name: 'a resize that stopped at 0 is finished (required, back only)',
      world: () => {
        const s = healthy([pkgPool({ currentDedicatedNodes: 0, targetDedicatedNodes: 0 })]);
        poolOf(s, 'pkg').nodes = [];
        return s;
      },
      choices: choices({ restore: [{ poolId: poolId('pkg'), dedicated: 2, lowPriority: 0 }] }),
      steps: ['resize-pool'],
    },
  ];

  it.each(cases)('$name', ({ world, choices: c, steps, warnings }) => {
    const p = plan(world(), c);
    expect(kinds(p)).toEqual(steps);
    expect(p.warnings.map((w) => w.code).sort()).toEqual([...(warnings ?? [])].sort());
  });

  it('the pool step says exactly what changes, with If-Match, permissions and undo', () => {
    const s = healthy([
      pkgPool({ identity: { type: 'UserAssigned', userAssignedIdentities: [ref('id-workload')] } }),
    ]);
    const [step, resize] = plan(s, choices()).steps;
    expect(step).toMatchObject({
      kind: 'patch-pool-identity',
      id: 'pool-identity:batch/pkg',
      target: poolId('pkg'),
      changes: [
        {
          path: 'identity.userAssignedIdentities',
          before: ['id-workload'],
          after: ['id-workload', 'id-nodes'],
        },
      ],
      pool: { etag: 'W/"0x8D-pkg"' },
      patch: {
        identity: {
          type: 'UserAssigned',
          userAssignedIdentities: [identityId('id-workload'), identityId('id-nodes')],
        },
      },
    });
    expect(step?.az).toContain(`--headers 'If-Match=W/"0x8D-pkg"'`);
    expect(step?.az).toContain(`${poolId('pkg')}?api-version=`);
    expect(step?.undo).toContain(`"${identityId('id-workload')}":{}`);
    expect(step?.permissions.map((p) => [p.action, p.scope])).toEqual([
      ['Microsoft.Batch/batchAccounts/pools/write', poolId('pkg')],
      ['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', identityId('id-nodes')],
    ]);
    expect(resize).toMatchObject({
      kind: 'resize-pool',
      optional: true,
      viaZero: true,
      size: { dedicated: 2, lowPriority: 0 },
    });
    expect(resize?.az).toMatch(/--target-dedicated-nodes 0 .*steady.*--target-dedicated-nodes 2/);
  });

  it('is idempotent: planning the world the plan produces gives an empty plan', () => {
    const s = healthy([pkgPool({ identity: { type: 'None', userAssignedIdentities: [] } })]);
    const first = plan(s, choices());
    expect(first.steps).toHaveLength(2);
    // The world after applying: the identity on the pool, nodes reallocated after the change.
    poolOf(s, 'pkg').pool.identity = {
      type: 'UserAssigned',
      userAssignedIdentities: [ref('id-nodes')],
    };
    poolOf(s, 'pkg').pool.lastModified = new Date(NOW.getTime() - 10 * 60_000);
    poolOf(s, 'pkg').nodes = [
      node('tvm-3', { allocationTime: new Date(NOW.getTime() - 9 * 60_000) }),
    ];
    expect(plan(s, choices()).steps).toEqual([]);
  });

  it.each([
    [{ pool: 'nope' }, "has no pool 'nope'"],
    [{ accountId: `${ACCOUNT}x` }, 'was not found'],
    [{ identityId: '/subscriptions/x/resourceGroups/y' }, 'is not an Azure resource id'],
    [{ identityId: poolId('pkg') }, 'is not a user-assigned identity id'],
  ] as const)('refuses bad choices in one sentence: %o', (over, message) => {
    const result = planFlow(healthy(), choices(over));
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.problem).toContain(message);
  });
});
