/**
 * Autostorage in managed-identity mode (RULES.md §1 tables A and B, §3 MI001–MI005; [S1]).
 * The account's identity serves the Batch service (package upload); nodes use
 * `autoStorage.nodeIdentityReference`, which must be one of the pool's identities and hold a
 * Storage Blob Data role on the autostorage account.
 *
 * MI003 is judged per pool (MI004 and MI005 in rules-reference.ts too). A pool that visibly takes
 * something from autostorage (application packages, start-task `autoStorageContainerName` files)
 * gets the rule's severity; one that does not gets a warning, since its tasks (which the doctor
 * cannot see) may still.
 */
import type { BatchAccountSummary, PoolSummary } from '../model.js';
import { lastSegment } from '../model.js';
import {
  accountPrincipals,
  autoStorageUse,
  describeNodes,
  nameOf,
  poolIdentityIds,
  usesAutoStorage,
  type DoctorContext,
} from './context.js';
import { azRestPatch, placeholder, resizeNote, roleAssignmentCreate } from './fixes.js';
import { BLOB_WRITE, roleLabel, type GrantVerdict } from './rbac.js';
import { rule } from './rule.js';
import type { PoolSnapshot } from './types.js';

export const MI_MODE = 'BatchAccountManagedIdentity';

export const miMode = (a: BatchAccountSummary): boolean =>
  a.autoStorage?.authenticationMode === MI_MODE;

/** The account identity's data role on autostorage (MI002; MI006 reads it too). */
export function accountGrant(ctx: DoctorContext, a: BatchAccountSummary): GrantVerdict | undefined {
  if (!a.autoStorage || !miMode(a) || a.identity.type === 'None') return undefined;
  const principals = accountPrincipals(a, (id) => ctx.identity(id));
  if (!principals.length)
    return { kind: 'unknown', reason: "the account identity's principalId is not known" };
  return ctx.grant(principals, [a.autoStorage.storageAccountId], [BLOB_WRITE]);
}

export const nodesEvidence = (p: PoolSnapshot) => (p.nodes ? describeNodes(p.nodes) : undefined);

export function usageEvidence(pool: PoolSummary) {
  const use = autoStorageUse(pool);
  return {
    'pool.applicationPackages': use.packages
      ? pool.applicationPackages.map((x) => lastSegment(x.id))
      : undefined,
    'startTask.resourceFiles[].autoStorageContainerName': use.containers.length
      ? use.containers
      : undefined,
  };
}

export const MI001 = rule(
  'MI001',
  'error',
  'Managed-identity autostorage on an account without an identity',
  (ctx, out) => {
    for (const { account: a } of ctx.snapshot.accounts) {
      if (!a.autoStorage || !miMode(a) || a.identity.type !== 'None') continue;
      out.find({
        resource: a.id,
        resourceName: a.name,
        symptom:
          'Application package upload fails: autostorage authenticates with the account identity, but the account has none',
        evidence: {
          'autoStorage.authenticationMode': MI_MODE,
          'identity.type': 'None',
          'autoStorage.storageAccountId': a.autoStorage.storageAccountId,
        },
        fix: {
          flow: 'account-identity',
          az: azRestPatch(ctx.snapshot.armEndpoint, a.id, {
            identity: {
              type: 'UserAssigned',
              userAssignedIdentities: { [placeholder('identity-resource-id')]: {} },
            },
          }),
          note: 'then give that identity Storage Blob Data Contributor on the autostorage account (MI002)',
        },
      });
    }
  },
);

export const MI002 = rule(
  'MI002',
  'error',
  'Account identity lacks Storage Blob Data Contributor/Owner on autostorage',
  (ctx, out) => {
    for (const { account: a } of ctx.snapshot.accounts) {
      const verdict = accountGrant(ctx, a);
      if (!verdict || verdict.kind === 'granted' || !a.autoStorage) continue;
      if (verdict.kind === 'unknown') {
        out.skip(a.id, verdict.reason);
        continue;
      }
      const principals = accountPrincipals(a, (id) => ctx.identity(id));
      out.find({
        resource: a.id,
        resourceName: a.name,
        symptom:
          'Application package upload fails with 409 AutoStorageNoPermission ("The managed identity does not have permission to access auto storage account…")',
        evidence: {
          'identity.principalIds': principals,
          'autoStorage.storageAccountId': a.autoStorage.storageAccountId,
          'roles on autostorage': verdict.assignments.map((x) => roleLabel(x, ctx.definitions)),
        },
        fix: {
          flow: 'autostorage-mi',
          az: roleAssignmentCreate(
            principals[0] ?? placeholder('principal-id'),
            'Storage Blob Data Contributor',
            a.autoStorage.storageAccountId,
          ),
          note: 'a new role assignment can take up to 10 minutes to take effect',
        },
      });
    }
  },
);

export const MI003 = rule(
  'MI003',
  'error',
  'Managed-identity autostorage without a node identity reference',
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      if (!a.autoStorage || !miMode(a) || a.autoStorage.nodeIdentityReference) continue;
      const use = autoStorageUse(p.pool);
      const ids = poolIdentityIds(p.pool);
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        severity: usesAutoStorage(use) ? 'error' : 'warning',
        symptom: use.packages
          ? 'Nodes stuck in Starting; agent-debug.log repeats "pool not fully joined yet, health=Status.TvmJoinPoolInProgress"'
          : use.containers.length
            ? 'Start task fails ResourceContainerAccessDenied: "Access for one of the specified Azure Blob container(s) is denied"'
            : 'Tasks with autoStorageContainerName resource files will fail ResourceContainerAccessDenied: the account names no node identity',
        evidence: {
          'autoStorage.authenticationMode': MI_MODE,
          'autoStorage.nodeIdentityReference': null,
          ...usageEvidence(p.pool),
          nodes: nodesEvidence(p),
        },
        fix: {
          flow: 'autostorage-mi',
          az: azRestPatch(ctx.snapshot.armEndpoint, a.id, {
            properties: {
              autoStorage: {
                storageAccountId: a.autoStorage.storageAccountId,
                authenticationMode: MI_MODE,
                nodeIdentityReference: {
                  resourceId: ids.length === 1 ? ids[0] : placeholder('pool-identity-resource-id'),
                },
              },
            },
          }),
          note: use.packages
            ? `the reference must be one of the pool's identities; nodes stuck in Starting do not recover: ${resizeNote(p.pool)}`
            : "the reference must be one of the pool's identities; then reboot the failed nodes so the start task runs again",
        },
      });
    }
  },
);
