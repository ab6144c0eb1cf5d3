/**
 * The Azure SDK clients, built from a profile. With an overridden ARM endpoint the ARM clients
 * must be given the ARM scope, or they ask for a token for the endpoint's own URL. The legacy
 * Batch data-plane client accepts only ms-rest-js credentials, and needs its account URL as a
 * bare origin (a path prefix is silently dropped); see specs/README.md.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { BatchManagementClient } from '@azure/arm-batch';
import { BatchServiceClient } from '@azure/batch';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { ARM_CLIENT_RETRY_OPTIONS, BATCH_CLIENT_RETRY_OPTIONS } from '../azure/sdk-options.js';
import type { CaTrust } from './ca.js';
import type { CloudProfile } from './profile.js';

type BatchCredentials = ConstructorParameters<typeof BatchServiceClient>[0];
type WebResourceLike = Parameters<BatchCredentials['signRequest']>[0];

export interface CloudClients {
  /** Microsoft.Batch management (accounts, pools) in a subscription (default: the profile's). */
  batchManagement(subscriptionId?: string): BatchManagementClient;
  /** Microsoft.Authorization (role assignments and definitions). */
  authorization(subscriptionId?: string): AuthorizationManagementClient;
  /** The Batch data plane of one account: `accountEndpoint` as ARM gives it (host[:port]) or a URL. */
  batchData(accountEndpoint: string): BatchServiceClient;
  /** Blob storage at an account's blob endpoint. */
  blobService(blobEndpoint: string): BlobServiceClient;
}

/** An ms-rest-js credential that signs Batch requests with a token for the Batch scope. */
export function batchCredentials(credential: TokenCredential, scope: string): BatchCredentials {
  return {
    async signRequest(webResource: WebResourceLike) {
      const token = await credential.getToken(scope);
      if (!token) throw new Error(`No token for ${scope}.`);
      webResource.headers.set('authorization', `Bearer ${token.token}`);
      return webResource;
    },
  };
}

export function createClients(
  profile: CloudProfile,
  credential: TokenCredential,
  trust: CaTrust = {},
): CloudClients {
  const tlsOptions = trust.tlsOptions ? { tlsOptions: trust.tlsOptions } : {};
  // Retries are the gateways' own (azure/retry.ts): counted once and reported on screen.
  const arm = {
    endpoint: profile.armEndpoint,
    credentialScopes: [profile.armScope],
    ...ARM_CLIENT_RETRY_OPTIONS,
    ...tlsOptions,
  };
  const subscription = (id: string | undefined): string => {
    const chosen = id ?? profile.subscriptionId;
    if (!chosen)
      throw new Error(
        'No subscription is selected: pass --subscription or pick one on the accounts screen.',
      );
    return chosen;
  };
  const batchManagement = new Map<string, BatchManagementClient>();
  const authorization = new Map<string, AuthorizationManagementClient>();
  const batchData = new Map<string, BatchServiceClient>();
  const signer = batchCredentials(credential, profile.batchScope);
  return {
    batchManagement(id) {
      const sub = subscription(id);
      let client = batchManagement.get(sub);
      if (!client)
        batchManagement.set(sub, (client = new BatchManagementClient(credential, sub, arm)));
      return client;
    },
    authorization(id) {
      const sub = subscription(id);
      let client = authorization.get(sub);
      if (!client)
        authorization.set(sub, (client = new AuthorizationManagementClient(credential, sub, arm)));
      return client;
    },
    batchData(accountEndpoint) {
      const url = /^https?:\/\//.test(accountEndpoint)
        ? new URL(accountEndpoint).origin
        : `https://${accountEndpoint}`;
      let client = batchData.get(url);
      if (!client) {
        const options = {
          ...BATCH_CLIENT_RETRY_OPTIONS,
          ...(trust.httpsAgent
            ? { agentSettings: { http: trust.httpsAgent, https: trust.httpsAgent } }
            : {}),
        };
        batchData.set(url, (client = new BatchServiceClient(signer, url, options)));
      }
      return client;
    },
    blobService(blobEndpoint) {
      // storage-blob's options type lacks tlsOptions, but its pipeline hands them to core-rest-pipeline.
      const options: StoragePipelineOptions & { tlsOptions?: { ca: string[] } } = {
        ...tlsOptions,
        audience: profile.storageScope,
      };
      return new BlobServiceClient(blobEndpoint, credential, options);
    },
  };
}
