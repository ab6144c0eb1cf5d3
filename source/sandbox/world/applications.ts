/**
 * Applications and their packages, as Batch keeps them: each package is a zip in the account's
 * autostorage (a container per application, `app-{name}-{hash}`), uploaded by the client to the
 * package's storageUrl and then activated (batch-application-packages.md). Only active packages
 * can be referenced by pools; a reference without a version takes the application's default
 * version, and one that cannot be satisfied is InvalidApplicationPackageReferences (HTTP 409).
 *
 * The Batch service itself reaches autostorage with the ACCOUNT's identity in
 * BatchAccountManagedIdentity mode: without a Storage Blob Data Contributor/Owner role there,
 * package create and activate answer 409 AutoStorageNoPermission (RULES.md §1, MI002). Nodes never
 * use that identity; they download with the node identity reference (outcome.ts, Table A).
 */
import { createHash } from 'node:crypto';
import type { Application, ApplicationPackage, BatchAccount } from './model.js';
import { BLOB_WRITE, containerScope, firewallAllows } from './access.js';
import { hasPermission } from './rbac.js';
import { key, type World } from './world.js';

export const applicationId = (accountId: string, name: string): string => `${accountId}/applications/${name}`;

export function findApplication(world: World, accountId: string, name: string): Application | undefined {
  return world.applications.get(key(applicationId(accountId, name)));
}

/** The container Batch keeps an application's packages in (names are at most 63 characters). */
export function packageContainer(application: Pick<Application, 'id' | 'name'>): string {
  const hash = createHash('sha256').update(application.id.toLowerCase()).digest('hex');
  const name = application.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  return `app-${name}`.slice(0, 22).replace(/-$/, '') + `-${hash.slice(0, 40)}`;
}

export function addApplication(world: World, account: BatchAccount, name: string, options: { displayName?: string; allowUpdates?: boolean } = {}): Application {
  const now = world.clock.now();
  const application: Application = {
    id: applicationId(account.id, name),
    name,
    accountId: account.id,
    ...(options.displayName ? { displayName: options.displayName } : {}),
    allowUpdates: options.allowUpdates ?? true,
    etag: world.nextEtag(now),
    packages: new Map(),
  };
  world.applications.set(key(application.id), application);
  return application;
}

/** A package record in `Pending` state (create), in the account's autostorage. */
export function addPackage(world: World, application: Application, version: string, storageAccountId: string): ApplicationPackage {
  const now = world.clock.now();
  const existing = application.packages.get(version.toLowerCase());
  const record: ApplicationPackage = {
    version: existing?.version ?? version,
    state: existing?.state ?? 'Pending',
    ...(existing?.format ? { format: existing.format } : {}),
    storageAccountId,
    container: packageContainer(application),
    blobName: existing?.blobName ?? `${application.name.toLowerCase()}-${version}-${createHash('sha256').update(`${application.id}#${version}#${now}`).digest('hex').slice(0, 32)}`,
    etag: world.nextEtag(now),
    // The upload URL is valid for a few hours (inferred from the URLs Azure returns).
    storageUrlExpiry: now + 4 * 3_600_000,
    ...(existing?.lastActivationTime !== undefined ? { lastActivationTime: existing.lastActivationTime } : {}),
  };
  application.packages.set(version.toLowerCase(), record);
  return record;
}

export function activatePackage(world: World, record: ApplicationPackage, format: string): void {
  record.state = 'Active';
  record.format = format;
  record.lastActivationTime = world.clock.now();
  record.etag = world.nextEtag(record.lastActivationTime);
}

/** The principals of a Batch account's own identity (system-assigned, or each user-assigned one). */
export function accountPrincipals(account: BatchAccount): string[] {
  return [
    ...(account.identity.principalId ? [account.identity.principalId] : []),
    ...Object.values(account.identity.userAssignedIdentities ?? {}).map((i) => i.principalId).filter(Boolean),
  ];
}

/**
 * Whether the Batch service may write the application's packages into autostorage: the storage
 * firewall must let the service through (`bypass` AzureServices when it denies by default;
 * access.ts); then always with StorageKeys, and with BatchAccountManagedIdentity only when one of
 * the account's identities holds a data role that writes blobs (Storage Blob Data Contributor or
 * Owner) on that container. That a firewall refusal reaches the caller as the same 409
 * AutoStorageNoPermission is inferred: Azure documents no other code for it.
 */
export function serviceCanWritePackages(world: World, account: BatchAccount, application: Application): boolean {
  const autoStorage = account.autoStorage;
  if (!autoStorage) return true;
  const storage = world.storageAccounts.get(key(autoStorage.storageAccountId));
  if (storage && !firewallAllows(storage, { kind: 'trustedService' })) return false;
  if (autoStorage.authenticationMode === 'StorageKeys') return true;
  if (!storage) return false;
  const scope = containerScope(storage, packageContainer(application));
  return accountPrincipals(account).some((oid) => hasPermission(world, oid, scope, { dataAction: BLOB_WRITE }));
}

export interface ResolvedReference {
  /** `{application}/{version}` as the node's applications directory names it, or the reference as given. */
  label: string;
  application?: Application;
  record?: ApplicationPackage;
}

/**
 * What a pool's package reference (`id` = `.../applications/{name}` or `.../applications/{name}/versions/{v}`,
 * optional `version`) points at in its account. Usable only when `record` is there and Active.
 */
export function resolveReference(world: World, accountId: string, reference: { id: string; version?: string }): ResolvedReference {
  const match = /\/applications\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i.exec(reference.id);
  const name = match?.[1] ?? reference.id;
  const application = findApplication(world, accountId, name);
  const version = reference.version ?? match?.[2] ?? application?.defaultVersion;
  const record = version === undefined ? undefined : application?.packages.get(version.toLowerCase());
  return {
    label: `${application?.name ?? name}${version ? `/${version}` : ''}`,
    ...(application ? { application } : {}),
    ...(record ? { record } : {}),
  };
}

export const usable = (resolved: ResolvedReference): boolean => resolved.record?.state === 'Active';
