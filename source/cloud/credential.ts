/**
 * The credential a profile calls for. A profile with client credentials (a sandbox operator)
 * signs in with ClientSecretCredential at its own authority host; MSAL must be told not to ask
 * the public cloud's hard-coded instance-discovery host about it. Otherwise the usual
 * DefaultAzureCredential chain (environment, managed identity, Azure CLI, ...).
 */
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import type { CaTrust } from './ca.js';
import type { CloudProfile } from './profile.js';

export function createCredential(profile: CloudProfile, trust: CaTrust = {}): TokenCredential {
  const common = {
    authorityHost: profile.authorityHost,
    ...(profile.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    ...(trust.tlsOptions ? { tlsOptions: trust.tlsOptions } : {}),
  };
  if (profile.clientId && profile.clientSecret) {
    return new ClientSecretCredential(
      profile.tenantId,
      profile.clientId,
      profile.clientSecret,
      common,
    );
  }
  return new DefaultAzureCredential({
    ...common,
    ...(profile.tenantId ? { tenantId: profile.tenantId } : {}),
  });
}

/** What the header shows as "signed in as": the credential kind and, for a secret, the client id. */
export const credentialLabel = (profile: CloudProfile): string =>
  profile.clientId && profile.clientSecret
    ? `ClientSecretCredential (${profile.clientId})`
    : 'DefaultAzureCredential';
