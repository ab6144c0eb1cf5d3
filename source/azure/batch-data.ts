/**
 * The Batch data plane of one account (legacy @azure/batch 10.2.0, api-version 2022-10-01.16.0):
 * compute nodes and their service logs. One gateway per account, as the client is bound to one
 * batchUrl (`https://` + accountEndpoint).
 *
 * The node listing is the hot path of the Nodes screen (10,000 nodes every 5 s): `$select` keeps
 * only the columns the screen shows, `maxresults=1000` (the service's maximum) keeps the number
 * of round trips at 10 for the large pool, and each page is retried on its own.
 */
import type { BatchServiceClient, BatchServiceModels } from '@azure/batch';
import type {
  NodeDetail,
  NodeRow,
  NodeState,
  UploadBatchServiceLogsResult,
} from '../domain/model.js';
import { isNodeState } from '../domain/model.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import { ServiceHttpError } from './arm-request.js';
import type { CollectOptions, Collected, PageFetcher } from './paging.js';

/** Top-level ComputeNode properties the Nodes screen needs (Batch $select is top-level only). */
export const NODE_SELECT = [
  'id',
  'state',
  'schedulingState',
  'stateTransitionTime',
  'allocationTime',
  'ipAddress',
  'isDedicated',
  'errors',
  'startTaskInfo',
].join(',');

/** The Batch service returns at most 1000 nodes per page. */
export const NODE_PAGE_SIZE = 1000;

/**
 * A compute node as either the wire (JSON, dates as strings) or the SDK model (dates as Date)
 * has it: the property names are the same, so one mapper serves both.
 */
interface NodeLike {
  id?: string;
  state?: string;
  schedulingState?: string;
  stateTransitionTime?: Date | string;
  allocationTime?: Date | string;
  ipAddress?: string;
  isDedicated?: boolean;
  errors?: Array<{
    code?: string;
    message?: string;
    errorDetails?: Array<{ name?: string; value?: string }>;
  }>;
  startTaskInfo?: { failureInfo?: { code?: string; message?: string; category?: string } };
}

function stateOf(s: string | undefined): NodeState {
  const lower = (s ?? 'unknown').toLowerCase();
  return isNodeState(lower) ? lower : 'unknown';
}

const dateOf = (v: Date | string | undefined): Date | undefined =>
  v === undefined ? undefined : v instanceof Date ? v : new Date(v);

export function toNodeRow(n: NodeLike): NodeRow {
  const row: NodeRow = {
    id: n.id ?? '',
    state: stateOf(n.state),
    errors: (n.errors ?? []).map((e) => ({
      code: e.code ?? '',
      message: e.message ?? '',
      details: (e.errorDetails ?? []).map((d) => ({ name: d.name ?? '', value: d.value ?? '' })),
    })),
  };
  if (n.schedulingState === 'enabled' || n.schedulingState === 'disabled')
    row.schedulingState = n.schedulingState;
  const since = dateOf(n.stateTransitionTime);
  if (since) row.stateTransitionTime = since;
  const allocated = dateOf(n.allocationTime);
  if (allocated) row.allocationTime = allocated;
  if (n.ipAddress) row.ipAddress = n.ipAddress;
  if (n.isDedicated !== undefined) row.isDedicated = n.isDedicated;
  const failure = n.startTaskInfo?.failureInfo;
  if (failure) {
    row.startTaskFailure = {
      code: failure.code ?? '',
      message: failure.message ?? '',
      ...(failure.category ? { category: failure.category } : {}),
    };
  }
  return row;
}

/**
 * Node pages are fetched with the client's public `sendRequest` (same pipeline: signer, TLS
 * agent, user agent) instead of `computeNode.list`, to skip ms-rest-js's mapper-driven
 * deserialization: measured on the 10,000-node pool it is ~130 ms of a ~200 ms listing (the
 * JSON.parse alone ~12 ms), and the Nodes screen's whole refresh budget is 250 ms. Requests and
 * paging are the same as the SDK's (api-version, $select, maxresults, odata.nextLink).
 */
interface NodePageBody {
  value?: NodeLike[];
  'odata.nextLink'?: string;
}

/** Batch's error body (BatchError): `{ code, message: { lang, value } }`. */
interface BatchErrorBody {
  code?: string;
  message?: { value?: string } | string;
}

function batchHttpError(
  response: { status: number; headers: { get(name: string): string | undefined } },
  body?: BatchErrorBody,
): ServiceHttpError {
  const m = body?.message;
  const text = (typeof m === 'string' ? m : m?.value) ?? `Batch answered ${response.status}`;
  return new ServiceHttpError(text.split('\n')[0] ?? text, response.status, body?.code, response);
}

/** What @azure/batch 10.2.0 sends; read from the client when it says. */
const BATCH_API_VERSION = '2022-10-01.16.0';

/**
 * ms-rest-js types its signal as AbortSignalLike, whose `this`-typed onabort a DOM AbortSignal
 * does not match on paper; at run time it only calls addEventListener('abort'), which a native
 * signal has.
 */
type LegacySignal = BatchServiceModels.ComputeNodeGetOptionalParams['abortSignal'];
const legacy = (signal: AbortSignal | undefined): LegacySignal => signal as unknown as LegacySignal;

function parseBody(text: string | undefined): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export interface UploadLogsRequest {
  /** Container URL; with a SAS unless `identityReference` is given. */
  containerUrl: string;
  startTime: Date;
  endTime?: Date;
  /** A user-assigned identity on the pool with write access to the container. */
  identityReference?: { resourceId: string };
}

export class BatchDataGateway {
  private readonly calls: Caller;

  constructor(
    private readonly client: BatchServiceClient,
    options: GatewayOptions = {},
  ) {
    this.calls = new Caller(options);
  }

  /**
   * Every node of the pool (or the first `limit`), paging to the end with odata.nextLink.
   * `onPage` sees each page as it arrives, so a screen can show progress on a large pool.
   */
  async listNodes(
    poolId: string,
    call: CallOptions = {},
    collect: CollectOptions<NodeRow> & { select?: string; filter?: string } = {},
  ): Promise<Collected<NodeRow>> {
    const client = this.client;
    const query: Record<string, string> = {
      'api-version': client.apiVersion ?? BATCH_API_VERSION,
      $select: collect.select ?? NODE_SELECT,
      maxresults: String(NODE_PAGE_SIZE),
      ...(collect.filter ? { $filter: collect.filter } : {}),
    };
    const first = `${client.batchUrl.replace(/\/+$/, '')}/pools/${encodeURIComponent(poolId)}/nodes`;
    const fetch: PageFetcher<NodeRow> = async (nextLink) => {
      const response = await client.sendRequest({
        method: 'GET',
        url: nextLink ?? first,
        ...(nextLink ? {} : { queryParameters: query }),
        headers: { accept: 'application/json' },
        abortSignal: legacy(call.signal),
      });
      const body: unknown = response.parsedBody;
      if (response.status !== 200)
        throw batchHttpError(response, body as BatchErrorBody | undefined);
      const page = body as NodePageBody | undefined;
      const items = (page?.value ?? []).map(toNodeRow);
      const next = page?.['odata.nextLink'];
      return next ? { items, next } : { items };
    };
    const { select: _s, filter: _f, ...pagingOptions } = collect;
    return this.calls.list(
      `list nodes of pool ${poolId}`,
      fetch,
      call,
      pagingOptions,
      `pool ${poolId}`,
    );
  }

  async getNode(poolId: string, nodeId: string, call: CallOptions = {}): Promise<NodeDetail> {
    const n = await this.calls.read(
      `read node ${nodeId} of pool ${poolId}`,
      () => this.client.computeNode.get(poolId, nodeId, { abortSignal: legacy(call.signal) }),
      call,
      `node ${nodeId} of pool ${poolId}`,
    );
    const detail: NodeDetail = { ...toNodeRow(n), raw: parseBody(n._response.bodyAsText) };
    if (n.vmSize) detail.vmSize = n.vmSize;
    if (n.lastBootTime) detail.lastBootTime = n.lastBootTime;
    if (n.nodeAgentInfo?.version) detail.nodeAgentVersion = n.nodeAgentInfo.version;
    return detail;
  }

  /**
   * Asks the node to upload its Batch service logs (agent-debug.log, …) to a container. Treated
   * as a write: it creates blobs in the operator's storage, so read-only mode refuses it, and it
   * is not retried on 5xx (each call starts a new upload into a new virtual directory).
   */
  async uploadBatchServiceLogs(
    poolId: string,
    nodeId: string,
    request: UploadLogsRequest,
    call: CallOptions = {},
  ): Promise<UploadBatchServiceLogsResult> {
    const r = await this.calls.write(
      `upload Batch service logs of node ${nodeId}`,
      () =>
        this.client.computeNode.uploadBatchServiceLogs(
          poolId,
          nodeId,
          {
            containerUrl: request.containerUrl,
            startTime: request.startTime,
            ...(request.endTime ? { endTime: request.endTime } : {}),
            ...(request.identityReference
              ? { identityReference: { ...request.identityReference } }
              : {}),
          },
          { abortSignal: legacy(call.signal) },
        ),
      call,
      `node ${nodeId} of pool ${poolId}`,
    );
    return {
      virtualDirectoryName: r.virtualDirectoryName,
      numberOfFilesUploaded: r.numberOfFilesUploaded,
    };
  }
}
