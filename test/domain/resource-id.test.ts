import { describe, expect, it } from 'vitest';
import {
  isGuid,
  parseResourceId,
  parseUserAssignedIdentityId,
  sameResourceId,
} from '../../source/domain/resource-id.js';

const SUB = '6f2b1c0e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';
const UAMI = `/subscriptions/${SUB}/resourceGroups/rg-batch/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes`;

describe('parseResourceId', () => {
  it.each([
    [
      UAMI,
      {
        resourceGroup: 'rg-batch',
        provider: 'Microsoft.ManagedIdentity',
        types: ['userAssignedIdentities'],
        names: ['id-nodes'],
      },
    ],
    [
      `/subscriptions/${SUB}/resourcegroups/RG/providers/Microsoft.Batch/batchAccounts/acct/pools/p1/`,
      {
        resourceGroup: 'RG',
        provider: 'Microsoft.Batch',
        types: ['batchAccounts', 'pools'],
        names: ['acct', 'p1'],
      },
    ],
  ])('parses %s', (input, expected) => {
    const parsed = parseResourceId(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatchObject({ subscriptionId: SUB, ...expected });
  });

  it.each([
    ['', 'must start with /subscriptions/'],
    ['subscriptions/x', 'must start with /subscriptions/'],
    ['/subscriptions/not-a-guid/resourceGroups/rg/providers/A.B/t/n', 'is not a GUID'],
    [`/subscriptions/${SUB}/providers/A.B/t/n`, 'no resourceGroups segment'],
    [`/subscriptions/${SUB}/resourceGroups/rg/A.B/t/n`, 'no providers segment'],
    [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/AB/t/n`,
      'not a resource provider namespace',
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/A.B/t`,
      'must end with a resource type and name',
    ],
    [`/subscriptions/${SUB}//resourceGroups/rg/providers/A.B/t/n`, 'empty segment'],
  ])('rejects %j with a clear reason', (input, reason) => {
    const parsed = parseResourceId(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(reason);
  });
});

describe('parseUserAssignedIdentityId', () => {
  it('accepts an identity id in any case', () => {
    expect(parseUserAssignedIdentityId(UAMI.toLowerCase().replace(SUB, SUB)).ok).toBe(true);
  });
  it('rejects another resource type', () => {
    const parsed = parseUserAssignedIdentityId(
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa`,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('not a user-assigned identity id');
  });
});

describe('ids and GUIDs', () => {
  it.each([
    [SUB, true],
    [SUB.toUpperCase(), true],
    ['6f2b1c0e3d4a4b5c9d8e7f6a5b4c3d2e', false],
    ['6f2b1c0e-3d4a-4b5c-9d8e-7f6a5b4c3d2', false],
  ])('isGuid(%s) = %s', (value, expected) => expect(isGuid(value)).toBe(expected));

  it('compares ids case-insensitively and ignores a trailing slash', () => {
    expect(sameResourceId(UAMI, `${UAMI.toUpperCase()}/`)).toBe(true);
    expect(sameResourceId(UAMI, `${UAMI}2`)).toBe(false);
  });
});
