/**
 * The Batch data plane of one account (legacy @azure/batch 10.2.0, api-version 2022-10-01.16.0):
 * compute nodes and their service logs. One gateway per account, as the client is bound to one
 * batchUrl (`https://` + accountEndpoint).
 *
 * The node listing is the hot path of the Nodes screen (10,000 nodes every 5 s): `$select` keeps
 * only the columns the screen shows, `maxresults=1000` (the service's maximum) keeps the number
 * of round trips at 10 for the large pool, each page is retried on its own, and each is read as
 * its text arrives, never held whole (batch-data-pages.ts). `eachNode` hands the nodes over as
 * they are read, reusing the rows a live view already holds (SPEC §7: RSS ≤ 200 MB).
 */
import type { BatchServiceClient, BatchServiceModels } from '@azure/batch';
import type { NodeDetail, NodeRow, UploadBatchServiceLogsResult } from '../domain/model.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import { ServiceHttpError } from './arm-request.js';
import { sameAsListed, toNodeRow, type NodeLike } from './batch-data-nodes.js';
import { brokenBody, ListPageReader, PageFormatError, readText } from './batch-data-pages.js';
import { collectPages, type CollectOptions, type Collected, type PageFetcher } from './paging.js';

export { isoMs, sameAsListed, toNodeRow } from './batch-data-nodes.js';

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

type NodeListOptions = { select?: string; filter?: string };

export interface EachNodeOptions extends NodeListOptions {
  /**
   * The row the caller already holds for a node id, if any. When the listing says the same, that
   * row is handed over again instead of a new one: an unchanged node then costs nothing that
   * outlives its page. That matters beyond the allocation itself: rows that a caller keeps
   * (the first listing, `listNodes`) teach V8 that this code's objects live long, and it then
   * allocates every later row straight into the old generation (allocation-site pretenuring),
   * where 10,000 discarded rows per refresh pile up until a full GC. Rows made here are only
   * ever the ones that are kept.
   */
  held?: (id: string) => NodeRow | undefined;
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
    collect: CollectOptions<NodeRow> & NodeListOptions = {},
  ): Promise<Collected<NodeRow>> {
    const { select, filter, ...pagingOptions } = collect;
    const read = this.nodePages(poolId, call, { select, filter });
    const fetch: PageFetcher<NodeRow> = async (nextLink) => {
      const items: NodeRow[] = [];
      const next = await read(nextLink, (batch) => {
        for (const n of batch) items.push(toNodeRow(n as NodeLike));
      });
      return next ? { items, next } : { items };
    };
    return this.calls.list(
      `list nodes of pool ${poolId}`,
      fetch,
      call,
      pagingOptions,
      `pool ${poolId}`,
    );
  }

  /**
   * Every node of the pool, handed to `onNodes` a few dozen at a time as each page's text arrives;
   * nothing is kept here, so a caller that keeps only what changed (the live Nodes screen) holds
   * one copy of the pool, not two (see `held`). A page retried after breaking part-way resumes
   * after the rows already handed over. Resolves with how many nodes and pages were read.
   */
  async eachNode(
    poolId: string,
    onNodes: (rows: NodeRow[]) => void,
    call: CallOptions = {},
    options: EachNodeOptions = {},
  ): Promise<{ count: number; pages: number }> {
    const { held, ...listOptions } = options;
    const rowOf = (n: NodeLike): NodeRow => {
      const kept = held && n.id !== undefined ? held(n.id) : undefined;
      return kept !== undefined && sameAsListed(kept, n) ? kept : toNodeRow(n);
    };
    const read = this.nodePages(poolId, call, listOptions);
    let count = 0;
    // The page being read and how many of its rows were handed over (by earlier attempts too).
    let page: string | undefined | null = null;
    let handed = 0;
    const fetch: PageFetcher<never> = async (nextLink) => {
      if (page !== nextLink) {
        page = nextLink;
        handed = 0;
      }
      let index = 0;
      const next = await read(nextLink, (batch) => {
        const rows: NodeRow[] = [];
        for (const n of batch) if (index++ >= handed) rows.push(rowOf(n as NodeLike));
        if (rows.length === 0) return;
        handed += rows.length;
        count += rows.length;
        onNodes(rows);
      });
      return next ? { items: [], next } : { items: [] };
    };
    const { pages } = await collectPages(
      fetch,
      this.calls.retryOptions(`list nodes of pool ${poolId}`, true, call, `pool ${poolId}`),
    );
    return { count, pages };
  }

  /**
   * A reader of the pool's node pages: reads one (the first, or `nextLink`), hands its items to
   * `onItems` as they arrive, and resolves with the next link.
   *
   * Pages are fetched with the client's public `sendRequest` (same pipeline: signer, TLS agent,
   * user agent) instead of `computeNode.list`, to skip ms-rest-js's mapper-driven
   * deserialization: measured on the 10,000-node pool it is ~130 ms of a ~200 ms listing, and the
   * Nodes screen's whole refresh budget is 250 ms. Requests and paging are the same as the SDK's
   * (api-version, $select, maxresults, odata.nextLink). The body is streamed and read by
   * ListPageReader as it arrives, never held whole (see batch-data-pages.ts for why).
   */
  private nodePages(poolId: string, call: CallOptions, options: NodeListOptions) {
    const client = this.client;
    const query: Record<string, string> = {
      'api-version': client.apiVersion ?? BATCH_API_VERSION,
      $select: options.select ?? NODE_SELECT,
      maxresults: String(NODE_PAGE_SIZE),
      ...(options.filter ? { $filter: options.filter } : {}),
    };
    const first = `${client.batchUrl.replace(/\/+$/, '')}/pools/${encodeURIComponent(poolId)}/nodes`;
    return async (
      nextLink: string | undefined,
      onItems: (items: unknown[]) => void,
    ): Promise<string | undefined> => {
      const response = await client.sendRequest({
        method: 'GET',
        url: nextLink ?? first,
        ...(nextLink ? {} : { queryParameters: query }),
        headers: { accept: 'application/json' },
        abortSignal: legacy(call.signal),
        streamResponseBody: true,
      });
      // An HTTP client that does not stream (a test's) answers with the text in one piece.
      const read = async (onText: (text: string) => void) => {
        if (response.readableStreamBody) await readText(response.readableStreamBody, onText);
        else if (response.bodyAsText) onText(response.bodyAsText);
      };
      if (response.status !== 200) {
        let text = '';
        await read((piece) => (text += piece));
        throw batchHttpError(response, parseBody(text) as BatchErrorBody | undefined);
      }
      const reader = new ListPageReader(onItems);
      await read((piece) => reader.write(piece));
      try {
        return reader.end().nextLink;
      } catch (error) {
        // A body that stops short is a connection that closed early: retried as such.
        throw error instanceof PageFormatError && error.truncated ? brokenBody(error) : error;
      }
    };
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
