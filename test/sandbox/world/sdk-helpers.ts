/** Starts the seeded sandbox and builds the real SDK clients against it, as cloud/ would. */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { BatchManagementClient } from '@azure/arm-batch';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { BatchServiceClient } from '@azure/batch';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { SEED } from '../../../source/sandbox/world/seed.js';

export async function startSeeded(): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ clockSpeed: 0 });
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(sandbox.profile.caCertFile, 'utf8')]);
  return sandbox;
}

export function credential(sandbox: RunningSandbox, who: { clientId: string; clientSecret: string } = SEED.operator) {
  return new ClientSecretCredential(sandbox.profile.tenantId, who.clientId, who.clientSecret, { authorityHost: sandbox.profile.authorityHost, disableInstanceDiscovery: true });
}

export function armClients(sandbox: RunningSandbox, who?: { clientId: string; clientSecret: string }) {
  const cred = credential(sandbox, who);
  const options = { endpoint: sandbox.profile.armEndpoint, credentialScopes: [sandbox.profile.armScope] };
  const sub = sandbox.profile.subscriptionId ?? '';
  return { batch: new BatchManagementClient(cred, sub, options), authorization: new AuthorizationManagementClient(cred, sub, options), cred };
}

/** Legacy @azure/batch takes an ms-rest-js credential: sign each request with a Batch-audience token. */
export function batchClient(sandbox: RunningSandbox, accountEndpoint: string, scope = sandbox.profile.batchScope) {
  const cred = credential(sandbox);
  const signer = {
    async signRequest<T extends { headers: { set(name: string, value: string): void } }>(webResource: T): Promise<T> {
      const token = await cred.getToken(scope);
      webResource.headers.set('authorization', `Bearer ${token?.token ?? ''}`);
      return webResource;
    },
  };
  return new BatchServiceClient(signer, `https://${accountEndpoint}`);
}
