/**
 * @azure/arm-batch models → domain models. Pure; kept apart from the gateway so the shapes can
 * be tested without a network.
 */
import type { BatchAccount, Pool, UserAssignedIdentities } from '@azure/arm-batch';
import type {
  AccountEncryption,
  BatchAccountDetail,
  BatchAccountSummary,
  IdentityReferenceUse,
  PoolSummary,
  UserAssignedIdentityRef,
} from '../domain/model.js';
import { lastSegment } from '../domain/model.js';
import { parseResourceId } from '../domain/resource-id.js';

function location(id: string): { id: string; subscriptionId: string; resourceGroup: string } {
  const parsed = parseResourceId(id);
  return parsed.ok
    ? { id, subscriptionId: parsed.value.subscriptionId, resourceGroup: parsed.value.resourceGroup }
    : { id, subscriptionId: '', resourceGroup: '' };
}

function identities(
  map: Record<string, UserAssignedIdentities> | undefined,
): UserAssignedIdentityRef[] {
  return Object.entries(map ?? {}).map(([resourceId, v]) => ({
    resourceId,
    name: lastSegment(resourceId),
    ...(v.principalId ? { principalId: v.principalId } : {}),
    ...(v.clientId ? { clientId: v.clientId } : {}),
  }));
}

/** …/keys/{name} follows rotation; …/keys/{name}/{version} pins one version. */
function encryptionOf(a: BatchAccount): AccountEncryption {
  const keySource =
    a.encryption?.keySource === 'Microsoft.KeyVault' ? 'Microsoft.KeyVault' : 'Microsoft.Batch';
  const keyIdentifier = a.encryption?.keyVaultProperties?.keyIdentifier;
  if (!keyIdentifier) return { keySource };
  let versionless: boolean | undefined;
  try {
    const path = new URL(keyIdentifier).pathname.split('/').filter(Boolean);
    versionless = path.length === 2;
  } catch {
    versionless = undefined;
  }
  return versionless === undefined
    ? { keySource, keyIdentifier }
    : { keySource, keyIdentifier, versionless };
}

export function toAccountSummary(a: BatchAccount): BatchAccountSummary {
  const id = a.id ?? '';
  const identityType = a.identity?.type ?? 'None';
  const summary: BatchAccountSummary = {
    ...location(id),
    name: a.name ?? lastSegment(id),
    location: a.location ?? '',
    identity: {
      type: identityType,
      ...(a.identity?.principalId ? { principalId: a.identity.principalId } : {}),
      ...(a.identity?.tenantId ? { tenantId: a.identity.tenantId } : {}),
      userAssignedIdentities: identities(a.identity?.userAssignedIdentities),
    },
    encryption: encryptionOf(a),
    allowedAuthenticationModes: a.allowedAuthenticationModes ?? [],
    tags: { ...(a.tags ?? {}) },
  };
  if (a.accountEndpoint) summary.accountEndpoint = a.accountEndpoint;
  if (a.provisioningState) summary.provisioningState = a.provisioningState;
  if (a.poolAllocationMode) summary.poolAllocationMode = a.poolAllocationMode;
  if (a.publicNetworkAccess) summary.publicNetworkAccess = a.publicNetworkAccess;
  if (a.autoStorage?.storageAccountId) {
    const s = a.autoStorage;
    summary.autoStorage = {
      storageAccountId: s.storageAccountId,
      // Azure omits the mode on accounts that never set it: that is StorageKeys.
      authenticationMode: s.authenticationMode ?? 'StorageKeys',
      ...(s.nodeIdentityReference?.resourceId
        ? { nodeIdentityReference: { resourceId: s.nodeIdentityReference.resourceId } }
        : {}),
      ...(s.lastKeySync instanceof Date ? { lastKeySync: s.lastKeySync } : {}),
    };
  }
  return summary;
}

export function toAccountDetail(a: BatchAccount, raw: unknown): BatchAccountDetail {
  const detail: BatchAccountDetail = { ...toAccountSummary(a), raw };
  if (a.keyVaultReference)
    detail.keyVaultReference = { id: a.keyVaultReference.id, url: a.keyVaultReference.url };
  if (a.poolQuota !== undefined) detail.poolQuota = a.poolQuota;
  if (a.dedicatedCoreQuota !== undefined) detail.dedicatedCoreQuota = a.dedicatedCoreQuota;
  if (a.lowPriorityCoreQuota !== undefined) detail.lowPriorityCoreQuota = a.lowPriorityCoreQuota;
  return detail;
}

/** Every identityReference in a pool's specification, with where it sits (rule MI009). */
function identityReferences(p: Pool): IdentityReferenceUse[] {
  const uses: IdentityReferenceUse[] = [];
  const add = (ref: { resourceId?: string } | undefined, where: string): void => {
    if (ref?.resourceId) uses.push({ resourceId: ref.resourceId, where });
  };
  p.startTask?.resourceFiles?.forEach((f, i) =>
    add(f.identityReference, `startTask.resourceFiles[${i}]`),
  );
  const vm = p.deploymentConfiguration?.virtualMachineConfiguration;
  vm?.containerConfiguration?.containerRegistries?.forEach((r, i) =>
    add(r.identityReference, `containerRegistries[${i}]`),
  );
  p.mountConfiguration?.forEach((m, i) =>
    add(m.azureBlobFileSystemConfiguration?.identityReference, `mountConfiguration[${i}]`),
  );
  return uses;
}

function msiClientIdOf(settings: Record<string, unknown> | undefined): string | undefined {
  const auth = settings?.authenticationSettings;
  if (typeof auth !== 'object' || auth === null) return undefined;
  const id = (auth as Record<string, unknown>).msiClientId;
  return typeof id === 'string' ? id : undefined;
}

export function toPoolSummary(
  p: Pool,
  account: { id: string; name: string },
  raw?: unknown,
): PoolSummary {
  const id = p.id ?? '';
  const vm = p.deploymentConfiguration?.virtualMachineConfiguration;
  const fixed = p.scaleSettings?.fixedScale;
  const pool: PoolSummary = {
    ...location(id),
    name: p.name ?? lastSegment(id),
    accountName: account.name,
    accountId: account.id,
    identity: {
      type: p.identity?.type === 'UserAssigned' ? 'UserAssigned' : 'None',
      userAssignedIdentities: identities(p.identity?.userAssignedIdentities),
    },
    applicationPackages: (p.applicationPackages ?? []).map((a) => ({
      id: a.id,
      ...(a.version ? { version: a.version } : {}),
    })),
    certificates: (p.certificates ?? []).map((c) => c.id),
    startTaskResourceFiles: (p.startTask?.resourceFiles ?? []).map((f) => ({
      ...(f.autoStorageContainerName
        ? { autoStorageContainerName: f.autoStorageContainerName }
        : {}),
      ...(f.storageContainerUrl ? { storageContainerUrl: f.storageContainerUrl } : {}),
      ...(f.httpUrl ? { httpUrl: f.httpUrl } : {}),
      ...(f.identityReference?.resourceId
        ? { identityReference: { resourceId: f.identityReference.resourceId } }
        : {}),
    })),
    identityReferences: identityReferences(p),
    mountKinds: (p.mountConfiguration ?? []).flatMap((m) =>
      Object.keys(m).filter((k) => (m as Record<string, unknown>)[k] !== undefined),
    ),
    extensions: (vm?.extensions ?? []).map((e) => {
      const msiClientId = msiClientIdOf(e.settings);
      return { name: e.name, type: e.type, ...(msiClientId ? { msiClientId } : {}) };
    }),
    currentDedicatedNodes: p.currentDedicatedNodes ?? 0,
    currentLowPriorityNodes: p.currentLowPriorityNodes ?? 0,
    autoScale: p.scaleSettings?.autoScale !== undefined,
    resizeErrors: (p.resizeOperationStatus?.errors ?? []).map((e) => ({
      code: e.code,
      message: e.message,
    })),
  };
  if (p.etag) pool.etag = p.etag;
  if (p.displayName) pool.displayName = p.displayName;
  if (p.vmSize) pool.vmSize = p.vmSize;
  if (p.networkConfiguration?.subnetId) pool.subnetId = p.networkConfiguration.subnetId;
  if (p.allocationState) pool.allocationState = p.allocationState;
  if (p.allocationStateTransitionTime)
    pool.allocationStateTransitionTime = p.allocationStateTransitionTime;
  if (p.provisioningState) pool.provisioningState = p.provisioningState;
  if (fixed?.targetDedicatedNodes !== undefined)
    pool.targetDedicatedNodes = fixed.targetDedicatedNodes;
  if (fixed?.targetLowPriorityNodes !== undefined)
    pool.targetLowPriorityNodes = fixed.targetLowPriorityNodes;
  if (p.creationTime) pool.creationTime = p.creationTime;
  if (p.lastModified) pool.lastModified = p.lastModified;
  if (raw !== undefined) pool.raw = raw;
  return pool;
}
