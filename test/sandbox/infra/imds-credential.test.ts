// Its own file (and so its own process): MSAL picks the managed identity source once per process.
import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { ACCOUNT, POOL, buildWorld, claimsOf, idB } from './fixture.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld });
  for (const name of [
    'IDENTITY_ENDPOINT',
    'IDENTITY_HEADER',
    'MSI_ENDPOINT',
    'MSI_SECRET',
    'IMDS_ENDPOINT',
    'AZURE_FEDERATED_TOKEN_FILE',
  ])
    delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = sandbox.imds.hostFor(
    ACCOUNT,
    POOL,
    'tvmps_two_d',
  );
});
afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  await sandbox.stop();
});

it("ManagedIdentityCredential gets a token from a node's IMDS", async () => {
  const credential = new ManagedIdentityCredential({ clientId: idB.clientId });
  const token = await credential.getToken('https://storage.azure.com/.default');
  expect(claimsOf(token.token)).toMatchObject({
    aud: 'https://storage.azure.com/',
    oid: idB.principalId,
    xms_mirid: idB.id,
  });
  expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
});
