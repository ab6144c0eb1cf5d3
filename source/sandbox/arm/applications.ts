/**
 * Microsoft.Batch/batchAccounts/{a}/applications and .../versions (BatchManagement.json
 * 2023-11-01): Application list/get/create/update/delete, ApplicationPackage list/get/create/
 * activate/delete. Creating a version returns the storageUrl the client uploads the zip to; with
 * StorageKeys Azure's URL carries a SAS, with BatchAccountManagedIdentity it does not (the client
 * uploads with its own Entra token) — learn.microsoft.com/rest/api/batchmanagement/application-package/create.
 * In managed-identity mode the account's identity must be able to write to autostorage, or create
 * and activate answer 409 AutoStorageNoPermission with target BatchAccount (RULES.md §1, MI002).
 */
import type { Application, ApplicationPackage, BatchAccount } from '../world/model.js';
import { activatePackage, addApplication, addPackage, applicationId, findApplication, serviceCanWritePackages } from '../world/applications.js';
import { isoTime } from '../world/ids.js';
import { key, type World } from '../world/world.js';
import type { SandboxResponse } from '../http/types.js';
import type { ArmContext, ArmRoute } from './context.js';
import { guard, param, resourceNotFound, scopeOf } from './context.js';
import { armError, asRecord, ok, page, query, readJson } from './http.js';
import { ACCOUNT_TYPE } from './batch-accounts.js';

const APP_TYPE = `${ACCOUNT_TYPE}/applications`;
const VERSION_TYPE = `${APP_TYPE}/versions`;

/** Batch's resource-provider errors carry a target (see the AutoStorageNoPermission answer in RULES.md §1). */
const batchRpError = (status: number, code: string, message: string): SandboxResponse => {
  const response = armError(status, code, message);
  return { ...response, body: { error: { code, message, target: 'BatchAccount' } } };
};

const NO_PERMISSION = () =>
  batchRpError(409, 'AutoStorageNoPermission', 'The managed identity does not have permission to access auto storage account. Please use Azure RBAC to assign the managed identity access to auto storage.');
const APP_NOT_FOUND = () => batchRpError(404, 'ApplicationNotFound', 'The specified application does not exist.');
const PACKAGE_NOT_FOUND = () => batchRpError(404, 'ApplicationPackageNotFound', 'The specified application package does not exist.');
// To use application packages the account needs linked autostorage (batch-application-packages.md); the code is inferred.
const NO_AUTOSTORAGE = () => batchRpError(409, 'AutoStorageNotConfigured', 'The Batch account does not have an auto-storage account configured; application packages need one.');

export const serializeApplication = (a: Application) => ({
  id: a.id,
  name: a.name,
  type: APP_TYPE,
  etag: a.etag,
  properties: {
    ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
    allowUpdates: a.allowUpdates,
    ...(a.defaultVersion !== undefined ? { defaultVersion: a.defaultVersion } : {}),
  },
});

export function serializePackage(world: World, a: Application, p: ApplicationPackage) {
  const storage = world.storageAccounts.get(key(p.storageAccountId));
  return {
    id: `${a.id}/versions/${p.version}`,
    name: p.version,
    type: VERSION_TYPE,
    etag: p.etag,
    properties: {
      state: p.state,
      ...(p.format ? { format: p.format } : {}),
      ...(storage ? { storageUrl: `${storage.blobEndpoint}${p.container}/${p.blobName}`, storageUrlExpiry: isoTime(p.storageUrlExpiry) } : {}),
      ...(p.lastActivationTime !== undefined ? { lastActivationTime: isoTime(p.lastActivationTime) } : {}),
    },
  };
}

interface Found {
  world: World;
  account: BatchAccount;
  application?: Application;
}

/** Authorizes `action` on the path's resource and finds the account (and application when named). */
function locate(ctx: ArmContext, action: string): Found | SandboxResponse {
  const accountId = `${scopeOf(ctx)}/providers/${ACCOUNT_TYPE}/${param(ctx, 'accountName')}`;
  const target = ctx.params.applicationName === undefined ? accountId : applicationId(accountId, param(ctx, 'applicationName'));
  const problem = guard(ctx, action, ctx.params.versionName === undefined ? target : `${target}/versions/${param(ctx, 'versionName')}`);
  if (problem) return problem;
  const world = ctx.services.world;
  const account = world.batchAccounts.get(key(accountId));
  if (!account) return resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
  const application = ctx.params.applicationName === undefined ? undefined : findApplication(world, account.id, param(ctx, 'applicationName'));
  return { world, account, ...(application ? { application } : {}) };
}

const isResponse = (v: Found | SandboxResponse): v is SandboxResponse => 'status' in v;

function listApplications(ctx: ArmContext): SandboxResponse {
  const found = locate(ctx, `${APP_TYPE}/read`);
  if (isResponse(found)) return found;
  const apps = [...found.world.applications.values()].filter((a) => key(a.accountId) === key(found.account.id));
  const max = Number.parseInt(query(ctx.req, 'maxresults') ?? '', 10);
  return page(ctx.req, ctx.services.endpoints.arm, apps, serializeApplication, Number.isFinite(max) && max > 0 ? max : 100);
}

/** PUT creates (or replaces the properties of) an application; PATCH updates the given properties. */
function writeApplication(ctx: ArmContext, mode: 'put' | 'patch'): SandboxResponse {
  const found = locate(ctx, `${APP_TYPE}/write`);
  if (isResponse(found)) return found;
  if (mode === 'patch' && !found.application) return APP_NOT_FOUND();
  const parsed = readJson(ctx.req);
  if (!parsed.ok) return parsed.response;
  const props = asRecord(parsed.body.properties) ?? {};
  const application = found.application ?? addApplication(found.world, found.account, param(ctx, 'applicationName'));
  if (typeof props.displayName === 'string') application.displayName = props.displayName;
  if (typeof props.allowUpdates === 'boolean') application.allowUpdates = props.allowUpdates;
  if (typeof props.defaultVersion === 'string') {
    if (!application.packages.has(props.defaultVersion.toLowerCase())) return PACKAGE_NOT_FOUND();
    application.defaultVersion = application.packages.get(props.defaultVersion.toLowerCase())?.version ?? props.defaultVersion;
  }
  application.etag = found.world.nextEtag();
  return ok(serializeApplication(application));
}

/**
 * The storage access the server hands the world also creates containers (storage-gate/access.ts);
 * the contract does not name it yet, so it is used when present.
 */
type ContainerMaker = { ensureContainer?: (accountName: string, container: string) => Promise<{ status: number }> };

async function createPackage(ctx: ArmContext): Promise<SandboxResponse> {
  const found = locate(ctx, `${VERSION_TYPE}/write`);
  if (isResponse(found)) return found;
  const { world, account } = found;
  if (!account.autoStorage || !world.storageAccounts.has(key(account.autoStorage.storageAccountId))) return NO_AUTOSTORAGE();
  // The portal creates the application along with its first version; ARM does the same.
  const application = found.application ?? addApplication(world, account, param(ctx, 'applicationName'));
  if (!serviceCanWritePackages(world, account, application)) return NO_PERMISSION();
  const record = addPackage(world, application, param(ctx, 'versionName'), account.autoStorage.storageAccountId);
  // Batch creates the application's container in autostorage, so that the client can upload to storageUrl.
  const storage = world.storageAccounts.get(key(account.autoStorage.storageAccountId));
  const maker = ctx.services.storage as typeof ctx.services.storage & ContainerMaker;
  if (storage && maker.ensureContainer) await maker.ensureContainer(storage.name, record.container).catch(() => undefined);
  return ok(serializePackage(world, application, record));
}

function activate(ctx: ArmContext): SandboxResponse {
  const found = locate(ctx, `${VERSION_TYPE}/activate/action`);
  if (isResponse(found)) return found;
  const { world, account, application } = found;
  if (!application) return APP_NOT_FOUND();
  const record = application.packages.get(param(ctx, 'versionName').toLowerCase());
  if (!record) return PACKAGE_NOT_FOUND();
  const parsed = readJson(ctx.req);
  if (!parsed.ok) return parsed.response;
  if (typeof parsed.body.format !== 'string' || parsed.body.format === '') {
    return batchRpError(400, 'InvalidRequestBody', "The request body is missing the required property 'format'.");
  }
  if (!serviceCanWritePackages(world, account, application)) return NO_PERMISSION();
  activatePackage(world, record, parsed.body.format);
  return ok(serializePackage(world, application, record));
}

const appPath = `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ACCOUNT_TYPE}/{accountName}/applications`;
const versionPath = `${appPath}/{applicationName}/versions/{versionName}`;

export const applicationRoutes: ArmRoute[] = [
  { provider: 'batch', method: 'GET', pattern: appPath, handle: listApplications },
  {
    provider: 'batch',
    method: 'GET',
    pattern: `${appPath}/{applicationName}`,
    handle: (ctx) => {
      const found = locate(ctx, `${APP_TYPE}/read`);
      if (isResponse(found)) return found;
      return found.application ? ok(serializeApplication(found.application)) : APP_NOT_FOUND();
    },
  },
  { provider: 'batch', method: 'PUT', pattern: `${appPath}/{applicationName}`, handle: (ctx) => writeApplication(ctx, 'put') },
  { provider: 'batch', method: 'PATCH', pattern: `${appPath}/{applicationName}`, handle: (ctx) => writeApplication(ctx, 'patch') },
  {
    provider: 'batch',
    method: 'DELETE',
    pattern: `${appPath}/{applicationName}`,
    handle: (ctx) => {
      const found = locate(ctx, `${APP_TYPE}/delete`);
      if (isResponse(found)) return found;
      if (!found.application) return { status: 204 };
      found.world.applications.delete(key(found.application.id));
      return { status: 200 };
    },
  },
  {
    provider: 'batch',
    method: 'GET',
    pattern: `${appPath}/{applicationName}/versions`,
    handle: (ctx) => {
      const found = locate(ctx, `${VERSION_TYPE}/read`);
      if (isResponse(found)) return found;
      const application = found.application;
      if (!application) return APP_NOT_FOUND();
      const max = Number.parseInt(query(ctx.req, 'maxresults') ?? '', 10);
      return page(ctx.req, ctx.services.endpoints.arm, [...application.packages.values()], (p) => serializePackage(found.world, application, p), Number.isFinite(max) && max > 0 ? max : 100);
    },
  },
  {
    provider: 'batch',
    method: 'GET',
    pattern: versionPath,
    handle: (ctx) => {
      const found = locate(ctx, `${VERSION_TYPE}/read`);
      if (isResponse(found)) return found;
      const record = found.application?.packages.get(param(ctx, 'versionName').toLowerCase());
      return found.application && record ? ok(serializePackage(found.world, found.application, record)) : PACKAGE_NOT_FOUND();
    },
  },
  { provider: 'batch', method: 'PUT', pattern: versionPath, handle: createPackage },
  { provider: 'batch', method: 'POST', pattern: `${versionPath}/activate`, handle: activate },
  {
    provider: 'batch',
    method: 'DELETE',
    pattern: versionPath,
    handle: (ctx) => {
      const found = locate(ctx, `${VERSION_TYPE}/delete`);
      if (isResponse(found)) return found;
      const application = found.application;
      const version = param(ctx, 'versionName').toLowerCase();
      if (!application?.packages.delete(version)) return { status: 204 };
      if (application.defaultVersion?.toLowerCase() === version) delete application.defaultVersion;
      return { status: 200 };
    },
  },
];
