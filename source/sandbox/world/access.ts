/**
 * What a simulated node (or the Batch service) may do against storage and Key Vault, evaluated
 * synchronously from the world: RBAC through hasPermission, the storage firewall from the
 * account's networkRuleSet, and Key Vault access policies or RBAC. The storage gate applies the
 * same rules to real requests (it calls firewallAllows and hasPermission too), so a node's fate
 * and what an operator sees with curl agree.
 */
import type { KeyVault, StorageAccount } from './model.js';
import { hasPermission } from './rbac.js';
import { sameId } from './ids.js';
import type { World } from './world.js';

export const BLOB_READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
export const BLOB_WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';

/** The storage account and container a blob URL points at: `https://{name}.blob.core.windows.net/{c}` or the sandbox's path style `https://127.0.0.1:PORT/{name}/{c}`. */
export function locateContainer(world: World, url: string): { account: StorageAccount; container: string; blobPath: string; hasSas: boolean } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const hasSas = parsed.searchParams.has('sig');
  const hostName = parsed.hostname.split('.')[0]?.toLowerCase() ?? '';
  for (const account of world.storageAccounts.values()) {
    const name = account.name.toLowerCase();
    if (parsed.hostname.toLowerCase().endsWith('.blob.core.windows.net') && hostName === name) {
      return { account, container: segments[0] ?? '', blobPath: segments.slice(1).join('/'), hasSas };
    }
    if (segments[0]?.toLowerCase() === name && account.blobEndpoint !== '' && new URL(account.blobEndpoint).host === parsed.host) {
      return { account, container: segments[1] ?? '', blobPath: segments.slice(2).join('/'), hasSas };
    }
  }
  return undefined;
}

export const containerScope = (account: StorageAccount, container: string): string =>
  `${account.id}/blobServices/default/containers/${container}`;

/**
 * Where a request to storage comes from, as the storage firewall sees it
 * (learn.microsoft.com/azure/storage/common/storage-network-security):
 * - `subnet`: a simulated node in a pool's virtual network subnet. Its traffic reaches storage
 *   through the subnet's Microsoft.Storage service endpoint, so only virtualNetworkRules can admit
 *   it (IP rules do not apply to traffic from a virtual network with a service endpoint).
 * - `internet`: anyone else with a public address: a node of a pool without a virtual network
 *   (Batch gives it an address nobody configured, so no IP rule names it) and every direct caller
 *   of the sandbox's blob endpoint (the program, an SDK, curl). The sandbox cannot know a direct
 *   caller's public address, so it uses the address the socket saw, 127.0.0.1: an ipRule naming
 *   127.0.0.1 (or a range holding it) is how an operator "adds their client IP" to the firewall.
 * - `trustedService`: the Batch service itself, on its own behalf (application package writes
 *   into autostorage). A firewall lets it through when `bypass` includes AzureServices
 *   ("Allow Azure services on the trusted services list"); otherwise it is refused like anyone.
 */
export type NetworkOrigin = { kind: 'subnet'; subnetId: string } | { kind: 'internet'; address?: string } | { kind: 'trustedService' };

/** Whether an IPv4 address is inside an ipRule's value: one address or a CIDR range (`a.b.c.d/n`). */
export function ipRuleMatches(rule: string, address: string): boolean {
  const toNumber = (ip: string): number | undefined => {
    const parts = ip.trim().split('.');
    if (parts.length !== 4) return undefined;
    let value = 0;
    for (const part of parts) {
      if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
      value = value * 256 + Number(part);
    }
    return value;
  };
  const [base = '', bitsText] = rule.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const start = toNumber(base);
  const target = toNumber(address);
  if (start === undefined || target === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(start / size) === Math.floor(target / size);
}

/**
 * The storage firewall as Azure applies it to a request from `origin`: with defaultAction Allow
 * everyone gets through; with Deny only a listed subnet, an address an ipRule covers, or a
 * trusted Azure service when `bypass` includes AzureServices. Azure refuses the others with 403
 * AuthorizationFailure "This request is not authorized to perform this operation." before it
 * looks at their credentials.
 */
export function firewallAllows(account: StorageAccount, origin: NetworkOrigin): boolean {
  const rules = account.networkRuleSet;
  if (rules.defaultAction === 'Allow') return true;
  switch (origin.kind) {
    case 'subnet':
      return rules.virtualNetworkRules.some((rule) => sameId(rule.id, origin.subnetId));
    case 'internet': {
      const address = origin.address;
      return address !== undefined && rules.ipRules.some((rule) => ipRuleMatches(rule.value, address));
    }
    case 'trustedService':
      return bypasses(account, 'AzureServices');
  }
}

/** Whether the account's `bypass` (e.g. `Logging, Metrics, AzureServices`) names `what`. */
export const bypasses = (account: StorageAccount, what: string): boolean =>
  account.networkRuleSet.bypass
    .split(',')
    .map((b) => b.trim().toLowerCase())
    .includes(what.toLowerCase());

export type StorageVerdict = 'ok' | 'forbidden' | 'firewall';

/** Whether `principalObjectId` may read blobs in `container` of `account`, from `origin`. */
export function canReadBlobs(world: World, principalObjectId: string, account: StorageAccount, container: string, origin: NetworkOrigin, at = world.clock.now()): StorageVerdict {
  if (!firewallAllows(account, origin)) return 'firewall';
  return hasPermission(world, principalObjectId, containerScope(account, container), { dataAction: BLOB_READ }, at) ? 'ok' : 'forbidden';
}

/** The principal (object id) of a user-assigned identity, by resource id (case-insensitive). */
export function identityPrincipal(world: World, resourceId: string): string | undefined {
  return world.userAssignedIdentities.get(resourceId.toLowerCase())?.principalId;
}

/** The vault and key a CMK key identifier (`https://{vault}.vault.azure.net/keys/{name}/{version}`) names. */
export function locateKey(world: World, keyIdentifier: string): { vault: KeyVault; keyName: string; version?: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(keyIdentifier);
  } catch {
    return undefined;
  }
  const [kind, keyName, version] = parsed.pathname.split('/').filter(Boolean);
  if (kind?.toLowerCase() !== 'keys' || !keyName) return undefined;
  for (const vault of world.keyVaults.values()) {
    if (new URL(vault.vaultUri).host.toLowerCase() === parsed.host.toLowerCase()) return { vault, keyName, ...(version ? { version } : {}) };
  }
  return undefined;
}

/**
 * Whether the Batch account's identity can use its customer-managed key. Batch needs get, wrapKey
 * and unwrapKey on the key (batch-customer-managed-key.md): by access policy, or with RBAC
 * (enableRbacAuthorization) through a role such as Key Vault Crypto Service Encryption User.
 * A disabled key is unavailable too (AccountEncryptionKeyUnavailable).
 */
export function cmkAccessible(world: World, accountId: string): boolean {
  const account = world.batchAccounts.get(accountId.toLowerCase());
  if (!account || account.encryption.keySource !== 'Microsoft.KeyVault') return true;
  const located = locateKey(world, account.encryption.keyVaultProperties?.keyIdentifier ?? '');
  if (!located) return false;
  const key = located.vault.keys.find((k) => k.name.toLowerCase() === located.keyName.toLowerCase() && (!located.version || k.version === located.version));
  if (!key?.enabled) return false;
  const principals = [
    ...(account.identity.principalId ? [account.identity.principalId] : []),
    ...Object.values(account.identity.userAssignedIdentities ?? {}).map((i) => i.principalId),
  ];
  return principals.some((oid) => principalCanUseKey(world, located.vault, located.keyName, oid));
}

function principalCanUseKey(world: World, vault: KeyVault, keyName: string, oid: string): boolean {
  if (vault.enableRbacAuthorization) {
    const scope = `${vault.id}/keys/${keyName}`;
    return ['keys/read', 'keys/wrap/action', 'keys/unwrap/action'].every((op) =>
      hasPermission(world, oid, scope, { dataAction: `Microsoft.KeyVault/vaults/${op}` }),
    );
  }
  const granted = new Set(
    vault.accessPolicies
      .filter((p) => p.objectId.toLowerCase() === oid.toLowerCase())
      .flatMap((p) => p.permissions.keys ?? [])
      .map((k) => k.toLowerCase()),
  );
  if (granted.has('all')) return true;
  return ['get', 'wrapkey', 'unwrapkey'].every((k) => granted.has(k));
}
