/**
 * Rules on what Azure shows rather than on configuration: role assignments too young to be
 * honoured (MI006, [S14]), start tasks failing with identity codes (MI018, [S11][S12]) and
 * unusable nodes without errors (MI028, [S4][S11]). MI018 and MI028 run after the
 * configuration rules and stay quiet when one of those already explains what the nodes show,
 * so each behaviour-table scenario is named by exactly one rule.
 */
import type { RoleAssignmentInfo } from '../model.js';
import { describeNodes, nameOf, PROPAGATION_MS, type DoctorContext } from './context.js';
import { roleAssignmentList } from './fixes.js';
import { roleLabel } from './rbac.js';
import { rule, type Output } from './rule.js';
import { accountGrant } from './rules-autostorage.js';
import { poolGrant } from './rules-reference.js';
import { cmkGrant, locateCmk } from './rules-cmk.js';
import type { Finding, RuleId } from './types.js';

function reportYoung(
  ctx: DoctorContext,
  out: Output,
  what: { resource: string; resourceName: string; scope: string; purpose: string },
  assignments: RoleAssignmentInfo[],
): void {
  const ages = assignments.map((a) => ctx.ageMs(a.createdOn));
  if (!assignments.length || ages.some((age) => age === undefined || age >= PROPAGATION_MS)) return;
  const first = assignments[0];
  out.find({
    resource: what.resource,
    resourceName: what.resourceName,
    symptom: `The role that ${what.purpose} was granted less than 10 minutes ago: 403 until it propagates`,
    evidence: {
      roleAssignments: assignments.map((a) => `${roleLabel(a, ctx.definitions)} on ${a.scope}`),
      createdOn: assignments.map((a) => a.createdOn?.toISOString() ?? ''),
      'age (minutes)': Math.max(0, Math.floor(Math.max(...ages.map((a) => a ?? 0)) / 60_000)),
    },
    fix: {
      az: roleAssignmentList(first?.principalId ?? '', what.scope),
      note: 'wait up to 10 minutes; a grant through group membership can take hours for a managed identity, so assign the role directly',
    },
  });
}

export const MI006 = rule(
  'MI006',
  'warning',
  'A role the other rules depend on is younger than 10 minutes',
  (ctx, out) => {
    for (const { account: a } of ctx.snapshot.accounts) {
      const grant = accountGrant(ctx, a);
      if (grant?.kind === 'granted' && a.autoStorage) {
        reportYoung(
          ctx,
          out,
          {
            resource: a.id,
            resourceName: a.name,
            scope: a.autoStorage.storageAccountId,
            purpose: 'lets the account identity write packages to autostorage',
          },
          grant.assignments,
        );
      }
      const cmk = locateCmk(ctx, a);
      if (cmk?.vault?.enableRbacAuthorization) {
        const verdict = cmkGrant(ctx, a, { ...cmk, vault: cmk.vault });
        if (verdict.kind === 'granted')
          reportYoung(
            ctx,
            out,
            {
              resource: a.id,
              resourceName: a.name,
              scope: cmk.vault.id,
              purpose: 'lets the account identity use its customer-managed key',
            },
            verdict.assignments,
          );
      }
    }
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      const grant = poolGrant(ctx, a, p.pool);
      if (grant?.verdict.kind === 'granted' && a.autoStorage) {
        reportYoung(
          ctx,
          out,
          {
            resource: p.pool.id,
            resourceName: nameOf(p.pool),
            scope: a.autoStorage.storageAccountId,
            purpose: 'lets the node identity read autostorage',
          },
          grant.verdict.assignments,
        );
      }
    }
  },
);

/** Start-task failure codes that point at identity or storage access (RULES.md §2). */
const IDENTITY_CODES = new Set([
  'resourcecontaineraccessdenied',
  'resourcecontainerlistmiscerror',
  'blobaccessdenied',
  'applicationpackageerror',
  'containerinvalidimage',
  'containerinvalidregistry',
]);

/** The configuration rules MI018 routes to (RULES.md MI018: "Route to MI003–MI009/MI017"). */
const EXPLAINS_START_TASK: ReadonlySet<RuleId> = new Set([
  'MI003',
  'MI004',
  'MI005',
  'MI007',
  'MI008',
  'MI009',
  'MI017',
]);

const explained = (
  found: readonly Finding[],
  resource: string,
  rules: ReadonlySet<RuleId>,
): boolean =>
  found.some(
    (f) =>
      rules.has(f.rule) &&
      f.resource.toLowerCase() === resource.toLowerCase() &&
      (f.severity === 'error' || f.severity === 'critical'),
  );

export const MI018 = rule(
  'MI018',
  'error',
  'Start task failed with an identity-related code',
  (ctx, out, found) => {
    for (const { pool: p } of ctx.pools()) {
      if (!p.nodes) {
        out.skip(p.pool.id, ctx.gap('nodes', p.pool.id)?.reason ?? 'the nodes were not read');
        continue;
      }
      // BlobDownloadMiscError points at identity only when the pool's files name one.
      const codes = p.pool.identityReferences.length
        ? new Set([...IDENTITY_CODES, 'blobdownloadmiscerror'])
        : IDENTITY_CODES;
      const failed = p.nodes.filter(
        (n) =>
          n.state === 'starttaskfailed' &&
          codes.has((n.startTaskFailure?.code ?? '').toLowerCase()),
      );
      const first = failed[0];
      if (!first?.startTaskFailure || explained(found, p.pool.id, EXPLAINS_START_TASK)) continue;
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom: `${failed.length} node(s) in startTaskFailed with ${first.startTaskFailure.code}: "${first.startTaskFailure.message}" (unusable for tasks, still billed)`,
        evidence: {
          nodes: describeNodes(failed),
          'startTaskInfo.failureInfo.code': first.startTaskFailure.code,
          'startTaskInfo.failureInfo.category': first.startTaskFailure.category ?? null,
        },
        fix: {
          az: `az batch node reboot --pool-id ${p.pool.name} --node-id ${first.id}`,
          note: 'first fix the cause: the identity, its role and the storage firewall for the failing resource file (MI003–MI009, MI017); a reboot reruns the start task',
        },
      });
    }
  },
);

export const MI028 = rule(
  'MI028',
  'info',
  'Unusable nodes without errors: not identity, look at networking',
  (ctx, out, found) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      if (!p.nodes) {
        out.skip(p.pool.id, ctx.gap('nodes', p.pool.id)?.reason ?? 'the nodes were not read');
        continue;
      }
      const silent = p.nodes.filter((n) => n.state === 'unusable' && n.errors.length === 0);
      // A customer-managed key Batch cannot use makes every node of the account unavailable (MI021).
      if (
        !silent.length ||
        found.some((f) => f.rule === 'MI021' && f.resource.toLowerCase() === a.id.toLowerCase())
      )
        continue;
      const subnet = p.pool.subnetId;
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom: `${silent.length} node(s) Unusable with no errors: the Batch service cannot reach them (NSG, UDR, DNS or private endpoint), not an identity problem`,
        evidence: {
          nodes: silent.slice(0, 5).map((n) => n.id),
          'nodes unusable without errors': silent.length,
          'pool.networkConfiguration.subnetId': subnet ?? null,
        },
        fix: {
          az: subnet
            ? `az network vnet subnet show --ids ${subnet} --query "{nsg:networkSecurityGroup.id,routeTable:routeTable.id,serviceEndpoints:serviceEndpoints[].service}"`
            : `az batch node list --pool-id ${p.pool.name} --filter "state eq 'unusable'" --query "[].{id:id,ip:ipAddress,since:stateTransitionTime}"`,
          note: "check that the subnet's NSG allows Batch's inbound node management traffic and that routes and DNS leave the Batch service reachable",
        },
      });
    }
  },
);
