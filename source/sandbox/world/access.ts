/**
 * What a simulated node (or the Batch service) may do against storage and Key Vault, evaluated
 * synchronously from the world: RBAC through hasPermission, the storage firewall from the
 * account's networkRuleSet, and Key Vault access policies or RBAC. The storage gate applies the
 * same rules to real requests (it calls hasPermission too), so a node's fate and what an operator
 * sees with curl agree.
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
 * The storage firewall as Azure applies it to a caller in `fromSubnetId`: with defaultAction
 * Deny only listed virtual network subnets get through (storage/common/storage-network-security).
 * `undefined` is the Batch service itself, which the package upload path does not firewall (MI017).
 */
export function firewallAllows(account: StorageAccount, fromSubnetId: string | undefined): boolean {
  if (account.networkRuleSet.defaultAction === 'Allow' || fromSubnetId === undefined) return true;
  return account.networkRuleSet.virtualNetworkRules.some((rule) => sameId(rule.id, fromSubnetId));
}

export type StorageVerdict = 'ok' | 'forbidden' | 'firewall';

/** Whether `principalObjectId` may read blobs in `container` of `account`, from `fromSubnetId`. */
export function canReadBlobs(world: World, principalObjectId: string, account: StorageAccount, container: string, fromSubnetId?: string, at = world.clock.now()): StorageVerdict {
  if (!firewallAllows(account, fromSubnetId)) return 'firewall';
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
