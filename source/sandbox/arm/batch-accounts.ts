/**
 * Microsoft.Batch/batchAccounts (BatchManagement.json 2023-11-01): list, get, create, update.
 * Creating an account opens its Batch data-plane listener (services.openBatchEndpoint), whose
 * `127.0.0.1:PORT` becomes accountEndpoint. Assigning user-assigned identities needs assign/action
 * on each (LinkedAuthorizationFailed otherwise, auth.ts).
 */
import type { BatchAccount } from '../world/model.js';
import { isoTime, newGuid } from '../world/ids.js';
import type { World } from '../world/world.js';
import type { ArmContext, ArmRoute } from './context.js';
import { guard, listing, param, resourceNotFound, scopeOf } from './context.js';
import { armError, asRecord, ok, readJson, type JsonBody } from './http.js';
import { assignedIdentityIds, identityType, resolveUserAssigned } from './identity-refs.js';
import { authorizeLinked, IDENTITY_ASSIGN } from './auth.js';

export const ACCOUNT_TYPE = 'Microsoft.Batch/batchAccounts';

export const serializeAccount = (a: BatchAccount) => ({
  id: a.id,
  name: a.name,
  type: ACCOUNT_TYPE,
  location: a.location,
  tags: a.tags ?? {},
  identity: {
    type: a.identity.type,
    ...(a.identity.principalId ? { principalId: a.identity.principalId, tenantId: a.identity.tenantId } : {}),
    ...(a.identity.userAssignedIdentities ? { userAssignedIdentities: a.identity.userAssignedIdentities } : {}),
  },
  properties: {
    accountEndpoint: a.accountEndpoint,
    nodeManagementEndpoint: `${a.name}.nodemanagement.sandbox.local`,
    provisioningState: a.provisioningState,
    poolAllocationMode: a.poolAllocationMode,
    ...(a.keyVaultReference ? { keyVaultReference: a.keyVaultReference } : {}),
    publicNetworkAccess: a.publicNetworkAccess,
    privateEndpointConnections: [],
    ...(a.autoStorage
      ? {
          autoStorage: {
            storageAccountId: a.autoStorage.storageAccountId,
            lastKeySync: a.autoStorage.lastKeySync,
            authenticationMode: a.autoStorage.authenticationMode,
            ...(a.autoStorage.nodeIdentityReference ? { nodeIdentityReference: a.autoStorage.nodeIdentityReference } : {}),
          },
        }
      : {}),
    encryption: a.encryption,
    dedicatedCoreQuota: 500,
    lowPriorityCoreQuota: 500,
    dedicatedCoreQuotaPerVMFamily: [],
    dedicatedCoreQuotaPerVMFamilyEnforced: false,
    poolQuota: 100,
    activeJobAndJobScheduleQuota: 300,
    allowedAuthenticationModes: a.allowedAuthenticationModes,
  },
});

const accountId = (ctx: ArmContext) => `${scopeOf(ctx)}/providers/${ACCOUNT_TYPE}/${param(ctx, 'accountName')}`;

/** Applies identity, autoStorage, encryption and the simple properties of a PUT or PATCH body. */
function apply(world: World, account: BatchAccount, body: JsonBody, creating: boolean): ReturnType<typeof armError> | undefined {
  if (body.identity !== undefined) {
    const type = identityType(body.identity) ?? 'None';
    if (type === 'UserAssigned') {
      const resolved = resolveUserAssigned(world, account.id, asRecord(body.identity)?.userAssignedIdentities);
      if (!resolved.ok) return resolved.response;
      account.identity = { type: 'UserAssigned', userAssignedIdentities: resolved.map };
    } else if (type === 'SystemAssigned') {
      const principalId = account.identity.principalId ?? newGuid();
      world.principals.set(principalId, { objectId: principalId, displayName: account.name, principalType: 'ServicePrincipal', appId: newGuid(), managedIdentityResourceId: account.id });
      account.identity = { type: 'SystemAssigned', principalId, tenantId: world.tenantId };
    } else account.identity = { type: 'None' };
  }
  const props = asRecord(body.properties) ?? {};
  const autoStorage = asRecord(props.autoStorage);
  if (autoStorage) {
    const storageAccountId = typeof autoStorage.storageAccountId === 'string' ? autoStorage.storageAccountId : '';
    if (!world.storageAccounts.has(storageAccountId.toLowerCase())) {
      return armError(400, 'InvalidRequestBody', `The specified storage account '${storageAccountId}' was not found.`);
    }
    const reference = asRecord(autoStorage.nodeIdentityReference);
    account.autoStorage = {
      storageAccountId,
      authenticationMode: autoStorage.authenticationMode === 'BatchAccountManagedIdentity' ? 'BatchAccountManagedIdentity' : 'StorageKeys',
      ...(typeof reference?.resourceId === 'string' ? { nodeIdentityReference: { resourceId: reference.resourceId } } : {}),
      lastKeySync: isoTime(world.clock.now()),
    };
  }
  const encryption = asRecord(props.encryption);
  if (encryption) {
    const keySource = encryption.keySource === 'Microsoft.KeyVault' ? 'Microsoft.KeyVault' : 'Microsoft.Batch';
    // CMK is only for new accounts (batch-customer-managed-key.md, FAQ); an existing CMK account may change key version.
    if (!creating && keySource === 'Microsoft.KeyVault' && account.encryption.keySource !== 'Microsoft.KeyVault') {
      return armError(400, 'InvalidRequestBody', 'Customer-managed keys can only be configured when the Batch account is created.');
    }
    const keyIdentifier = asRecord(encryption.keyVaultProperties)?.keyIdentifier;
    account.encryption = keySource === 'Microsoft.KeyVault' ? { keySource, keyVaultProperties: { ...(typeof keyIdentifier === 'string' ? { keyIdentifier } : {}) } } : { keySource };
  }
  if (Array.isArray(props.allowedAuthenticationModes)) account.allowedAuthenticationModes = props.allowedAuthenticationModes as BatchAccount['allowedAuthenticationModes'];
  if (props.publicNetworkAccess === 'Disabled' || props.publicNetworkAccess === 'Enabled') account.publicNetworkAccess = props.publicNetworkAccess;
  if (creating && props.poolAllocationMode === 'UserSubscription') account.poolAllocationMode = 'UserSubscription';
  const kvRef = asRecord(props.keyVaultReference);
  if (creating && typeof kvRef?.id === 'string' && typeof kvRef.url === 'string') account.keyVaultReference = { id: kvRef.id, url: kvRef.url };
  const tags = asRecord(body.tags);
  if (tags) account.tags = tags as Record<string, string>;
  return undefined;
}

async function createOrUpdate(ctx: ArmContext) {
  const id = accountId(ctx);
  const problem = guard(ctx, `${ACCOUNT_TYPE}/write`, id);
  if (problem) return problem;
  const parsed = readJson(ctx.req);
  if (!parsed.ok) return parsed.response;
  const linked = authorizeLinked(ctx.services, ctx.caller, `${ACCOUNT_TYPE}/write`, id, IDENTITY_ASSIGN, assignedIdentityIds(parsed.body.identity));
  if (linked) return linked;
  const world = ctx.services.world;
  const existing = world.batchAccounts.get(id.toLowerCase());
  const account: BatchAccount = existing ?? {
    id,
    name: param(ctx, 'accountName'),
    location: typeof parsed.body.location === 'string' ? parsed.body.location : 'westeurope',
    identity: { type: 'None' },
    encryption: { keySource: 'Microsoft.Batch' },
    poolAllocationMode: 'BatchService',
    allowedAuthenticationModes: ['SharedKey', 'AAD', 'TaskAuthenticationToken'],
    publicNetworkAccess: 'Enabled',
    accountEndpoint: '',
    provisioningState: 'Succeeded',
    createdAt: world.clock.now(),
  };
  const draft = structuredClone(account);
  const invalid = apply(world, draft, parsed.body, !existing);
  if (invalid) return invalid;
  Object.assign(account, draft);
  if (!existing) {
    world.batchAccounts.set(id.toLowerCase(), account);
    account.accountEndpoint = await ctx.services.openBatchEndpoint(account.id);
  }
  // BatchAccount_Create answers 200 (or 202 while provisioning); the sandbox provisions at once.
  return ok(serializeAccount(account));
}

const accountPath = `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ACCOUNT_TYPE}/{accountName}`;

export const batchAccountRoutes: ArmRoute[] = [
  ...['subscriptions/{subscriptionId}', 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'].map(
    (prefix): ArmRoute => ({
      provider: 'batch',
      method: 'GET',
      pattern: `${prefix}/providers/${ACCOUNT_TYPE}`,
      handle: (ctx) => listing(ctx, `${ACCOUNT_TYPE}/read`, [...ctx.services.world.batchAccounts.values()], serializeAccount),
    }),
  ),
  {
    provider: 'batch',
    method: 'GET',
    pattern: accountPath,
    handle: (ctx) => {
      const id = accountId(ctx);
      const problem = guard(ctx, `${ACCOUNT_TYPE}/read`, id);
      if (problem) return problem;
      const account = ctx.services.world.batchAccounts.get(id.toLowerCase());
      return account ? ok(serializeAccount(account)) : resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
    },
  },
  { provider: 'batch', method: 'PUT', pattern: accountPath, handle: createOrUpdate },
  {
    provider: 'batch',
    method: 'PATCH',
    pattern: accountPath,
    handle: (ctx) => {
      const id = accountId(ctx);
      const problem = guard(ctx, `${ACCOUNT_TYPE}/write`, id);
      if (problem) return problem;
      const account = ctx.services.world.batchAccounts.get(id.toLowerCase());
      if (!account) return resourceNotFound(ACCOUNT_TYPE, param(ctx, 'accountName'), param(ctx, 'resourceGroupName'));
      return createOrUpdate(ctx);
    },
  },
];
