/** Small domain values for the UI's pure tests (the sandbox tests use the seeded world). */
import type { BatchAccountSummary, NodeRow, PoolSummary } from '../../source/domain/model.js';

const SUB = '00000000-0000-0000-0000-000000000001';
export const identityId = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

export function account(overrides: Partial<BatchAccountSummary> = {}): BatchAccountSummary {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct`,
    subscriptionId: SUB,
    resourceGroup: 'rg',
    name: 'acct',
    location: 'westeurope',
    identity: { type: 'None', userAssignedIdentities: [] },
    encryption: { keySource: 'Microsoft.Batch' },
    allowedAuthenticationModes: ['AAD'],
    tags: {},
    ...overrides,
  };
}

export function pool(
  name: string,
  identities: string[] = [],
  overrides: Partial<PoolSummary> = {},
): PoolSummary {
  return {
    id: `${account().id}/pools/${name}`,
    subscriptionId: SUB,
    resourceGroup: 'rg',
    name,
    accountName: 'acct',
    accountId: account().id,
    identity: {
      type: identities.length ? 'UserAssigned' : 'None',
      userAssignedIdentities: identities.map((n) => ({ resourceId: identityId(n), name: n })),
    },
    applicationPackages: [],
    certificates: [],
    startTaskResourceFiles: [],
    identityReferences: [],
    mountKinds: [],
    extensions: [],
    currentDedicatedNodes: 0,
    currentLowPriorityNodes: 0,
    autoScale: false,
    resizeErrors: [],
    ...overrides,
  };
}

export function node(
  id: string,
  state: NodeRow['state'],
  overrides: Partial<NodeRow> = {},
): NodeRow {
  return { id, state, errors: [], ...overrides };
}
