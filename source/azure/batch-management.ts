/**
 * Microsoft.Batch through ARM (@azure/arm-batch): accounts and pools, and the PATCHes the flows
 * make. One gateway per subscription, as the SDK client is bound to one.
 *
 * ARM calls per listing (SPEC §7, no N+1): accounts of a subscription = 1 call per page; pools of
 * an account = 1 call per page. Identities need no call (they are in the identity blocks).
 */
import { getContinuationToken, type BatchManagementClient, type Pool } from '@azure/arm-batch';
import type { DomainError } from '../domain/errors.js';
import type {
  AccountPatch,
  BatchAccountDetail,
  BatchAccountSummary,
  PoolPatch,
  PoolSummary,
} from '../domain/model.js';
import { toAccountDetail, toAccountSummary, toPoolSummary } from './batch-management-map.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import { mapSettled } from './concurrency.js';
import { armPages } from './paging.js';
import { removeSdkRetries } from './sdk-options.js';

export interface AccountRef {
  resourceGroup: string;
  name: string;
}

export interface PoolRef {
  resourceGroup: string;
  accountName: string;
  /** The pool id. */
  name: string;
}

/**
 * `$select` for the pool listing: every top-level property the Pools screen and the doctor read
 * (identity, id, name, etag are outside `properties/` and always returned). Leaves out
 * userAccounts, metadata, resourceTags and the scheduling knobs, which can be large.
 */
export const POOL_SELECT = [
  'displayName',
  'vmSize',
  'deploymentConfiguration',
  'scaleSettings',
  'currentDedicatedNodes',
  'currentLowPriorityNodes',
  'allocationState',
  'allocationStateTransitionTime',
  'provisioningState',
  'creationTime',
  'lastModified',
  'resizeOperationStatus',
  'networkConfiguration',
  'startTask',
  'applicationPackages',
  'certificates',
  'mountConfiguration',
]
  .map((p) => `properties/${p}`)
  .join(',');

export interface AccountPools {
  account: BatchAccountSummary;
  pools?: PoolSummary[];
  /** Set when this account's pools could not be listed (e.g. Forbidden on its resource group). */
  error?: DomainError;
}

type RawCapture = { onResponse: (r: { bodyAsText?: string | null }) => void; raw: () => unknown };

/** Keeps the response body as ARM sent it, for the `y` JSON view (the portal's JSON View). */
function captureRaw(): RawCapture {
  let text: string | null | undefined;
  return {
    onResponse: (r) => {
      text = r.bodyAsText;
    },
    raw: () => {
      try {
        return text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export class BatchManagementGateway {
  private readonly calls: Caller;

  constructor(
    private readonly client: BatchManagementClient,
    options: GatewayOptions = {},
  ) {
    removeSdkRetries(client);
    this.calls = new Caller(options);
  }

  get subscriptionId(): string {
    return this.client.subscriptionId;
  }

  async listAccounts(call: CallOptions = {}): Promise<BatchAccountSummary[]> {
    const fetch = armPages(
      () => this.client.batchAccountOperations.list({ abortSignal: call.signal }),
      getContinuationToken,
    );
    const { items } = await this.calls.list(
      `list Batch accounts of subscription ${this.subscriptionId}`,
      fetch,
      call,
    );
    return items.map(toAccountSummary);
  }

  async getAccount(account: AccountRef, call: CallOptions = {}): Promise<BatchAccountDetail> {
    const capture = captureRaw();
    const a = await this.calls.read(
      `read Batch account ${account.name}`,
      () =>
        this.client.batchAccountOperations.get(account.resourceGroup, account.name, {
          abortSignal: call.signal,
          onResponse: capture.onResponse,
        }),
      call,
      `Batch account ${account.name}`,
    );
    return toAccountDetail(a, capture.raw());
  }

  async listPools(
    account: AccountRef & { id: string },
    call: CallOptions = {},
    select: string | undefined = POOL_SELECT,
  ): Promise<PoolSummary[]> {
    const fetch = armPages(
      () =>
        this.client.poolOperations.listByBatchAccount(account.resourceGroup, account.name, {
          abortSignal: call.signal,
          ...(select ? { select } : {}),
        }),
      getContinuationToken,
    );
    const { items } = await this.calls.list(
      `list pools of account ${account.name}`,
      fetch,
      call,
      {},
      `Batch account ${account.name}`,
    );
    return items.map((p) => toPoolSummary(p, account));
  }

  async getPool(
    pool: PoolRef & { accountId?: string },
    call: CallOptions = {},
  ): Promise<PoolSummary> {
    const capture = captureRaw();
    const p = await this.calls.read(
      `read pool ${pool.name} of account ${pool.accountName}`,
      () =>
        this.client.poolOperations.get(pool.resourceGroup, pool.accountName, pool.name, {
          abortSignal: call.signal,
          onResponse: capture.onResponse,
        }),
      call,
      `pool ${pool.name}`,
    );
    const accountId = pool.accountId ?? (p.id ?? '').replace(/\/pools\/[^/]+$/i, '');
    const summary = toPoolSummary(p, { id: accountId, name: pool.accountName }, capture.raw());
    // The ETag header is authoritative for If-Match; the body's etag may be absent.
    if (p.eTag) summary.etag = p.eTag;
    return summary;
  }

  /**
   * Accounts with their pools: 1 listing + 1 per account, at most `concurrency` in flight.
   * An account whose pools cannot be read is kept, with its error.
   */
  async listAccountsWithPools(
    call: CallOptions & { concurrency?: number } = {},
  ): Promise<AccountPools[]> {
    const accounts = await this.listAccounts(call);
    const settled = await mapSettled(
      accounts,
      call.concurrency ?? 4,
      (account) => this.listPools(account, call),
      call.signal,
    );
    return accounts.map((account, i) => {
      const r = settled[i];
      return r?.ok ? { account, pools: r.value } : { account, ...(r ? { error: r.error } : {}) };
    });
  }

  /** PATCH the account. Refused in read-only mode. */
  async updateAccount(
    account: AccountRef,
    patch: AccountPatch,
    call: CallOptions = {},
  ): Promise<BatchAccountDetail> {
    const capture = captureRaw();
    const a = await this.calls.write(
      `update Batch account ${account.name}`,
      () =>
        this.client.batchAccountOperations.update(
          account.resourceGroup,
          account.name,
          toAccountUpdate(patch),
          {
            abortSignal: call.signal,
            onResponse: capture.onResponse,
          },
        ),
      call,
      `Batch account ${account.name}`,
    );
    return toAccountDetail(a, capture.raw());
  }

  /**
   * PATCH the pool with If-Match: a pool changed since it was read fails with Conflict (412)
   * instead of silently overwriting someone else's change. Refused in read-only mode.
   */
  async updatePool(
    pool: PoolRef & { accountId: string; etag?: string },
    patch: PoolPatch,
    call: CallOptions = {},
  ): Promise<PoolSummary> {
    const p = await this.calls.write(
      `update pool ${pool.name} of account ${pool.accountName}`,
      () =>
        this.client.poolOperations.update(
          pool.resourceGroup,
          pool.accountName,
          pool.name,
          toPoolUpdate(patch),
          {
            abortSignal: call.signal,
            ...(pool.etag ? { ifMatch: pool.etag } : {}),
          },
        ),
      call,
      `pool ${pool.name}`,
    );
    const summary = toPoolSummary(p, { id: pool.accountId, name: pool.accountName });
    if (p.eTag) summary.etag = p.eTag;
    return summary;
  }
}

const identityMap = (ids: string[] | undefined): Record<string, object> | undefined =>
  ids && ids.length ? Object.fromEntries(ids.map((id) => [id, {}])) : undefined;

function toAccountUpdate(
  patch: AccountPatch,
): Parameters<BatchManagementClient['batchAccountOperations']['update']>[2] {
  const update: Parameters<BatchManagementClient['batchAccountOperations']['update']>[2] = {};
  if (patch.identity) {
    const userAssignedIdentities = identityMap(patch.identity.userAssignedIdentities);
    update.identity = {
      type: patch.identity.type,
      ...(userAssignedIdentities ? { userAssignedIdentities } : {}),
    };
  }
  if (patch.autoStorage) update.autoStorage = { ...patch.autoStorage };
  return update;
}

function toPoolUpdate(patch: PoolPatch): Pool {
  const update: Pool = {};
  if (patch.identity) {
    const userAssignedIdentities = identityMap(patch.identity.userAssignedIdentities);
    update.identity = {
      type: patch.identity.type,
      ...(userAssignedIdentities ? { userAssignedIdentities } : {}),
    };
  }
  if (patch.scaleSettings)
    update.scaleSettings = { fixedScale: { ...patch.scaleSettings.fixedScale } };
  return update;
}
