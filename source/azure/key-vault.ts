/**
 * Microsoft.KeyVault through ARM (api-version 2023-07-01), as far as the customer-managed-key
 * rules need (MI019–MI021): the vaults of a subscription with their soft-delete, purge-protection
 * and permission-model settings and access policies, and a key's type, size and allowed
 * operations. ARM never returns key material. The GETs go through an ARM client's own pipeline
 * (arm-request.ts); no @azure/arm-keyvault dependency.
 */
import type { KeyVaultInfo, KeyVaultKeyInfo } from '../domain/doctor/types.js';
import { lastSegment } from '../domain/model.js';
import { armGetJson, type ArmPipelineClient } from './arm-request.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import type { PageFetcher } from './paging.js';

export const KEY_VAULT_API_VERSION = '2023-07-01';

interface VaultResource {
  id?: unknown;
  name?: unknown;
  properties?: {
    tenantId?: unknown;
    vaultUri?: unknown;
    enableSoftDelete?: unknown;
    enablePurgeProtection?: unknown;
    enableRbacAuthorization?: unknown;
    accessPolicies?: Array<{ objectId?: unknown; permissions?: { keys?: unknown } }>;
  };
}

interface KeyResource {
  id?: unknown;
  name?: unknown;
  properties?: {
    kty?: unknown;
    keySize?: unknown;
    keyOps?: unknown;
    attributes?: { enabled?: unknown };
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export function toKeyVaultInfo(r: VaultResource): KeyVaultInfo {
  const id = str(r.id) ?? '';
  const p = r.properties ?? {};
  const vault: KeyVaultInfo = {
    id,
    name: str(r.name) ?? lastSegment(id),
    vaultUri: str(p.vaultUri) ?? '',
    enableRbacAuthorization: bool(p.enableRbacAuthorization) ?? false,
    accessPolicies: (p.accessPolicies ?? []).flatMap((a) => {
      const objectId = str(a.objectId);
      return objectId ? [{ objectId, keys: strings(a.permissions?.keys) }] : [];
    }),
  };
  const tenantId = str(p.tenantId);
  if (tenantId) vault.tenantId = tenantId;
  const softDelete = bool(p.enableSoftDelete);
  if (softDelete !== undefined) vault.enableSoftDelete = softDelete;
  const purge = bool(p.enablePurgeProtection);
  if (purge !== undefined) vault.enablePurgeProtection = purge;
  return vault;
}

export function toKeyVaultKeyInfo(r: KeyResource, vaultId: string): KeyVaultKeyInfo {
  const id = str(r.id) ?? '';
  const p = r.properties ?? {};
  const key: KeyVaultKeyInfo = {
    id,
    vaultId,
    name: str(r.name) ?? lastSegment(id),
    keyOps: strings(p.keyOps),
  };
  const kty = str(p.kty);
  if (kty) key.kty = kty;
  if (typeof p.keySize === 'number') key.keySize = p.keySize;
  const enabled = bool(p.attributes?.enabled);
  if (enabled !== undefined) key.enabled = enabled;
  return key;
}

export class KeyVaultGateway {
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

  /** The vaults of the subscription the credential may read (one call per page). */
  async listVaults(call: CallOptions = {}): Promise<KeyVaultInfo[]> {
    const first = `${this.base}/subscriptions/${this.subscriptionId}/providers/Microsoft.KeyVault/vaults?api-version=${KEY_VAULT_API_VERSION}`;
    const fetch: PageFetcher<KeyVaultInfo> = async (nextLink) => {
      const body = (await armGetJson(this.arm, nextLink ?? first, call.signal)) as
        { value?: VaultResource[]; nextLink?: unknown } | undefined;
      const items = (body?.value ?? []).map(toKeyVaultInfo);
      const next = str(body?.nextLink);
      return next ? { items, next } : { items };
    };
    const { items } = await this.calls.list(
      `list key vaults of subscription ${this.subscriptionId}`,
      fetch,
      call,
    );
    return items;
  }

  /** A key's current version, as ARM shows it (type, size, allowed operations; never material). */
  async getKey(vaultId: string, keyName: string, call: CallOptions = {}): Promise<KeyVaultKeyInfo> {
    const path = vaultId.startsWith('/') ? vaultId : `/${vaultId}`;
    const url = `${this.base}${path}/keys/${encodeURIComponent(keyName)}?api-version=${KEY_VAULT_API_VERSION}`;
    const body = await this.calls.read(
      `read key ${keyName} of vault ${lastSegment(vaultId)}`,
      () => armGetJson(this.arm, url, call.signal),
      call,
      `key ${keyName} of vault ${vaultId}`,
    );
    return toKeyVaultKeyInfo(body ?? {}, vaultId);
  }
}
