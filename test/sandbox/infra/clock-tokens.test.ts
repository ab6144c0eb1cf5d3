import { readFileSync } from 'node:fs';
import { BatchManagementClient } from '@azure/arm-batch';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { SUB, buildWorld, claimsOf, operator, trustCa } from './fixture.js';

// Simulated time drives the world (node lifecycles, role propagation); token lifetimes are real
// time, as between a client's token cache and Entra. Jumping the world hours ahead must not
// expire a token the client still holds.
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld, clockSpeed: 0 });
  trustCa(readFileSync(sandbox.profile.caCertFile, 'utf8'));
});
afterAll(() => sandbox.stop());

describe('tokens and the simulated clock', () => {
  it('a cached ARM token keeps working after the world jumps three hours ahead', async () => {
    const credential = new ClientSecretCredential(
      sandbox.profile.tenantId,
      operator.appId,
      operator.secret,
      {
        authorityHost: sandbox.profile.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    const client = new BatchManagementClient(credential, SUB, {
      endpoint: sandbox.profile.armEndpoint,
      credentialScopes: ['https://management.azure.com/.default'],
    });
    const list = async () => {
      const names: string[] = [];
      for await (const account of client.batchAccountOperations.list())
        names.push(account.name ?? '');
      return names;
    };
    const before = await list();
    sandbox.clock.advance(3 * 3_600_000);
    expect(await list()).toEqual(before);
  });

  it('issues and checks token dates in real time', () => {
    const { token, claims } = sandbox.services.tokens.issue({
      principalObjectId: operator.objectId,
      aud: 'https://storage.azure.com/',
    });
    const now = Date.now() / 1000;
    expect(Number(claimsOf(token).exp)).toBe(claims.exp);
    expect(claims.exp).toBeGreaterThan(now + 3000);
    expect(claims.exp).toBeLessThan(now + 3700);
    const expired = sandbox.services.tokens.issue({
      principalObjectId: operator.objectId,
      aud: 'https://storage.azure.com/',
      lifetimeSeconds: -600,
    });
    expect(
      sandbox.services.tokens.verify(expired.token, ['https://storage.azure.com/']),
    ).toMatchObject({ ok: false, reason: 'expired' });
  });
});
