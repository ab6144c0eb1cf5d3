/**
 * Flow 1 (SPEC §4.2): attach a user-assigned identity to a pool. One ARM PATCH of the pool's
 * `identity` (pool identity is settable only through the management plane: RULES.md §1 [S2][I1]),
 * sent with If-Match; then, separately confirmed, a resize to 0 and back, because nodes
 * allocated earlier keep their old identities ([S2][I3], MI010).
 */
import { autoStorageUse, usesAutoStorage } from '../doctor/context.js';
import { lastSegment } from '../model.js';
import { parseUserAssignedIdentityId } from '../resource-id.js';
import { recycle } from './recycle.js';
import {
  accountTarget,
  hasId,
  poolIdentityIds,
  sameIdSet,
  withId,
  type PlanState,
} from './state.js';
import { poolIdentityStep } from './steps.js';
import type { PlanResult, PlanStep, PlanWarning, PoolIdentityChoices } from './types.js';
import { FLOW_TITLES } from './types.js';
import { existingNodes, multipleIdentities, referenceNotOnPool } from './warnings.js';

export function planPoolIdentity(state: PlanState, c: PoolIdentityChoices): PlanResult {
  const identity = parseUserAssignedIdentityId(c.identityId);
  if (!identity.ok) return { ok: false, problem: identity.message };
  const account = state.account(c.accountId);
  if (!account)
    return { ok: false, problem: `Batch account ${lastSegment(c.accountId)} was not found` };
  if (!account.pools)
    return { ok: false, problem: `the pools of account ${account.account.name} could not be read` };
  const found = state.pool(account, c.pool);
  if (!found)
    return { ok: false, problem: `Batch account ${account.account.name} has no pool '${c.pool}'` };
  const pool = found.pool;
  const name = `${pool.accountName}/${pool.name}`;

  const current = poolIdentityIds(pool);
  const next = c.mode === 'replace' ? [c.identityId] : withId(current, c.identityId);
  const steps: PlanStep[] = [];
  const warnings: PlanWarning[] = [];
  if (!sameIdSet(current, next)) {
    steps.push(
      poolIdentityStep(
        state.armEndpoint,
        pool,
        next,
        `${lastSegment(c.identityId)} is not among the pool's identities (${current.length ? current.map((i) => lastSegment(i)).join(', ') : 'none'})`,
      ),
    );
  }

  const resize = recycle({
    state,
    account,
    pool: found,
    changedByPlan: steps.length > 0,
    offer: c.recycle !== false,
    ...(c.restore ? { restore: c.restore } : {}),
  });
  if (resize.step) steps.push(resize.step);
  warnings.push(...resize.warnings, ...existingNodes(steps));

  if (next.length > 1) warnings.push(multipleIdentities(name, next.length));
  const reference = account.account.autoStorage?.nodeIdentityReference?.resourceId;
  if (
    reference &&
    account.account.autoStorage?.authenticationMode === 'BatchAccountManagedIdentity' &&
    usesAutoStorage(autoStorageUse(pool)) &&
    !hasId(next, reference)
  )
    warnings.push(referenceNotOnPool(name, lastSegment(reference)));
  const dropped = pool.identityReferences.filter((r) => !hasId(next, r.resourceId));
  if (dropped.length)
    warnings.push({
      code: 'reference-not-on-pool',
      message: `Pool ${name} names ${dropped.map((r) => `${lastSegment(r.resourceId)} (${r.where})`).join(', ')} in an identityReference, which will not be among its identities (MI009).`,
      source: 'use-managed-identities-azure-batch-account-pool [S1]; RULES.md MI009',
    });

  return {
    ok: true,
    plan: {
      flow: 'pool-identity',
      title: `${FLOW_TITLES['pool-identity']}: ${lastSegment(c.identityId)} → ${name}`,
      choices: c,
      account: accountTarget(account.account),
      steps,
      warnings,
      basedOn: state.snapshot.now,
    },
  };
}
