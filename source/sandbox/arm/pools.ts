/**
 * Microsoft.Batch/batchAccounts/pools (BatchManagement.json 2023-11-01): list, get, create (PUT),
 * update (PATCH), delete, with ETag / If-Match (412 on mismatch) and the top-level `identity`
 * (MI012: it is not a member of properties). Assigning user-assigned identities needs
 * assign/action on each of them (LinkedAuthorizationFailed otherwise, auth.ts). Read-only
 * properties are computed when serving. A change of fixedScale targets resizes the pool
 * (behaviour.ts allocates or removes nodes).
 */
import type { Pool } from '../world/model.js';
import { isoTime } from '../world/ids.js';
import { resizePool } from '../world/behaviour.js';
import { nodesOf } from '../world/nodes.js';
import type { ArmContext, ArmRoute } from './context.js';
import { guard, param, resourceNotFound, scopeOf } from './context.js';
import { armError, asRecord, ok, page, readJson } from './http.js';
import { assignedIdentityIds, identityType, resolveUserAssigned } from './identity-refs.js';
import { authorizeLinked, IDENTITY_ASSIGN } from './auth.js';
import { ACCOUNT_TYPE } from './batch-accounts.js';
import { resolveReference, usable } from '../world/applications.js';
import type { World } from '../world/world.js';

const TYPE = 'Microsoft.Batch/batchAccounts/pools';
const READ_ONLY = ['lastModified', 'creationTime', 'provisioningState', 'provisioningStateTransitionTime', 'allocationState', 'allocationStateTransitionTime', 'currentDedicatedNodes', 'currentLowPriorityNodes', 'resizeOperationStatus', 'autoScaleRun', 'currentNodeCommunicationMode'];

/** Secrets a pool may be given (x-ms-secret in BatchManagement.json): ARM never answers with them. */
const SECRETS = new Set(['password', 'accountKey', 'sasKey', 'protectedSettings', 'sshPrivateKey']);

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRETS.has(k)).map(([k, v]) => [k, withoutSecrets(v)]));
}

export function serializePool(ctxWorld: ArmContext['services']['world'], p: Pool) {
  let dedicated = 0;
  let lowPriority = 0;
  for (const node of nodesOf(ctxWorld, p).values()) {
    if (node.isDedicated) dedicated++;
    else lowPriority++;
  }
  return {
    id: p.id,
    name: p.name,
    type: TYPE,
    etag: p.etag,
    ...(p.identity ? { identity: p.identity } : {}),
    properties: {
      // Defaults Azure fills in when the request leaves them out (PoolCreate examples).
      interNodeCommunication: 'Disabled',
      taskSlotsPerNode: 1,
      taskSchedulingPolicy: { nodeFillType: 'Spread' },
      ...(withoutSecrets(p.properties) as Record<string, unknown>),
      lastModified: isoTime(p.lastModified),
      creationTime: isoTime(p.creationTime),
      provisioningState: 'Succeeded',
      provisioningStateTransitionTime: isoTime(p.creationTime),
      allocationState: p.allocationState,
      allocationStateTransitionTime: isoTime(p.allocationStateTransitionTime),
      currentDedicatedNodes: dedicated,
      currentLowPriorityNodes: lowPriority,
      ...(p.resizeErrors?.length ? { resizeOperationStatus: { errors: p.resizeErrors.map((e) => ({ code: e.code, message: e.message })) } } : {}),
    },
  };
}

const ids = (ctx: ArmContext) => {
  const accountId = `${scopeOf(ctx)}/providers/${ACCOUNT_TYPE}/${param(ctx, 'accountName')}`;
  return { accountId, poolId: `${accountId}/pools/${param(ctx, 'poolName')}` };
};

function packagesUsable(world: World, accountId: string, value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  return value.every((item) => {
    const ref = asRecord(item);
    if (typeof ref?.id !== 'string') return false;
    return usable(resolveReference(world, accountId, { id: ref.id, ...(typeof ref.version === 'string' ? { version: ref.version } : {}) }));
  });
}

const poolNotFound = () => armError(404, 'PoolNotFound', 'The specified pool does not exist.');

function withEtag(ctx: ArmContext, pool: Pool, status = 200) {
  return ok(serializePool(ctx.services.world, pool), status, { etag: pool.etag });
}

/** PUT replaces, PATCH merges; both honour If-Match (and PUT If-None-Match: *). */
function write(ctx: ArmContext, mode: 'put' | 'patch') {
  const { accountId, poolId } = ids(ctx);
  const problem = guard(ctx, `${TYPE}/write`, poolId);
  if (problem) return problem;
  const parsed = readJson(ctx.req);
  if (!parsed.ok) return parsed.response;
  // ARM checks the linked scopes before the request reaches Batch: each identity assigned needs assign/action.
  const linked = authorizeLinked(ctx.services, ctx.caller, `${TYPE}/write`, poolId, IDENTITY_ASSIGN, assignedIdentityIds(parsed.body.identity));
  if (linked) return linked;
  const world = ctx.services.world;
  const account = world.batchAccounts.get(accountId.toLowerCase());
  if (!account) return resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
  const existing = world.pools.get(poolId.toLowerCase());
  if (mode === 'patch' && !existing) return poolNotFound();
  const ifMatch = ctx.req.headers['if-match'];
  const ifNoneMatch = ctx.req.headers['if-none-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== existing?.etag) {
    return armError(412, 'PreconditionFailed', 'The condition specified using HTTP conditional header(s) is not met.');
  }
  if (ifNoneMatch === '*' && existing) return armError(412, 'PreconditionFailed', 'The condition specified using HTTP conditional header(s) is not met.');
  const props = { ...(asRecord(parsed.body.properties) ?? {}) };
  for (const name of READ_ONLY) delete props[name];
  if (props.applicationPackages !== undefined && !packagesUsable(world, account.id, props.applicationPackages)) {
    // InvalidApplicationPackageReferences, HTTP 409: an application or version that does not exist or is not active, or no version and no default (ApplicationPackageReference docs).
    return armError(409, 'InvalidApplicationPackageReferences', 'One or more of the specified application package references are invalid.');
  }
  const now = world.clock.now();
  let identity = existing?.identity;
  const identityChanged = parsed.body.identity !== undefined;
  if (identityChanged) {
    const type = identityType(parsed.body.identity) ?? 'None';
    if (type === 'UserAssigned') {
      const resolved = resolveUserAssigned(world, poolId, asRecord(parsed.body.identity)?.userAssignedIdentities);
      if (!resolved.ok) return resolved.response;
      identity = { type: 'UserAssigned', userAssignedIdentities: resolved.map };
    } else if (type === 'None') identity = { type: 'None' };
    else return armError(400, 'InvalidRequestBody', `The value '${type}' of the pool identity type is not supported. Supported values are 'UserAssigned' and 'None'.`);
  }
  const pool: Pool = existing ?? {
    id: poolId,
    name: param(ctx, 'poolName'),
    accountId: account.id,
    properties: {},
    etag: '',
    creationTime: now,
    lastModified: now,
    identityLastModified: now,
    allocationState: 'Steady',
    allocationStateTransitionTime: now,
  };
  const before = JSON.stringify(pool.properties.scaleSettings ?? null);
  pool.properties = mode === 'put' ? props : { ...pool.properties, ...props };
  if (identity) pool.identity = identity;
  if (identityChanged) pool.identityLastModified = now;
  pool.lastModified = now;
  // Every write gets its own ETag, even two in the same simulated millisecond (If-Match relies on it).
  pool.etag = world.nextEtag(now);
  world.pools.set(poolId.toLowerCase(), pool);
  if (!existing || JSON.stringify(pool.properties.scaleSettings ?? null) !== before) resizePool(world, pool);
  // Pool_Create answers 200 (BatchManagement.json), new or not.
  return withEtag(ctx, pool);
}

const poolPath = `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ACCOUNT_TYPE}/{accountName}/pools/{poolName}`;

export const poolRoutes: ArmRoute[] = [
  {
    provider: 'batch',
    method: 'GET',
    pattern: `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ACCOUNT_TYPE}/{accountName}/pools`,
    handle: (ctx) => {
      const { accountId } = ids(ctx);
      const problem = guard(ctx, `${TYPE}/read`, accountId);
      if (problem) return problem;
      const world = ctx.services.world;
      if (!world.batchAccounts.has(accountId.toLowerCase())) return resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
      const pools = [...world.pools.values()].filter((p) => p.accountId.toLowerCase() === accountId.toLowerCase());
      const max = Number.parseInt(ctx.req.url.searchParams.get('maxresults') ?? '', 10);
      return page(ctx.req, ctx.services.endpoints.arm, pools, (p) => serializePool(world, p), Number.isFinite(max) && max > 0 ? max : 100);
    },
  },
  {
    provider: 'batch',
    method: 'GET',
    pattern: poolPath,
    handle: (ctx) => {
      const { accountId, poolId } = ids(ctx);
      const problem = guard(ctx, `${TYPE}/read`, poolId);
      if (problem) return problem;
      if (!ctx.services.world.batchAccounts.has(accountId.toLowerCase())) return resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
      const pool = ctx.services.world.pools.get(poolId.toLowerCase());
      return pool ? withEtag(ctx, pool) : poolNotFound();
    },
  },
  { provider: 'batch', method: 'PUT', pattern: poolPath, handle: (ctx) => write(ctx, 'put') },
  { provider: 'batch', method: 'PATCH', pattern: poolPath, handle: (ctx) => write(ctx, 'patch') },
  {
    provider: 'batch',
    method: 'DELETE',
    pattern: poolPath,
    handle: (ctx) => {
      const { poolId } = ids(ctx);
      const problem = guard(ctx, `${TYPE}/delete`, poolId);
      if (problem) return problem;
      const world = ctx.services.world;
      if (!world.pools.delete(poolId.toLowerCase())) return { status: 204 };
      world.nodes.delete(poolId.toLowerCase());
      return { status: 200 };
    },
  },
];
