/**
 * The gateway layer's public face. Screens and commands get their gateways from
 * `createGateways(clients, ...)`, where `clients` is cloud/'s CloudClients (matched here by
 * shape: azure/ may not import cloud/).
 */
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { BatchManagementClient } from '@azure/arm-batch';
import type { BatchServiceClient } from '@azure/batch';
import { AuthorizationGateway } from './authorization.js';
import { BatchDataGateway } from './batch-data.js';
import { BatchManagementGateway } from './batch-management.js';
import type { GatewayOptions } from './call.js';
import { ManagedIdentityGateway } from './managed-identity.js';

export {
  AuthorizationGateway,
  roleDefinitionIdFor,
  type NewRoleAssignment,
  type RoleAssignmentQuery,
} from './authorization.js';
export {
  BatchDataGateway,
  NODE_PAGE_SIZE,
  NODE_SELECT,
  type UploadLogsRequest,
} from './batch-data.js';
export {
  BatchManagementGateway,
  POOL_SELECT,
  type AccountPools,
  type AccountRef,
  type PoolRef,
} from './batch-management.js';
export type { CallOptions, GatewayOptions } from './call.js';
export { SnapshotCollector, createCollector, type CollectRunOptions } from './collector.js';
export { KeyVaultGateway, KEY_VAULT_API_VERSION } from './key-vault.js';
export { StorageAccountGateway, STORAGE_API_VERSION } from './storage-accounts.js';
export { mapSettled, type Settled } from './concurrency.js';
export { isAbortError, toDomainError } from './errors.js';
export { ManagedIdentityGateway } from './managed-identity.js';
export type { Collected, CollectOptions } from './paging.js';
export {
  DEFAULT_RETRY_POLICY,
  describeRetry,
  type RetryEvent,
  type RetryListener,
  type RetryPolicy,
} from './retry.js';
export { ARM_CLIENT_RETRY_OPTIONS, BATCH_CLIENT_RETRY_OPTIONS } from './sdk-options.js';

/** What createGateways needs of cloud/'s CloudClients. */
export interface GatewayClients {
  batchManagement(subscriptionId?: string): BatchManagementClient;
  authorization(subscriptionId?: string): AuthorizationManagementClient;
  batchData(accountEndpoint: string): BatchServiceClient;
}

export interface Gateways {
  subscriptionId: string;
  management: BatchManagementGateway;
  authorization: AuthorizationGateway;
  identities: ManagedIdentityGateway;
  /** The data plane of one account, by its accountEndpoint (one gateway per endpoint). */
  data(accountEndpoint: string): BatchDataGateway;
}

/**
 * The gateways of one subscription, sharing one set of options (read-only switch, retry
 * listener). Built per subscription because the ARM clients are.
 */
export function createGateways(
  clients: GatewayClients,
  where: { armEndpoint: string; subscriptionId?: string },
  options: GatewayOptions = {},
): Gateways {
  const managementClient = clients.batchManagement(where.subscriptionId);
  const data = new Map<string, BatchDataGateway>();
  return {
    subscriptionId: managementClient.subscriptionId,
    management: new BatchManagementGateway(managementClient, options),
    authorization: new AuthorizationGateway(clients.authorization(where.subscriptionId), options),
    identities: new ManagedIdentityGateway(
      managementClient,
      { armEndpoint: where.armEndpoint, subscriptionId: managementClient.subscriptionId },
      options,
    ),
    data(accountEndpoint) {
      let gateway = data.get(accountEndpoint);
      if (!gateway)
        data.set(
          accountEndpoint,
          (gateway = new BatchDataGateway(clients.batchData(accountEndpoint), options)),
        );
      return gateway;
    },
  };
}
