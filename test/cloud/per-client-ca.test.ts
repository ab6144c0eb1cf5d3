// Node before 22.19 / 24.5 has no tls.setDefaultCACertificates: cloud/ then trusts the sandbox's
// CA per client. This file builds that per-client trust by hand, in a process whose default CA
// list was never touched, and drives the three kinds of client through it.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { parseProfile, type CloudProfile } from '../../source/cloud/profile.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/index.js';
import { buildWorld, storageId } from '../sandbox/infra/fixture.js';

let sandbox: RunningSandbox;
let profile: CloudProfile;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld, waitForStorage: true });
  profile = parseProfile(sandbox.profile);
});
afterAll(() => sandbox.stop());

it('per-client CA options work for identity, storage-blob and the legacy Batch client', async () => {
  const refused = await new Promise<string>((resolve) => {
    https
      .get(`${profile.authorityHost}/common/discovery/keys`, () => resolve('accepted'))
      .on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
  expect(refused).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);

  const ca = [...tls.rootCertificates, readFileSync(profile.caCertFile ?? '', 'utf8')];
  const trust = { tlsOptions: { ca }, httpsAgent: new https.Agent({ ca }) };
  const credential = createCredential(profile, trust);
  const clients = createClients(profile, credential, trust);
  const container = clients
    .blobService(sandbox.world.storageAccounts.get(storageId.toLowerCase())?.blobEndpoint ?? '')
    .getContainerClient('per-client');
  expect((await container.create())._response.status).toBe(201);

  const endpoint = await sandbox.services.openBatchEndpoint(
    '/subscriptions/s/resourceGroups/r/providers/Microsoft.Batch/batchAccounts/probe',
  );
  sandbox.faults.add({ listener: 'batch', kind: 'latency', latencyMs: 0 });
  const outcome = await clients
    .batchData(endpoint)
    .pool.list()
    .catch((e: unknown) => e as { code?: string });
  // The request got through TLS to the listener (whatever it answered).
  expect(sandbox.faults.list()[0]?.hits).toBeGreaterThanOrEqual(1);
  expect((outcome as { code?: string }).code).not.toMatch(/UNABLE_TO_VERIFY/);
  trust.httpsAgent.destroy();
});
