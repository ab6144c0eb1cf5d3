/**
 * ImdsGateway without an endpoint: ManagedIdentityCredential, as on a node. MSAL fixes its
 * managed-identity source (endpoint included) for the life of the process, so this file — a
 * process of its own under vitest's forks pool — points it once, before the first request, at one
 * node's IMDS with AZURE_POD_IDENTITY_AUTHORITY_HOST, and asks only that node.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImdsGateway } from '../../source/azure/imds.js';
import { decodeJwt } from '../../source/domain/jwt.js';
import { explainImdsFailure } from '../../source/domain/token/imds.js';
import { startStorageFixture, type StorageFixture } from './storage-fixture.js';

let fx: StorageFixture;
const saved: Record<string, string | undefined> = {};
const MSI_VARIABLES = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IMDS_ENDPOINT',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
];

beforeAll(async () => {
  fx = await startStorageFixture();
  for (const name of MSI_VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fx.sandbox.imds.hostFor(
    'batchhealthy',
    'two-identities',
    fx.node('batchhealthy', 'two-identities'),
  );
}, 120_000);
afterAll(async () => {
  for (const name of MSI_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await fx?.embedded.stop();
});

it('the credential path classifies the two-identity 400 exactly as the direct GET does (MI008)', async () => {
  const gateway = new ImdsGateway();
  expect(gateway.via).toBe('ManagedIdentityCredential (IMDS on this machine)');
  const r = await gateway.getToken({});
  if (r.ok) throw new Error('expected a refusal');
  expect(r.failure).toMatchObject({
    kind: 'multipleIdentities',
    description:
      'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
  });
  expect(explainImdsFailure(r.failure, {}).rule).toBe('MI008');
});

it('gets the token of the identity named by client id or resource id, from the same node', async () => {
  const nodes = fx.identity('id-batch-nodes');
  const workload = fx.identity('id-workload');
  const byClient = await new ImdsGateway().getToken({ clientId: nodes.clientId });
  expect(byClient.ok && decodeJwt(byClient.token)?.claims).toMatchObject({
    appid: nodes.clientId,
    oid: nodes.principalId,
    aud: 'https://storage.azure.com/',
  });
  const byResource = await new ImdsGateway().getToken({ resourceId: workload.id });
  expect(byResource.ok && decodeJwt(byResource.token)?.claims.oid).toBe(workload.principalId);
});

it('says the identity is not on the node', async () => {
  const r = await new ImdsGateway().getToken({
    clientId: fx.identity('id-batch-nodes-norole').clientId,
  });
  expect(r).toMatchObject({ ok: false, failure: { kind: 'identityNotFound' } });
});
