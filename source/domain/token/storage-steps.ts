/**
 * Steps 3 and 4 of the token check: what storage answered to the token, and whether the
 * identity's role assignments grant the data action — each with the fix that names the real
 * principal and storage account when they are known.
 */
import { roleAssignmentCreate, storageNetworkRuleAdd } from '../doctor/fixes.js';
import { BLOB_READ, evaluateGrant, roleLabel } from '../doctor/rbac.js';
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../model.js';
import type { StepResult } from './steps.js';
import { describeTarget, targetScope, type StorageTarget } from './storage-url.js';

export interface StorageProbe {
  /** 'List Blobs' on a container, 'Get Blob Properties' on a blob. */
  operation: string;
  /** Undefined: no HTTP answer (network). */
  status?: number;
  /** x-ms-error-code. */
  code?: string;
  message: string;
}

/** What the storage and RBAC steps need to name the fix precisely. */
export interface StorageContext {
  target: StorageTarget;
  principalId?: string;
  storageAccountId?: string;
  /** A data role granted less than 10 minutes ago (MI006): storage may not honour it yet. */
  recentGrant?: { role: string; minutes: number };
  claimsFailed?: boolean;
  /** The token is the operator's own: a missing role is theirs, not a pool identity's (no MI005). */
  operator?: boolean;
}

const READER = 'Storage Blob Data Reader';

function grantFix(ctx: StorageContext): string {
  const scope = ctx.storageAccountId ?? `<storage account id of ${ctx.target.accountName}>`;
  const principal = ctx.principalId ?? '<principal id>';
  if (ctx.operator)
    return `ask an owner to run: az role assignment create --assignee-object-id ${principal} --role "${READER}" --scope ${scope} (applies within 10 minutes)`;
  return `${roleAssignmentCreate(principal, READER, scope)} — or the program's "autostorage with managed identity" flow, which creates it; roles take up to 10 minutes to apply`;
}

/** A missing data role: MI005 and the autostorage flow for a pool identity, neither for the operator. */
const missingRole = (ctx: StorageContext): Partial<StepResult> =>
  ctx.operator ? {} : { rule: 'MI005', flow: 'autostorage-mi' };

export function evaluateStorage(probe: StorageProbe | undefined, ctx: StorageContext): StepResult {
  const where = describeTarget(ctx.target);
  if (!probe)
    return {
      step: 'storage',
      status: 'skipped',
      summary: `${where} not called`,
      reason: 'there is no token to call it with',
    };
  const answered = `${probe.operation} on ${where} answered ${probe.status ?? 'nothing'}${probe.code ? ` ${probe.code}` : ''}`;
  const fail = (reason: string, fix: string, extra: Partial<StepResult> = {}): StepResult => ({
    step: 'storage',
    status: 'fail',
    summary: answered,
    reason,
    fix,
    ...extra,
  });
  if (probe.status !== undefined && probe.status >= 200 && probe.status < 300)
    return { step: 'storage', status: 'pass', summary: answered };
  if (probe.status === undefined)
    return fail(
      `storage did not answer: ${probe.message}`,
      'check DNS, proxy (HTTPS_PROXY), private endpoints and the network path to the account',
    );
  switch (probe.code) {
    case 'AuthorizationPermissionMismatch':
      if (ctx.recentGrant)
        return fail(
          `the identity holds ${ctx.recentGrant.role}, granted ${ctx.recentGrant.minutes} min ago: role assignments take up to 10 minutes to apply`,
          'wait 10 minutes and run the check again; an identity granted through a group can take hours (assign it directly)',
          { rule: 'MI006' },
        );
      return fail(
        'the token is valid but the identity holds no Storage Blob Data role that allows reading here (AuthorizationPermissionMismatch): a missing data role',
        grantFix(ctx),
        missingRole(ctx),
      );
    case 'AuthorizationFailure':
      return fail(
        "the storage firewall refused the caller's network (AuthorizationFailure), whatever the roles: the account denies by default and this network is not allowed",
        `${storageNetworkRuleAdd(ctx.storageAccountId ?? `<storage account id of ${ctx.target.accountName}>`, '<pool subnet id>')} (a subnet in the same region needs the Microsoft.Storage service endpoint)`,
        { rule: 'MI017' },
      );
    case 'AuthenticationFailed':
    case 'InvalidAuthenticationInfo':
    case 'NoAuthenticationInformation':
      return fail(
        `storage rejected the token itself (${probe.code}: ${probe.message})${ctx.claimsFailed ? ', as the claims step predicted' : ''}: it is expired, for another audience, from another tenant or not signed by Entra ID`,
        'get a fresh token for resource=https://storage.azure.com/ for the right identity and run the check again',
      );
    case 'ContainerNotFound':
    case 'BlobNotFound':
    case 'ResourceNotFound':
      return fail(
        `storage accepted the token, but ${probe.code === 'BlobNotFound' ? 'the blob' : 'the container'} does not exist`,
        'check the URL: container and blob names are case-sensitive',
      );
    case 'KeyBasedAuthenticationNotPermitted':
      return fail(
        'the account refuses shared keys and SAS signed with them',
        'use a managed identity token or a user delegation SAS',
      );
    default:
      return fail(
        `storage answered ${probe.status}${probe.code ? ` ${probe.code}` : ''}: ${probe.message}`,
        'read the storage error code in the Blob service REST reference',
      );
  }
}

/** The role data of the identity around the storage account, or why it could not be read. */
export type RoleData =
  | {
      storageAccountId: string;
      assignments: readonly RoleAssignmentInfo[];
      definitions: ReadonlyMap<string, RoleDefinitionInfo>;
    }
  | { unavailable: string };

export function evaluateRbac(
  data: RoleData | undefined,
  ctx: StorageContext & { storagePassed: boolean },
  dataAction = BLOB_READ,
): StepResult {
  const action = dataAction.split('/').slice(-2).join('/');
  if (!ctx.principalId)
    return {
      step: 'rbac',
      status: 'skipped',
      summary: 'no principal to look up',
      reason: "neither the token nor ARM gave the identity's object id",
    };
  if (!data || 'unavailable' in data)
    return {
      step: 'rbac',
      status: 'skipped',
      summary: `role assignments of ${ctx.principalId} not read`,
      reason: data?.unavailable ?? 'ARM is not reachable from here',
    };
  const scope = targetScope(data.storageAccountId, ctx.target);
  const verdict = evaluateGrant(data.assignments, data.definitions, [ctx.principalId], scope, [
    dataAction,
  ]);
  const roles = (list: readonly RoleAssignmentInfo[]) =>
    list.map((a) => `${roleLabel(a, data.definitions)} at ${a.scope}`).join(', ') ||
    'no role there';
  if (verdict.kind === 'granted')
    return {
      step: 'rbac',
      status: 'pass',
      summary: `${action} granted by ${roles(verdict.assignments)}`,
    };
  if (verdict.kind === 'unknown')
    return {
      step: 'rbac',
      status: 'skipped',
      summary: `cannot tell whether ${action} is granted`,
      reason: verdict.reason,
    };
  const note = ctx.storagePassed
    ? '; storage allowed it anyway, so the grant comes another way (a group, a condition, a SAS)'
    : '';
  return {
    step: 'rbac',
    status: 'fail',
    ...missingRole(ctx),
    summary: `no role of ${ctx.principalId} on ${ctx.target.accountName} grants ${action}`,
    reason: `it holds ${roles(verdict.assignments)}${note}`,
    fix: grantFix({ ...ctx, storageAccountId: data.storageAccountId }),
  };
}
