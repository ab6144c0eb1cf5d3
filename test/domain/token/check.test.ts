import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../../source/domain/model.js';
import {
  runTokenCheck,
  type TokenCheckInput,
  type TokenCheckPorts,
} from '../../../source/domain/token/check.js';
import { parseStorageUrl } from '../../../source/domain/token/storage-url.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-1111-1111-1111-111111111111';
const OID = '22222222-2222-2222-2222-222222222222';
const MIRID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes';
const SA = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlogs';
const URL = 'https://stlogs.blob.core.windows.net/logs';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ aud: 'https://storage.azure.com/', tid: TENANT, oid: OID, appid: CLIENT, xms_mirid: MIRID, exp: NOW.getTime() / 1000 + 3600, ...claims })}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`;

const identity = {
  resourceId: MIRID,
  name: 'id-nodes',
  clientId: CLIENT,
  principalId: OID,
  tenantId: TENANT,
};
const reader = (createdOn?: Date) => ({
  id: `${SA}/providers/Microsoft.Authorization/roleAssignments/a`,
  name: 'a',
  scope: SA,
  roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLE_IDS['Storage Blob Data Reader']}`,
  roleDefinitionName: BUILT_IN_ROLE_IDS['Storage Blob Data Reader'],
  roleName: 'Storage Blob Data Reader',
  principalId: OID,
  ...(createdOn ? { createdOn } : {}),
});

function input(extra: Partial<TokenCheckInput> = {}): TokenCheckInput {
  const parsed = parseStorageUrl(URL);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    source: { kind: 'file', path: 'token.jwt' },
    target: parsed.value,
    storageUrl: URL,
    now: () => NOW,
    ...extra,
  };
}

function ports(
  token: string,
  over: Partial<TokenCheckPorts> = {},
): TokenCheckPorts & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    acquire: () => Promise.resolve({ ok: true, token, via: 'file token.jwt' }),
    findIdentity: (ref) => {
      asked.push(ref);
      return Promise.resolve(identity);
    },
    probeStorage: () => Promise.resolve({ operation: 'List Blobs', status: 200, message: 'OK' }),
    roleData: () =>
      Promise.resolve({ storageAccountId: SA, assignments: [reader()], definitions: new Map() }),
    ...over,
  };
}

describe('runTokenCheck', () => {
  it('runs the four steps in order, reports each as it completes, and never carries the token', async () => {
    const token = jwt({});
    const seen: string[] = [];
    const report = await runTokenCheck(
      ports(token),
      input({ onStep: (s) => seen.push(`${s.step}:${s.status}`) }),
    );
    expect(seen).toEqual(['acquire:pass', 'claims:pass', 'storage:pass', 'rbac:pass']);
    expect(report.passed).toBe(true);
    expect(report.token).toBe(token.slice(0, 8) + '…');
    const text = JSON.stringify(report);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
  });

  it("compares a token file's claims with what ARM says of the identity its xms_mirid names", async () => {
    const p = ports(jwt({ appid: '99999999-9999-9999-9999-999999999999' }));
    const report = await runTokenCheck(p, input());
    expect(p.asked).toEqual([{ resourceId: MIRID }]);
    const claims = report.steps.find((s) => s.step === 'claims');
    expect(claims).toMatchObject({ status: 'fail', rule: 'MI027' });
    expect(claims?.summary).toBe(
      'appid is wrong (compared with identity id-nodes as ARM describes it)',
    );
    expect(report.passed).toBe(false);
  });

  it('compares with the pool identity the caller names (the Token screen)', async () => {
    const other = '33333333-3333-3333-3333-333333333333';
    const report = await runTokenCheck(ports(jwt({})), input({ expected: { clientId: other } }));
    const claims = report.steps.find((s) => s.step === 'claims');
    expect(claims?.claims?.find((c) => c.claim === 'appid')).toMatchObject({
      ok: false,
      expected: other,
      actual: CLIENT,
    });
  });

  it('still checks what it can when ARM is out of reach', async () => {
    const p = ports(jwt({}), {
      findIdentity: () => Promise.reject(new Error('getaddrinfo ENOTFOUND management.azure.com')),
      roleData: () => Promise.reject(new Error('getaddrinfo ENOTFOUND management.azure.com')),
    });
    const report = await runTokenCheck(p, input());
    expect(report.expectation?.basis).toMatch(/ARM not reachable: getaddrinfo ENOTFOUND/);
    expect(report.steps.map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'skipped']);
    expect(report.passed).toBe(true);
  });

  it('without a token, skips claims and storage but still checks the roles of the identity asked for', async () => {
    const p = ports('', {
      acquire: () =>
        Promise.resolve({
          ok: false,
          failure: {
            kind: 'imds',
            imds: {
              kind: 'multipleIdentities',
              status: 400,
              description:
                'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
            },
          },
        }),
    });
    const report = await runTokenCheck(
      p,
      input({
        source: {
          kind: 'imds',
          selector: { clientId: CLIENT },
          endpoint: 'http://169.254.169.254',
        },
      }),
    );
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'acquire:fail',
      'claims:skipped',
      'storage:skipped',
      'rbac:pass',
    ]);
    expect(report.steps[0]?.rule).toBe('MI008');
    expect(p.asked).toEqual([{ clientId: CLIENT }]);
    expect(report.nodeCommand).toContain(`client_id=${CLIENT}`);
  });

  it('says a 403 right after a grant is propagation (MI006), and gives one fix for a missing role', async () => {
    const young = await runTokenCheck(
      ports(jwt({}), {
        probeStorage: () =>
          Promise.resolve({
            operation: 'List Blobs',
            status: 403,
            code: 'AuthorizationPermissionMismatch',
            message: 'm',
          }),
        roleData: () =>
          Promise.resolve({
            storageAccountId: SA,
            assignments: [reader(new Date(NOW.getTime() - 4 * 60_000))],
            definitions: new Map(),
          }),
      }),
      input(),
    );
    expect(young.steps.find((s) => s.step === 'storage')).toMatchObject({
      status: 'fail',
      rule: 'MI006',
    });
    const missing = await runTokenCheck(
      ports(jwt({}), {
        probeStorage: () =>
          Promise.resolve({
            operation: 'List Blobs',
            status: 403,
            code: 'AuthorizationPermissionMismatch',
            message: 'm',
          }),
        roleData: () =>
          Promise.resolve({ storageAccountId: SA, assignments: [], definitions: new Map() }),
      }),
      input(),
    );
    const [, , storage, rbac] = missing.steps;
    expect(storage).toMatchObject({ status: 'fail', rule: 'MI005' });
    expect(storage?.fix).toContain(`--scope ${SA}`);
    expect(rbac).toMatchObject({ status: 'fail', fix: 'the role assignment of step 3' });
  });
});
