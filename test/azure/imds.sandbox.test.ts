/**
 * ImdsGateway's direct GET against the sandbox's IMDS, one node at a time in one process — what
 * MSAL's once-per-process identity source cannot do (imds-credential.sandbox.test.ts covers the
 * ManagedIdentityCredential path, in a process of its own).
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImdsGateway } from '../../source/azure/imds.js';
import { decodeJwt } from '../../source/domain/jwt.js';
import { startStorageFixture, type StorageFixture } from './storage-fixture.js';

let fx: StorageFixture;
let twoIdentities: string;
let oneIdentity: string;

beforeAll(async () => {
  fx = await startStorageFixture();
  twoIdentities = fx.sandbox.imds.hostFor(
    'batchhealthy',
    'two-identities',
    fx.node('batchhealthy', 'two-identities'),
  );
  oneIdentity = fx.sandbox.imds.hostFor(
    'batchhealthy',
    'packages-same-identity',
    fx.node('batchhealthy', 'packages-same-identity'),
  );
}, 120_000);
afterAll(() => fx?.embedded.stop());
afterEach(() => fx.sandbox.faults.clear());

const claimsOf = (token: string) => decodeJwt(token)?.claims;

describe('ImdsGateway, direct', () => {
  it('answers 400 "Multiple user assigned identities exist" on a two-identity node asked for none', async () => {
    const r = await new ImdsGateway({ endpoint: twoIdentities }).getToken({});
    expect(r).toEqual({
      ok: false,
      via: `IMDS at ${twoIdentities}`,
      failure: {
        kind: 'multipleIdentities',
        status: 400,
        description:
          'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
      },
    });
  });

  it('gets a storage token for the identity named by client id, and by resource id', async () => {
    const nodes = fx.identity('id-batch-nodes');
    const workload = fx.identity('id-workload');
    const byClient = await new ImdsGateway({ endpoint: twoIdentities }).getToken({
      clientId: nodes.clientId,
    });
    if (!byClient.ok) throw new Error(byClient.failure.description);
    expect(byClient.clientId).toBe(nodes.clientId);
    expect(byClient.expiresOn.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(claimsOf(byClient.token)).toMatchObject({
      aud: 'https://storage.azure.com/',
      appid: nodes.clientId,
      oid: nodes.principalId,
      xms_mirid: nodes.id,
    });
    const byResource = await new ImdsGateway({ endpoint: twoIdentities }).getToken({
      resourceId: workload.id,
    });
    expect(byResource.ok && claimsOf(byResource.token)?.oid).toBe(workload.principalId);
  });

  it('needs no selector on a node with one identity', async () => {
    const r = await new ImdsGateway({ endpoint: oneIdentity }).getToken({});
    expect(r.ok && claimsOf(r.token)?.oid).toBe(fx.identity('id-batch-nodes').principalId);
  });

  it('answers "Identity not found" for an identity the node does not have', async () => {
    const r = await new ImdsGateway({ endpoint: oneIdentity }).getToken({
      clientId: fx.identity('id-workload').clientId,
    });
    expect(r).toMatchObject({
      ok: false,
      failure: { kind: 'identityNotFound', status: 400, description: 'Identity not found' },
    });
  });

  it('retries when IMDS is busy, as its guidance asks', async () => {
    fx.sandbox.faults.add({ listener: 'imds', kind: 'error', status: 503, times: 2 });
    const waits: number[] = [];
    const r = await new ImdsGateway({
      endpoint: oneIdentity,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    }).getToken({});
    expect(r.ok).toBe(true);
    expect(waits).toEqual([500, 1000]);
  });

  it('says unreachable when nothing listens (not on a node)', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const r = await new ImdsGateway({ endpoint: `http://127.0.0.1:${port}`, attempts: 1 }).getToken(
      {},
    );
    expect(r).toMatchObject({
      ok: false,
      failure: { kind: 'unreachable', description: 'ECONNREFUSED' },
    });
  });
});
