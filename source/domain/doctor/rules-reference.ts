/**
 * The node identity reference on each pool (RULES.md §1 tables A and B, §3 MI004 and MI005; [S1][S4]):
 * it must be one of the pool's identities (else A4/B4) and hold a Storage Blob Data role on the
 * autostorage account (else A2/B2). Judged per pool, with the rule's severity when the pool visibly
 * takes something from autostorage and a warning otherwise (its tasks may).
 */
import type { BatchAccountSummary, PoolSummary } from '../model.js';
import { lastSegment } from '../model.js';
import {
  autoStorageUse,
  containerScope,
  nameOf,
  poolHasIdentity,
  poolIdentityIds,
  usesAutoStorage,
  type DoctorContext,
} from './context.js';
import { placeholder, poolIdentityPatch, resizeNote, roleAssignmentCreate } from './fixes.js';
import { BLOB_READ, roleLabel, type GrantVerdict } from './rbac.js';
import { rule } from './rule.js';
import { miMode, nodesEvidence, usageEvidence } from './rules-autostorage.js';
import type { Severity } from './types.js';

/**
 * The node identity reference's read role on what the pool takes from autostorage (MI005;
 * MI006 reads it too). undefined when MI005 does not apply to the pool.
 */
export function poolGrant(
  ctx: DoctorContext,
  a: BatchAccountSummary,
  pool: PoolSummary,
): { verdict: GrantVerdict; principalId?: string; severity: Severity } | undefined {
  const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
  if (!a.autoStorage || !miMode(a) || !reference || !poolHasIdentity(pool, reference))
    return undefined;
  const use = autoStorageUse(pool);
  const storage = a.autoStorage.storageAccountId;
  const severity: Severity = usesAutoStorage(use) ? 'error' : 'warning';
  const principalId =
    ctx.identity(reference)?.principalId ??
    pool.identity.userAssignedIdentities.find(
      (i) => i.resourceId.toLowerCase() === reference.toLowerCase(),
    )?.principalId;
  if (!principalId) {
    const gap = ctx.gap('identity', reference);
    return {
      verdict: {
        kind: 'unknown',
        reason: gap?.reason ?? `the principalId of ${lastSegment(reference)} is not known`,
      },
      severity,
    };
  }
  // Packages live in per-application containers: only an account-level (or wider) role reaches them.
  const targets = [
    ...(use.packages || !usesAutoStorage(use) ? [storage] : []),
    ...use.containers.map((c) => containerScope(storage, c)),
  ];
  return { verdict: ctx.grant([principalId], targets, [BLOB_READ]), principalId, severity };
}

export const MI004 = rule(
  'MI004',
  'error',
  "Node identity reference is not one of the pool's identities",
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
      if (!a.autoStorage || !miMode(a) || !reference || poolHasIdentity(p.pool, reference))
        continue;
      const use = autoStorageUse(p.pool);
      const ids = poolIdentityIds(p.pool);
      const refIdentity = ctx.identity(reference);
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        severity: usesAutoStorage(use) ? 'error' : 'warning',
        symptom: use.packages
          ? 'Nodes Unusable: ApplicationPackageError "One or more application packages specified for the pool are invalid"'
          : use.containers.length
            ? 'Start task fails ResourceContainerListMiscError: storage answers 400 because the node identity reference is not on the pool'
            : 'Tasks with autoStorageContainerName resource files will fail ResourceContainerListMiscError: the node identity reference is not on the pool',
        evidence: {
          'autoStorage.nodeIdentityReference.resourceId': reference,
          'pool.identity.userAssignedIdentities': ids,
          ...usageEvidence(p.pool),
          nodes: nodesEvidence(p),
          'reference identity found': refIdentity
            ? true
            : ctx.gap('identity', reference)
              ? false
              : undefined,
        },
        fix: {
          flow: 'pool-identity',
          az: poolIdentityPatch(ctx.snapshot.armEndpoint, p.pool, [...ids, reference]),
          note:
            `existing nodes keep their identities: ${resizeNote(p.pool)}` +
            (ids.length ? '; with two identities tasks must name one (MI008)' : ''),
        },
      });
    }
  },
);

export const MI005 = rule(
  'MI005',
  'error',
  'Node identity reference lacks a Storage Blob Data role on autostorage',
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      const grant = poolGrant(ctx, a, p.pool);
      if (!grant || grant.verdict.kind === 'granted' || !a.autoStorage) continue;
      if (grant.verdict.kind === 'unknown') {
        out.skip(p.pool.id, grant.verdict.reason);
        continue;
      }
      const use = autoStorageUse(p.pool);
      const storage = a.autoStorage.storageAccountId;
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        severity: grant.severity,
        symptom: use.packages
          ? "Nodes Idle but application packages are not downloaded; a blob GET with the identity's token answers 403 AuthorizationPermissionMismatch"
          : use.containers.length
            ? 'Start task fails ResourceContainerAccessDenied: "Access for one of the specified Azure Blob container(s) is denied"'
            : 'Tasks with autoStorageContainerName resource files will fail ResourceContainerAccessDenied: the node identity cannot read autostorage',
        evidence: {
          'autoStorage.nodeIdentityReference.resourceId':
            a.autoStorage.nodeIdentityReference?.resourceId ?? null,
          principalId: grant.principalId ?? null,
          'autoStorage.storageAccountId': storage,
          'roles there': grant.verdict.assignments.map((x) => roleLabel(x, ctx.definitions)),
          ...usageEvidence(p.pool),
          nodes: nodesEvidence(p),
        },
        fix: {
          flow: 'autostorage-mi',
          az: roleAssignmentCreate(
            grant.principalId ?? placeholder('principal-id'),
            'Storage Blob Data Reader',
            storage,
          ),
          note: 'allow up to 10 minutes for the role to take effect, then reimage the nodes (or resize to 0 and back) so packages and start tasks are fetched again (inferred)',
        },
      });
    }
  },
);
