/**
 * Flow 2 (SPEC §4.2): autostorage with managed identity, end to end, as RULES.md §1 describes
 * it. The account's own identity lets the Batch service reach autostorage (package upload needs
 * Storage Blob Data Contributor, else 409 AutoStorageNoPermission: MI001/MI002); nodes use
 * `autoStorage.nodeIdentityReference`, which must be one of their pool's identities (A4/B4) and
 * hold a Storage Blob Data role (A2/B2); without a reference nodes never join (A3/B3).
 *
 * Order: the account identity, the pools' identities, the role assignments, and only then the
 * autostorage switch, so that nodes allocated in between never see a reference they cannot use;
 * then the separately confirmed resizes.
 */
import { autoStorageUse, usesAutoStorage } from '../doctor/context.js';
import { BLOB_READ, BLOB_WRITE } from '../doctor/rbac.js';
import type { BatchAccountSummary } from '../model.js';
import { lastSegment } from '../model.js';
import { parseResourceId, parseUserAssignedIdentityId, sameResourceId } from '../resource-id.js';
import { recycle } from './recycle.js';
import { accountTarget, hasId, poolIdentityIds, withId, type PlanState } from './state.js';
import {
  accountIdentityStep,
  autoStorageStep,
  poolIdentityStep,
  roleStep,
  systemIdentityName,
} from './steps.js';
import type {
  AutoStorageChoices,
  PlanResult,
  PlanStep,
  PlanWarning,
  PrincipalRef,
} from './types.js';
import { FLOW_TITLES } from './types.js';
import {
  existingNodes,
  firewall,
  multipleIdentities,
  rolePropagation,
  unconfirmedRoles,
} from './warnings.js';

/** The principals the Batch service may use for autostorage: the account's identities. */
export function accountPrincipals(state: PlanState, a: BatchAccountSummary): PrincipalRef[] {
  if (a.identity.type === 'SystemAssigned')
    return [
      a.identity.principalId
        ? {
            kind: 'principal',
            principalId: a.identity.principalId,
            name: systemIdentityName(a.name),
          }
        : { kind: 'account-system', accountId: a.id, name: systemIdentityName(a.name) },
    ];
  return a.identity.userAssignedIdentities.map((r) => state.principalRef(r.resourceId));
}

export function planAutoStorage(state: PlanState, c: AutoStorageChoices): PlanResult {
  const storageId = parseResourceId(c.storageAccountId);
  if (!storageId.ok) return { ok: false, problem: storageId.message };
  const nodeId = parseUserAssignedIdentityId(c.nodeIdentityId);
  if (!nodeId.ok) return { ok: false, problem: nodeId.message };
  const found = state.account(c.accountId);
  if (!found)
    return { ok: false, problem: `Batch account ${lastSegment(c.accountId)} was not found` };
  const pools = found.pools;
  if (!pools)
    return { ok: false, problem: `the pools of account ${found.account.name} could not be read` };
  const a = found.account;
  const storage = c.storageAccountId;
  const steps: PlanStep[] = [];
  const warnings: PlanWarning[] = [];

  // 1. The account's identity (MI001).
  let service: PrincipalRef[] = accountPrincipals(state, a);
  if (a.identity.type === 'None') {
    if (!c.accountIdentity)
      return {
        ok: false,
        problem: `Batch account ${a.name} has no identity: choose one (system- or user-assigned) for the Batch service to reach autostorage`,
      };
    steps.push(
      accountIdentityStep(
        state.armEndpoint,
        a,
        c.accountIdentity,
        'MI001: managed-identity autostorage needs an account identity',
      ),
    );
    service = [
      c.accountIdentity.type === 'SystemAssigned'
        ? { kind: 'account-system', accountId: a.id, name: systemIdentityName(a.name) }
        : state.principalRef(c.accountIdentity.resourceId),
    ];
  }

  // 2. The node identity on the pools that take packages or files from autostorage.
  const wanted =
    c.pools ?? pools.filter((p) => usesAutoStorage(autoStorageUse(p.pool))).map((p) => p.pool.name);
  const unknownPool = wanted.find((name) => !state.pool(found, name));
  if (unknownPool)
    return { ok: false, problem: `Batch account ${a.name} has no pool '${unknownPool}'` };
  const poolSteps = new Set<string>();
  for (const name of wanted) {
    const pool = state.pool(found, name)?.pool;
    if (!pool || hasId(poolIdentityIds(pool), c.nodeIdentityId)) continue;
    const next = withId(poolIdentityIds(pool), c.nodeIdentityId);
    steps.push(
      poolIdentityStep(
        state.armEndpoint,
        pool,
        next,
        `A4/B4 (MI004): the node identity reference must be one of the pool's identities`,
      ),
    );
    poolSteps.add(pool.id.toLowerCase());
    if (next.length > 1)
      warnings.push(multipleIdentities(`${pool.accountName}/${pool.name}`, next.length));
  }

  // 3. Role assignments: nodes read (A2/B2, MI005); the service writes packages (MI002).
  const node = state.principalRef(c.nodeIdentityId);
  const nodeHolds = state.holds(node, storage, [BLOB_READ]);
  let grantedSince: Date | undefined;
  let nodeGrant = false;
  if (nodeHolds.kind === 'granted') {
    const times = nodeHolds.assignments.flatMap((x) =>
      x.createdOn ? [x.createdOn.getTime()] : [],
    );
    if (times.length) grantedSince = new Date(Math.min(...times));
  } else {
    if (nodeHolds.kind === 'unknown') warnings.push(unconfirmedRoles(nodeHolds.reason));
    steps.push(
      roleStep(
        node,
        'Storage Blob Data Reader',
        storage,
        'A2/B2 (MI005): nodes read packages and resource files with the node identity',
      ),
    );
    nodeGrant = true;
  }
  const serviceHolds = service.map((p) => state.holds(p, storage, [BLOB_WRITE]));
  const first = service[0];
  if (first && !serviceHolds.some((v) => v.kind === 'granted')) {
    const unknown = serviceHolds.find((v) => v.kind === 'unknown');
    if (unknown?.kind === 'unknown') warnings.push(unconfirmedRoles(unknown.reason));
    steps.push(
      roleStep(
        first,
        'Storage Blob Data Contributor',
        storage,
        'MI002: the Batch service uploads application packages with the account identity',
      ),
    );
  }

  // 4. The autostorage block itself (MI003 when the reference is missing).
  const current = a.autoStorage;
  const holdsAlready =
    current &&
    sameResourceId(current.storageAccountId, storage) &&
    current.authenticationMode === 'BatchAccountManagedIdentity' &&
    current.nodeIdentityReference &&
    sameResourceId(current.nodeIdentityReference.resourceId, c.nodeIdentityId);
  if (!holdsAlready)
    steps.push(
      autoStorageStep(
        state.armEndpoint,
        a,
        storage,
        c.nodeIdentityId,
        current?.nodeIdentityReference
          ? 'the account names another storage account, mode or node identity'
          : 'A3/B3 (MI003): without a node identity reference nodes never finish joining',
      ),
    );

  // 5. Nodes allocated before any of this keep what they had.
  for (const p of pools) {
    const usesIt = usesAutoStorage(autoStorageUse(p.pool));
    const changedByPlan =
      poolSteps.has(p.pool.id.toLowerCase()) || (usesIt && (nodeGrant || !holdsAlready));
    const resize = recycle({
      state,
      account: found,
      pool: p,
      changedByPlan,
      offer: c.recycle !== false && (usesIt || wanted.includes(p.pool.name)),
      ...(grantedSince ? { grantedSince } : {}),
      ...(c.restore ? { restore: c.restore } : {}),
    });
    if (resize.step) steps.push(resize.step);
    warnings.push(...resize.warnings);
    const storageInfo = state.ctx.storageAccount(storage);
    const blocked = storageInfo && usesIt ? firewall(storageInfo, p.pool) : undefined;
    if (blocked) warnings.push(blocked);
  }
  warnings.push(...existingNodes(steps), ...rolePropagation(steps));

  return {
    ok: true,
    plan: {
      flow: 'autostorage-mi',
      title: `${FLOW_TITLES['autostorage-mi']}: ${a.name} → ${lastSegment(storage)}, nodes as ${lastSegment(c.nodeIdentityId)}`,
      choices: c,
      account: accountTarget(a),
      steps,
      warnings,
      basedOn: state.snapshot.now,
    },
  };
}
