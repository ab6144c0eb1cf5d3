import { readFileSync } from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/index.js';
import { buildWorld, claimsOf, operator, trustCa } from './fixture.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: buildWorld });
  trustCa(readFileSync(sandbox.profile.caCertFile, 'utf8'));
});
afterAll(() => sandbox.stop());

const credential = (clientId: string, secret: string) =>
  new ClientSecretCredential(sandbox.profile.tenantId, clientId, secret, {
    authorityHost: sandbox.profile.authorityHost,
    disableInstanceDiscovery: true,
  });

describe('Entra ID (ClientSecretCredential)', () => {
  it.each([
    ['https://management.azure.com/.default', 'https://management.azure.com/'],
    ['https://storage.azure.com/.default', 'https://storage.azure.com/'],
    ['https://batch.core.windows.net//.default', 'https://batch.core.windows.net/'],
  ])('issues a signed token for %s with aud %s', async (scope, aud) => {
    const token = await credential(operator.appId, operator.secret).getToken(scope);
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud,
      iss: `https://sts.windows.net/${sandbox.profile.tenantId}/`,
      tid: sandbox.profile.tenantId,
      oid: operator.objectId,
      sub: operator.objectId,
      appid: operator.appId,
      azp: operator.appId,
      idtyp: 'app',
    });
    expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat));
    expect(sandbox.services.tokens.verify(token.token, [aud]).ok).toBe(true);
    expect(sandbox.services.tokens.verify(token.token, ['https://vault.azure.net/'])).toMatchObject(
      { ok: false, reason: 'audience' },
    );
  });

  it('rejects a wrong secret with AADSTS7000215', async () => {
    await expect(
      credential(operator.appId, 'wrong').getToken('https://management.azure.com/.default'),
    ).rejects.toThrow(/AADSTS7000215/);
  });

  it('rejects an unknown application with AADSTS700016', async () => {
    await expect(
      credential('00000000-0000-0000-0000-000000000000', 'x').getToken(
        'https://management.azure.com/.default',
      ),
    ).rejects.toThrow(/AADSTS700016/);
  });

  it('detects a tampered token', async () => {
    const token = await credential(operator.appId, operator.secret).getToken(
      'https://management.azure.com/.default',
    );
    const [header, , signature] = token.token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claimsOf(token.token), oid: 'someone-else' }),
    ).toString('base64url');
    expect(
      sandbox.services.tokens.verify(`${header}.${forged}.${signature}`, [
        'https://management.azure.com/',
      ]),
    ).toMatchObject({ ok: false, reason: 'signature' });
  });
});
