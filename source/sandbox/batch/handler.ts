/**
 * The Batch data plane of one account (its own listener at accountEndpoint): pools, compute
 * nodes with $filter / $select / maxresults and absolute `odata.nextLink` paging, get node, and
 * uploadbatchservicelogs. Paths as BatchService.json 2022-10-01.16.0 names them.
 */
import type { SandboxServices } from '../contracts.js';
import type { Handler, SandboxRequest, SandboxResponse } from '../http/types.js';
import type { Pool } from '../world/model.js';
import { key } from '../world/world.js';
import { nodesOf } from '../world/nodes.js';
import { authenticateBatch, authorizeBatch } from './auth.js';
import { batchError } from './errors.js';
import { compileFilter, FilterSyntaxError, type Predicate } from './filter.js';
import { nodeContext, serializeDataPlanePool, serializeNode } from './serialize.js';
import { uploadServiceLogs } from './upload-logs.js';

/** Versions @azure/batch and @azure-rest/batch send, back to those Azure still serves. */
export const BATCH_API_VERSIONS = ['2020-09-01.12.0', '2021-06-01.14.0', '2022-01-01.15.0', '2022-10-01.16.0', '2023-05-01.17.0', '2023-11-01.18.0', '2024-02-01.19.0', '2024-07-01.20.0', '2025-06-01'];

const MAX_RESULTS = 1000;

interface BatchContext {
  services: SandboxServices;
  req: SandboxRequest;
  host: string;
  origin: string;
  accountId: string;
  oid: string;
}

const err = (ctx: BatchContext, status: number, code: string, text: string, values?: Array<{ key: string; value: string }>) =>
  batchError(ctx.host, status, code, text, values, ctx.services.world.clock.now());

const invalidQuery = (ctx: BatchContext, name: string, value: string, reason: string) =>
  err(ctx, 400, 'InvalidQueryParameterValue', 'Value for one of the query parameters specified in the request URI is invalid.', [
    { key: 'QueryParameterName', value: name },
    { key: 'QueryParameterValue', value },
    { key: 'Reason', value: reason },
  ]);

function findPool(ctx: BatchContext, poolName: string): Pool | undefined {
  return ctx.services.world.pools.get(key(`${ctx.accountId}/pools/${poolName}`));
}

function paging(ctx: BatchContext): { filter?: Predicate; select?: string[]; max: number; offset: number } | SandboxResponse {
  const params = ctx.req.url.searchParams;
  let filter: Predicate | undefined;
  const filterText = params.get('$filter');
  if (filterText) {
    try {
      filter = compileFilter(filterText);
    } catch (e) {
      if (e instanceof FilterSyntaxError) return invalidQuery(ctx, '$filter', filterText, e.message);
      throw e;
    }
  }
  const maxText = params.get('maxresults');
  const max = maxText === null ? MAX_RESULTS : Number.parseInt(maxText, 10);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) return invalidQuery(ctx, 'maxresults', maxText ?? '', `The value must be between 1 and ${MAX_RESULTS}.`);
  const offset = Math.max(0, Number.parseInt(params.get('$skiptoken') ?? '0', 10) || 0);
  const selectText = params.get('$select');
  return { filter, max, offset, ...(selectText ? { select: selectText.split(',').map((s) => s.trim()).filter(Boolean) } : {}) };
}

function project(item: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const name of select) if (name in item) out[name] = item[name];
  return out;
}

function nextLink(ctx: BatchContext, offset: number): string {
  const next = new URL(`${ctx.origin}${ctx.req.url.pathname}`);
  for (const [k, v] of ctx.req.url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$skiptoken', String(offset));
  return next.toString();
}

function listNodes(ctx: BatchContext, pool: Pool): SandboxResponse {
  const options = paging(ctx);
  if ('status' in options) return options;
  const serialization = nodeContext(ctx.origin, pool);
  const value: Array<Record<string, unknown>> = [];
  let matched = 0;
  let more = false;
  // Filtering on the serialized node keeps $filter faithful to the wire names; only nodes that
  // reach the page are kept, so 10,000 nodes page quickly.
  for (const node of nodesOf(ctx.services.world, pool).values()) {
    if (!options.filter && matched < options.offset) {
      matched++;
      continue;
    }
    const wire = serializeNode(serialization, node);
    if (options.filter && !options.filter(wire)) continue;
    if (matched >= options.offset + options.max) {
      more = true;
      break;
    }
    if (matched >= options.offset) value.push(project(wire, options.select));
    matched++;
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json;odata=minimalmetadata' },
    body: {
      'odata.metadata': `${ctx.origin}/$metadata#nodes`,
      value,
      ...(more ? { 'odata.nextLink': nextLink(ctx, options.offset + options.max) } : {}),
    },
  };
}

function poolCounts(ctx: BatchContext, pool: Pool) {
  let dedicated = 0;
  let lowPriority = 0;
  for (const n of nodesOf(ctx.services.world, pool).values()) {
    if (n.isDedicated) dedicated++;
    else lowPriority++;
  }
  return { dedicated, lowPriority };
}

function listPools(ctx: BatchContext): SandboxResponse {
  const options = paging(ctx);
  if ('status' in options) return options;
  const all = [...ctx.services.world.pools.values()]
    .filter((p) => key(p.accountId) === key(ctx.accountId))
    .map((p) => serializeDataPlanePool(ctx.origin, p, poolCounts(ctx, p)))
    .filter((p) => options.filter?.(p) ?? true);
  const slice = all.slice(options.offset, options.offset + options.max).map((p) => project(p, options.select));
  return {
    status: 200,
    headers: { 'content-type': 'application/json;odata=minimalmetadata' },
    body: {
      'odata.metadata': `${ctx.origin}/$metadata#pools`,
      value: slice,
      ...(options.offset + options.max < all.length ? { 'odata.nextLink': nextLink(ctx, options.offset + options.max) } : {}),
    },
  };
}

async function route(ctx: BatchContext, segments: string[]): Promise<SandboxResponse | undefined> {
  const method = ctx.req.method.toUpperCase();
  const [first, poolName, third, nodeId, action] = segments;
  if (first?.toLowerCase() !== 'pools') return undefined;
  const scope = ctx.accountId;
  const readAction = 'Microsoft.Batch/batchAccounts/pools/read';
  if (segments.length === 1 && method === 'GET') return authorizeBatch(ctx.services, ctx.req, ctx.oid, readAction, scope) ?? listPools(ctx);
  const pool = poolName === undefined ? undefined : findPool(ctx, poolName);
  const denied = authorizeBatch(ctx.services, ctx.req, ctx.oid, method === 'GET' ? readAction : 'Microsoft.Batch/batchAccounts/pools/write', scope);
  if (denied) return denied;
  if (!pool) return err(ctx, 404, 'PoolNotFound', 'The specified pool does not exist.');
  if (segments.length === 2 && method === 'GET') {
    const select = ctx.req.url.searchParams.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean);
    const wire = project(serializeDataPlanePool(ctx.origin, pool, poolCounts(ctx, pool)), select?.length ? select : undefined);
    return { status: 200, headers: { etag: pool.etag }, body: { 'odata.metadata': `${ctx.origin}/$metadata#pools/@Element`, ...wire } };
  }
  if (third?.toLowerCase() !== 'nodes') return undefined;
  if (segments.length === 3 && method === 'GET') return listNodes(ctx, pool);
  const node = nodeId === undefined ? undefined : nodesOf(ctx.services.world, pool).get(nodeId);
  if (!node) return err(ctx, 404, 'NodeNotFound', 'The specified node does not exist.');
  if (segments.length === 4 && method === 'GET') {
    return { status: 200, body: { 'odata.metadata': `${ctx.origin}/$metadata#pools/@Element/nodes/@Element`, ...serializeNode(nodeContext(ctx.origin, pool), node) } };
  }
  if (segments.length === 5 && method === 'POST' && action?.toLowerCase() === 'uploadbatchservicelogs') {
    return uploadServiceLogs(ctx.services, ctx.req, { host: ctx.host, accountId: ctx.accountId, pool, node });
  }
  return undefined;
}

export function createBatchHandler(services: SandboxServices, accountArmId: string): Handler {
  return async (req) => {
    const host = req.headers.host ?? services.world.batchAccounts.get(key(accountArmId))?.accountEndpoint ?? '127.0.0.1';
    const version = req.url.searchParams.get('api-version');
    const base = { services, req, host, origin: `https://${host}`, accountId: accountArmId, oid: '' };
    if (!version) return err(base, 400, 'MissingRequiredQueryParameter', 'A query parameter that\'s mandatory for this request is not specified.', [{ key: 'QueryParameterName', value: 'api-version' }]);
    if (!BATCH_API_VERSIONS.includes(version)) return invalidQuery(base, 'api-version', version, 'The specified api version string is invalid');
    const caller = authenticateBatch(services, req);
    if ('status' in caller) return caller;
    if (!services.world.batchAccounts.has(key(accountArmId))) return err(base, 404, 'AccountNotFound', 'The specified account does not exist.');
    services.world.tick();
    return route({ ...base, oid: caller.oid }, req.path.split('/').filter(Boolean));
  };
}
