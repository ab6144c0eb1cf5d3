import { describe, expect, it } from 'vitest';
import { collectUserAssignedIdentities } from '../../source/domain/identities.js';
import type { BatchAccountSummary, PoolSummary } from '../../source/domain/model.js';
import { lastSegment } from '../../source/domain/model.js';

const SUB = '6f2b1c0e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';
const uami = (name: string, rg = 'rg-id'): string =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const ACC = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct1`;

const account: BatchAccountSummary = {
  id: ACC,
  subscriptionId: SUB,
  resourceGroup: 'rg',
  name: 'acct1',
  location: 'westeurope',
  identity: {
    type: 'UserAssigned',
    userAssignedIdentities: [
      {
        resourceId: uami('id-account'),
        name: 'id-account',
        principalId: 'p-acc',
        clientId: 'c-acc',
      },
    ],
  },
  autoStorage: {
    storageAccountId: 'sa',
    authenticationMode: 'BatchAccountManagedIdentity',
    nodeIdentityReference: { resourceId: uami('ID-NODES', 'RG-ID') },
  },
  encryption: { keySource: 'Microsoft.Batch' },
  allowedAuthenticationModes: ['AAD'],
  tags: {},
};

const pool: PoolSummary = {
  id: `${ACC}/pools/p1`,
  subscriptionId: SUB,
  resourceGroup: 'rg',
  name: 'p1',
  accountName: 'acct1',
  accountId: ACC,
  identity: {
    type: 'UserAssigned',
    userAssignedIdentities: [
      {
        resourceId: uami('id-nodes'),
        name: 'id-nodes',
        principalId: 'p-nodes',
        clientId: 'c-nodes',
      },
    ],
  },
  applicationPackages: [],
  certificates: [],
  startTaskResourceFiles: [],
  identityReferences: [{ resourceId: uami('id-ghost'), where: 'startTask.resourceFiles[0]' }],
  mountKinds: [],
  extensions: [],
  currentDedicatedNodes: 0,
  currentLowPriorityNodes: 0,
  autoScale: false,
  resizeErrors: [],
};

describe('collectUserAssignedIdentities', () => {
  const identities = collectUserAssignedIdentities([account], [pool]);

  it('merges ids that differ only in case, keeping principal and client ids from any block', () => {
    const nodes = identities.find((i) => i.name.toLowerCase() === 'id-nodes');
    expect(nodes).toMatchObject({
      principalId: 'p-nodes',
      clientId: 'c-nodes',
      subscriptionId: SUB,
    });
    expect(nodes?.uses.map((u) => u.kind)).toEqual(['nodeIdentityReference', 'poolIdentity']);
  });

  it.each([
    ['id-account', ['accountIdentity'], 'p-acc'],
    ['id-ghost', ['identityReference'], undefined],
  ])('%s', (name, kinds, principalId) => {
    const info = identities.find((i) => i.name === name);
    expect(info?.uses.map((u) => u.kind)).toEqual(kinds);
    expect(info?.principalId).toBe(principalId);
  });

  it('names the last id segment', () => {
    expect(lastSegment(`${uami('x')}/`)).toBe('x');
  });
});
