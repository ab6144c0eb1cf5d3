import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { ACCOUNT, POOL, buildWorld, claimsOf, idA, idB, poolId } from './fixture.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld });
});
afterAll(() => sandbox.stop());

const ask = async (
  host: string,
  query: string,
  headers: Record<string, string> = { Metadata: 'true' },
) => {
  const res = await fetch(`${host}/metadata/identity/oauth2/token?${query}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const resource = 'api-version=2018-02-01&resource=https://storage.azure.com/';

describe('IMDS per node', () => {
  it('answers for the only identity a node holds, in IMDS shape with string numbers', async () => {
    const { status, body } = await ask(
      sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_one_d'),
      resource,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      client_id: idA.clientId,
      resource: 'https://storage.azure.com/',
      token_type: 'Bearer',
    });
    for (const field of ['expires_in', 'expires_on', 'ext_expires_in', 'not_before'])
      expect(typeof body[field]).toBe('string');
    expect(claimsOf(String(body.access_token))).toMatchObject({
      aud: 'https://storage.azure.com/',
      oid: idA.principalId,
      appid: idA.clientId,
      xms_mirid: idA.id,
    });
  });

  it('refuses to choose between several identities', async () => {
    expect(await ask(sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_two_d'), resource)).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description:
          'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
      },
    });
  });

  it.each([
    ['client_id', () => idB.clientId],
    ['object_id', () => idB.principalId],
    ['msi_res_id', () => idB.id],
    ['mi_res_id', () => idB.id],
  ])('selects by %s', async (selector, value) => {
    const { status, body } = await ask(
      sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_two_d'),
      `${resource}&${selector}=${encodeURIComponent(value())}`,
    );
    expect(status).toBe(200);
    expect(claimsOf(String(body.access_token)).xms_mirid).toBe(idB.id);
  });

  it('answers Identity not found for an identity the node does not hold, and for a node without any', async () => {
    const notFound = {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Identity not found' },
    };
    expect(
      await ask(
        sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_one_d'),
        `${resource}&client_id=${idB.clientId}`,
      ),
    ).toEqual(notFound);
    expect(await ask(sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_none_d'), resource)).toEqual(
      notFound,
    );
  });

  it('requires the Metadata header', async () => {
    expect(await ask(sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_one_d'), resource, {})).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'Required metadata header not specified',
      },
    });
  });

  it('requires api-version and resource', async () => {
    const host = sandbox.imds.hostFor(ACCOUNT, POOL, 'tvmps_one_d');
    expect((await ask(host, 'resource=https://storage.azure.com/')).status).toBe(400);
    expect((await ask(host, 'api-version=2018-02-01')).status).toBe(400);
  });

  it('serves a node on a port of its own, at the root like 169.254.169.254', async () => {
    const host = await sandbox.imds.openForNode(ACCOUNT, POOL, 'tvmps_one_d');
    const { status, body } = await ask(host, resource);
    expect(status).toBe(200);
    expect(body.client_id).toBe(idA.clientId);
    expect(sandbox.world.nodes.get(poolId.toLowerCase())?.get('tvmps_one_d')?.imdsPort).toBe(
      Number(new URL(host).port),
    );
  });
});
