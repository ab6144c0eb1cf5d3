/**
 * User-assigned managed identities (Microsoft.ManagedIdentity, api-version 2024-11-30).
 *
 * Most of what the screens need costs no call: every identity used by an account or a pool is in
 * that resource's `identity.userAssignedIdentities` block, principalId and clientId included
 * (identitiesSeen). ARM is asked only for what the blocks cannot tell:
 * - the identities of a subscription, for the flows' pickers (SPEC §4.2: never ask to type a
 *   GUID that can be listed);
 * - one identity by id, when a nodeIdentityReference names an identity that no account or pool
 *   carries (MI004/MI005 need its principalId).
 * There is no @azure/arm-msi dependency; these GETs go through an ARM client's own pipeline
 * (arm-request.ts), so no package is needed.
 */
import type { AccountPools } from './batch-management.js';
import { collectUserAssignedIdentities } from '../domain/identities.js';
import type { UserAssignedIdentityInfo } from '../domain/model.js';
import { lastSegment } from '../domain/model.js';
import { parseResourceId } from '../domain/resource-id.js';
import { armGetJson, type ArmPipelineClient } from './arm-request.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import type { PageFetcher } from './paging.js';

export const MANAGED_IDENTITY_API_VERSION = '2024-11-30';

interface IdentityResource {
  id?: unknown;
  name?: unknown;
  location?: unknown;
  properties?: { principalId?: unknown; clientId?: unknown; tenantId?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function toIdentityInfo(r: IdentityResource): UserAssignedIdentityInfo {
  const id = str(r.id) ?? '';
  const parsed = parseResourceId(id);
  const info: UserAssignedIdentityInfo = {
    id,
    subscriptionId: parsed.ok ? parsed.value.subscriptionId : '',
    resourceGroup: parsed.ok ? parsed.value.resourceGroup : '',
    name: str(r.name) ?? lastSegment(id),
    uses: [],
  };
  const principalId = str(r.properties?.principalId);
  const clientId = str(r.properties?.clientId);
  const tenantId = str(r.properties?.tenantId);
  const location = str(r.location);
  if (principalId) info.principalId = principalId;
  if (clientId) info.clientId = clientId;
  if (tenantId) info.tenantId = tenantId;
  if (location) info.location = location;
  return info;
}

export class ManagedIdentityGateway {
  private readonly calls: Caller;
  private readonly base: string;

  constructor(
    /** Any ARM SDK client of this cloud (BatchManagementClient, AuthorizationManagementClient). */
    private readonly arm: ArmPipelineClient,
    where: { armEndpoint: string; subscriptionId: string },
    options: GatewayOptions = {},
  ) {
    this.calls = new Caller(options);
    this.base = where.armEndpoint.replace(/\/+$/, '');
    this.subscriptionId = where.subscriptionId;
  }

  readonly subscriptionId: string;

  /** The identities on these accounts and pools, with where each is used. No ARM call. */
  identitiesSeen(accounts: readonly AccountPools[]): UserAssignedIdentityInfo[] {
    return collectUserAssignedIdentities(
      accounts.map((a) => a.account),
      accounts.flatMap((a) => a.pools ?? []),
    );
  }

  /** Every user-assigned identity of the subscription (or of one resource group). */
  async listUserAssignedIdentities(
    scope: { resourceGroup?: string } = {},
    call: CallOptions = {},
  ): Promise<UserAssignedIdentityInfo[]> {
    const rg = scope.resourceGroup
      ? `/resourceGroups/${encodeURIComponent(scope.resourceGroup)}`
      : '';
    const first = `${this.base}/subscriptions/${this.subscriptionId}${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=${MANAGED_IDENTITY_API_VERSION}`;
    const fetch: PageFetcher<UserAssignedIdentityInfo> = async (nextLink) => {
      const body = (await armGetJson(this.arm, nextLink ?? first, call.signal)) as
        { value?: IdentityResource[]; nextLink?: unknown } | undefined;
      const items = (body?.value ?? []).map(toIdentityInfo);
      const next = str(body?.nextLink);
      return next ? { items, next } : { items };
    };
    const { items } = await this.calls.list(
      `list user-assigned identities${scope.resourceGroup ? ` of resource group ${scope.resourceGroup}` : ''}`,
      fetch,
      call,
    );
    return items;
  }

  /** One identity by its ARM id (NotFound when it was deleted: a dangling reference). */
  async getUserAssignedIdentity(
    resourceId: string,
    call: CallOptions = {},
  ): Promise<UserAssignedIdentityInfo> {
    const path = resourceId.startsWith('/') ? resourceId : `/${resourceId}`;
    const url = `${this.base}${path}?api-version=${MANAGED_IDENTITY_API_VERSION}`;
    const body = await this.calls.read(
      `read identity ${lastSegment(resourceId)}`,
      () => armGetJson(this.arm, url, call.signal),
      call,
      `identity ${resourceId}`,
    );
    return toIdentityInfo(body ?? {});
  }
}
