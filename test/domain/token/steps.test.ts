import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS, type RoleAssignmentInfo } from '../../../source/domain/model.js';
import { evaluateAcquire, evaluateClaims } from '../../../source/domain/token/steps.js';
import {
  evaluateRbac,
  evaluateStorage,
  type StorageContext,
} from '../../../source/domain/token/storage-steps.js';
import { parseStorageUrl, type StorageTarget } from '../../../source/domain/token/storage-url.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-1111-1111-1111-111111111111';
const OID = '22222222-2222-2222-2222-222222222222';
const MIRID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes';
const SA = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlogs';

function target(url = 'https://stlogs.blob.core.windows.net/logs'): StorageTarget {
  const parsed = parseStorageUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const claims = {
  aud: 'https://storage.azure.com/',
  iss: `https://sts.windows.net/${TENANT}/`,
  tid: TENANT,
  oid: OID,
  appid: CLIENT,
  xms_mirid: MIRID,
  exp: NOW.getTime() / 1000 + 3600,
};
const expectation = {
  identity: {
    audience: 'https://storage.azure.com/',
    clientId: CLIENT,
    principalId: OID,
    tenantId: TENANT,
    resourceId: MIRID,
  },
  basis: 'identity id-nodes as ARM describes it',
};

describe('claims step (MI027)', () => {
  it('passes when every claim matches the identity', () => {
    const step = evaluateClaims(claims, expectation, NOW);
    expect(step).toMatchObject({ status: 'pass' });
    expect(step.summary).toBe(
      'appid, oid, tid, aud, exp, xms_mirid match identity id-nodes as ARM describes it',
    );
  });

  it.each([
    ['an expired token', { exp: NOW.getTime() / 1000 - 60 }, 'exp', /get a fresh token/],
    [
      'a token for another audience',
      { aud: 'https://management.azure.com/' },
      'aud',
      /resource=https:\/\/storage.azure.com\//,
    ],
    [
      'a token of another identity',
      { appid: '99999999-9999-9999-9999-999999999999' },
      'appid',
      /naming the identity explicitly: curl .*client_id=11111111/,
    ],
  ])('fails %s on the right claim, with the right fix', (_what, change, claim, fix) => {
    const step = evaluateClaims({ ...claims, ...change }, expectation, NOW);
    expect(step).toMatchObject({ status: 'fail', rule: 'MI027' });
    expect(step.claims?.filter((c) => !c.ok).map((c) => c.claim)).toEqual([claim]);
    expect(step.fix).toMatch(fix);
  });

  it('says so when the token is not a JWT', () => {
    expect(evaluateClaims(undefined, expectation, NOW)).toMatchObject({
      status: 'fail',
      summary: 'the token is not a JWT',
    });
  });
});

describe('acquire step', () => {
  it('shows only the redacted token', () => {
    const step = evaluateAcquire(
      { kind: 'file', path: 't.jwt' },
      { ok: true, token: 'eyJ0eXAiOiJKV1Qi.xxx.yyy', via: 'file t.jwt' },
      'eyJ0eXAi…',
    );
    expect(step).toMatchObject({ status: 'pass', summary: 'token eyJ0eXAi… from file t.jwt' });
    expect(JSON.stringify(step)).not.toContain('eyJ0eXAiOiJKV1Qi');
  });

  it('explains the IMDS 400 of a two-identity node (MI008)', () => {
    const step = evaluateAcquire(
      { kind: 'imds', selector: {}, endpoint: 'http://169.254.169.254' },
      {
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
      },
    );
    expect(step).toMatchObject({ status: 'fail', rule: 'MI008' });
    expect(step.reason).toMatch(/IMDS answered 400: "Multiple user assigned identities exist/);
  });
});

describe('storage step', () => {
  const ctx: StorageContext = { target: target(), principalId: OID, storageAccountId: SA };

  it.each([
    [{ status: 200 }, 'pass', undefined],
    [{ status: 403, code: 'AuthorizationPermissionMismatch' }, 'fail', 'MI005'],
    [{ status: 403, code: 'AuthorizationFailure' }, 'fail', 'MI017'],
    [{ status: 401, code: 'InvalidAuthenticationInfo' }, 'fail', undefined],
    [{ status: 403, code: 'AuthenticationFailed' }, 'fail', undefined],
    [{ status: 404, code: 'ContainerNotFound' }, 'fail', undefined],
    [{}, 'fail', undefined],
  ])('%o → %s %s', (answer, status, rule) => {
    const step = evaluateStorage({ operation: 'List Blobs', message: 'm', ...answer }, ctx);
    expect(step.status).toBe(status);
    expect(step.rule).toBe(rule);
    if (status === 'fail') expect(step.fix).toBeTruthy();
  });

  it('names the grant that fixes a missing data role, and offers the autostorage flow', () => {
    const step = evaluateStorage(
      {
        operation: 'List Blobs',
        status: 403,
        code: 'AuthorizationPermissionMismatch',
        message: 'm',
      },
      ctx,
    );
    expect(step.reason).toMatch(/missing data role/);
    expect(step.fix).toContain(
      `az role assignment create --assignee-object-id ${OID} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${SA}`,
    );
    expect(step.flow).toBe('autostorage-mi');
  });

  it('tells a young grant from a missing one (MI006)', () => {
    const step = evaluateStorage(
      {
        operation: 'List Blobs',
        status: 403,
        code: 'AuthorizationPermissionMismatch',
        message: 'm',
      },
      { ...ctx, recentGrant: { role: 'Storage Blob Data Reader', minutes: 3 } },
    );
    expect(step).toMatchObject({ rule: 'MI006' });
    expect(step.reason).toMatch(/granted 3 min ago/);
  });

  it("does not call the operator's own missing role MI005", () => {
    const step = evaluateStorage(
      {
        operation: 'List Blobs',
        status: 403,
        code: 'AuthorizationPermissionMismatch',
        message: 'm',
      },
      { ...ctx, operator: true },
    );
    expect(step.rule).toBeUndefined();
    expect(step.fix).toMatch(/^ask an owner to run: az role assignment create/);
  });

  it('is skipped without a token', () => {
    expect(evaluateStorage(undefined, ctx)).toMatchObject({ status: 'skipped' });
  });
});

describe('role step', () => {
  const assignment = (role: string, scope: string, principalId = OID): RoleAssignmentInfo => ({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/x`,
    name: 'x',
    scope,
    roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    roleDefinitionName: role,
    principalId,
  });
  const ctx = { target: target(), principalId: OID, storagePassed: false };

  it('passes on Storage Blob Data Reader at the account (built-in data actions known without a listing)', () => {
    const step = evaluateRbac(
      {
        storageAccountId: SA,
        assignments: [assignment(BUILT_IN_ROLE_IDS['Storage Blob Data Reader'], SA)],
        definitions: new Map(),
      },
      ctx,
    );
    expect(step).toMatchObject({ status: 'pass' });
    expect(step.summary).toContain('blobs/read granted');
  });

  it('fails on Owner alone: control-plane roles carry no data actions', () => {
    const step = evaluateRbac(
      {
        storageAccountId: SA,
        assignments: [assignment(BUILT_IN_ROLE_IDS.Owner, '/subscriptions/s')],
        definitions: new Map([
          [
            BUILT_IN_ROLE_IDS.Owner,
            {
              id: '',
              name: BUILT_IN_ROLE_IDS.Owner,
              roleName: 'Owner',
              roleType: 'BuiltInRole',
              permissions: [
                { actions: ['*'], notActions: [], dataActions: [], notDataActions: [] },
              ],
            },
          ],
        ]),
      },
      ctx,
    );
    expect(step).toMatchObject({ status: 'fail', rule: 'MI005' });
    expect(step.reason).toBe('it holds Owner at /subscriptions/s');
  });

  it('is skipped, saying why, when the roles cannot be read or there is no principal', () => {
    expect(evaluateRbac({ unavailable: 'Forbidden' }, ctx)).toMatchObject({
      status: 'skipped',
      reason: 'Forbidden',
    });
    expect(evaluateRbac(undefined, { target: ctx.target, storagePassed: false })).toMatchObject({
      status: 'skipped',
    });
  });
});
