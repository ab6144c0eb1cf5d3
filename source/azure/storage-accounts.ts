/**
 * Microsoft.Storage storage accounts (api-version 2023-05-01), read for the doctor's firewall
 * rule (MI017): `networkAcls` and the blob endpoint. There is no @azure/arm-storage dependency;
 * the GETs go through an ARM client's own pipeline (arm-request.ts), as managed-identity.ts does.
 */
import type { StorageAccountInfo } from '../domain/doctor/types.js';
import { lastSegment } from '../domain/model.js';
import { armGetJson, type ArmPipelineClient } from './arm-request.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import type { PageFetcher } from './paging.js';

export const STORAGE_API_VERSION = '2023-05-01';

interface StorageAccountResource {
  id?: unknown;
  name?: unknown;
  properties?: {
    primaryEndpoints?: { blob?: unknown };
    publicNetworkAccess?: unknown;
    networkAcls?: {
      defaultAction?: unknown;
      bypass?: unknown;
      virtualNetworkRules?: Array<{ id?: unknown; state?: unknown }>;
      ipRules?: Array<{ value?: unknown }>;
    };
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function toStorageAccountInfo(r: StorageAccountResource): StorageAccountInfo {
  const id = str(r.id) ?? '';
  const acls = r.properties?.networkAcls;
  const info: StorageAccountInfo = {
    id,
    name: str(r.name) ?? lastSegment(id),
    networkAcls: {
      // Azure omits networkAcls on accounts that never set them: that is Allow.
      defaultAction: str(acls?.defaultAction)?.toLowerCase() === 'deny' ? 'Deny' : 'Allow',
      virtualNetworkRules: (acls?.virtualNetworkRules ?? []).flatMap((rule) => {
        const ruleId = str(rule.id);
        if (!ruleId) return [];
        const state = str(rule.state);
        return [state ? { id: ruleId, state } : { id: ruleId }];
      }),
      ipRules: (acls?.ipRules ?? []).flatMap((rule) => str(rule.value) ?? []),
    },
  };
  const bypass = str(acls?.bypass);
  if (bypass) info.networkAcls.bypass = bypass;
  const blob = str(r.properties?.primaryEndpoints?.blob);
  if (blob) info.blobEndpoint = blob;
  const access = str(r.properties?.publicNetworkAccess);
  if (access) info.publicNetworkAccess = access;
  return info;
}

export class StorageAccountGateway {
  private readonly calls: Caller;
  private readonly base: string;

  constructor(
    private readonly arm: ArmPipelineClient,
    where: { armEndpoint: string; subscriptionId: string },
    options: GatewayOptions = {},
  ) {
    this.calls = new Caller(options);
    this.base = where.armEndpoint.replace(/\/+$/, '');
    this.subscriptionId = where.subscriptionId;
  }

  readonly subscriptionId: string;

  /** One storage account by its ARM id (any subscription the credential can read). */
  async getStorageAccount(id: string, call: CallOptions = {}): Promise<StorageAccountInfo> {
    const path = id.startsWith('/') ? id : `/${id}`;
    const body = await this.calls.read(
      `read storage account ${lastSegment(id)}`,
      () =>
        armGetJson(this.arm, `${this.base}${path}?api-version=${STORAGE_API_VERSION}`, call.signal),
      call,
      `storage account ${id}`,
    );
    return toStorageAccountInfo(body ?? {});
  }

  /** Every storage account of the subscription the credential may read (one call per page). */
  async listStorageAccounts(call: CallOptions = {}): Promise<StorageAccountInfo[]> {
    const first = `${this.base}/subscriptions/${this.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=${STORAGE_API_VERSION}`;
    const fetch: PageFetcher<StorageAccountInfo> = async (nextLink) => {
      const body = (await armGetJson(this.arm, nextLink ?? first, call.signal)) as
        { value?: StorageAccountResource[]; nextLink?: unknown } | undefined;
      const items = (body?.value ?? []).map(toStorageAccountInfo);
      const next = str(body?.nextLink);
      return next ? { items, next } : { items };
    };
    const { items } = await this.calls.list(
      `list storage accounts of subscription ${this.subscriptionId}`,
      fetch,
      call,
    );
    return items;
  }
}
