/** MI027: a token's claims against the pool identity (RULES.md §4). */
import { describe, expect, it } from 'vitest';
import {
  checkTokenClaims,
  tokenClaimsFinding,
  type ExpectedIdentity,
} from '../../../source/domain/doctor/token.js';
import type { JwtClaims } from '../../../source/domain/jwt.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const RESOURCE_ID =
  '/subscriptions/s/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes';
const expected: ExpectedIdentity = {
  clientId: 'c1',
  principalId: 'o1',
  tenantId: 't1',
  resourceId: RESOURCE_ID,
  audience: 'https://storage.azure.com/',
  resource: { id: '/subscriptions/s/.../pools/p', name: 'acc/p' },
};
const good: JwtClaims = {
  aud: 'https://storage.azure.com',
  iss: 'https://sts.windows.net/t1/',
  tid: 't1',
  oid: 'o1',
  appid: 'c1',
  xms_mirid: RESOURCE_ID.toLowerCase(),
  exp: NOW.getTime() / 1000 + 3600,
};

describe('MI027', () => {
  it('passes a token of the pool identity (aud without slash, xms_mirid lower-cased)', () => {
    expect(checkTokenClaims(good, expected, NOW).every((c) => c.ok)).toBe(true);
    expect(tokenClaimsFinding(good, expected, NOW)).toBeUndefined();
  });

  it('accepts a v2 token (azp, storage app id as audience)', () => {
    const { appid: _a, ...rest } = good;
    expect(
      tokenClaimsFinding(
        { ...rest, azp: 'c1', aud: 'e406a681-f3d4-42a8-90b6-c2b029497af1' },
        expected,
        NOW,
      ),
    ).toBeUndefined();
  });

  it.each([
    ['appid', { appid: 'c2' }],
    ['oid', { oid: 'o2' }],
    ['tid', { tid: 't2' }],
    ['aud', { aud: 'https://management.azure.com/' }],
    ['exp', { exp: NOW.getTime() / 1000 - 1 }],
    [
      'xms_mirid',
      {
        xms_mirid:
          '/subscriptions/s/resourcegroups/rg-id/providers/microsoft.managedidentity/userassignedidentities/id-other',
      },
    ],
  ])('fires on a wrong %s, naming it and what was expected', (claim, change) => {
    const f = tokenClaimsFinding({ ...good, ...change }, expected, NOW);
    expect(f).toMatchObject({ rule: 'MI027', severity: 'error', resource: expected.resource?.id });
    expect(Object.keys(f?.evidence ?? {})).toEqual([claim]);
    expect(f?.fix.az).toContain('client_id=c1');
  });

  it('never puts anything but claim values in the evidence', () => {
    const f = tokenClaimsFinding({ ...good, oid: 'o2' }, expected, NOW);
    expect(JSON.stringify(f)).not.toMatch(/eyJ/);
  });
});
