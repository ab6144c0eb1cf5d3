import { describe, expect, it } from 'vitest';
import { Clock } from '../../../source/sandbox/world/clock.js';
import { World } from '../../../source/sandbox/world/world.js';
import { actionMatches, hasPermission } from '../../../source/sandbox/world/rbac.js';
import { ROLE, installBuiltInRoles } from '../../../source/sandbox/world/roles.js';
import { assign } from '../../../source/sandbox/world/seed-build.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const RG = `${SUB}/resourceGroups/rg`;
const SA = `${RG}/providers/Microsoft.Storage/storageAccounts/sa`;
const CONTAINER = `${SA}/blobServices/default/containers/c`;
const READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
const WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';

function world() {
  const w = new World(new Clock({ speed: 0, start: 1_000_000_000 }));
  installBuiltInRoles(w, '00000000-0000-0000-0000-000000000001');
  return w;
}

describe('actionMatches', () => {
  it.each([
    ['*', 'Microsoft.Batch/batchAccounts/read', true],
    ['*/read', 'Microsoft.Batch/batchAccounts/read', true],
    ['*/read', 'Microsoft.Batch/batchAccounts/write', false],
    ['Microsoft.Storage/*/read', 'microsoft.storage/storageAccounts/read', true],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*', WRITE, true],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.Compute/*', 'Microsoft.Storage/storageAccounts/read', false],
    // A whole-segment `*` in the middle stands for any number of segments, none included.
    ['Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', true],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'microsoft.managedidentity/userassignedidentities/federatedIdentityCredentials/assign/action', true],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.ManagedIdentity/userAssignedIdentities/write', false],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.ManagedIdentity/userAssignedIdentitiesassign/action', false],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/*/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/read', true],
    ['Microsoft.KeyVault/locations/*/read', 'Microsoft.KeyVault/locations/deletedVaults/read', true],
    ['Microsoft.Authorization/*/read', 'Microsoft.Authorization/roleAssignments/read', true],
    ['Microsoft.Authorization/*/read', 'Microsoft.AuthorizationX/roleAssignments/read', false],
    // A `*` inside a segment stays within any run of characters; dots are literal.
    ['Microsoft.Storage/storageAccounts/list*', 'Microsoft.Storage/storageAccounts/listKeys/action', true],
    ['Microsoft.Storage/*', 'MicrosoftXStorage/storageAccounts/read', false],
  ])('%s matches %s: %s', (pattern, op, expected) => expect(actionMatches(pattern, op)).toBe(expected));
});

describe('hasPermission', () => {
  it('inherits from parent scopes, case-insensitively', () => {
    const w = world();
    assign(w, 'p1', ROLE.storageBlobDataReader, RG);
    expect(hasPermission(w, 'P1', CONTAINER.toUpperCase(), { dataAction: READ })).toBe(true);
    expect(hasPermission(w, 'p1', CONTAINER, { dataAction: WRITE })).toBe(false);
    expect(hasPermission(w, 'p1', `${SUB}/resourceGroups/rg2`, { dataAction: READ })).toBe(false);
    expect(hasPermission(w, 'p1', `${RG}x`, { dataAction: READ })).toBe(false);
  });

  it('subtracts notActions (Contributor cannot write role assignments) and keeps data actions apart', () => {
    const w = world();
    assign(w, 'p1', ROLE.contributor, SUB);
    expect(hasPermission(w, 'p1', RG, { action: 'Microsoft.Batch/batchAccounts/write' })).toBe(true);
    expect(hasPermission(w, 'p1', RG, { action: 'Microsoft.Authorization/roleAssignments/write' })).toBe(false);
    expect(hasPermission(w, 'p1', CONTAINER, { dataAction: READ })).toBe(false);
    assign(w, 'p2', ROLE.owner, SUB);
    expect(hasPermission(w, 'p2', SA, { action: 'Microsoft.Authorization/roleAssignments/write' })).toBe(true);
    expect(hasPermission(w, 'p2', CONTAINER, { dataAction: READ })).toBe(false);
  });

  it('Reader reads but does not write', () => {
    const w = world();
    assign(w, 'r', ROLE.reader, SUB);
    expect(hasPermission(w, 'r', SA, { action: 'Microsoft.Storage/storageAccounts/read' })).toBe(true);
    expect(hasPermission(w, 'r', SA, { action: 'Microsoft.Storage/storageAccounts/write' })).toBe(false);
  });

  it('honours the propagation delay on the simulated clock', () => {
    const w = world();
    w.roleAssignmentPropagationMs = 600_000;
    const a = assign(w, 'p1', ROLE.storageBlobDataContributor, SA);
    a.createdOn = w.clock.now();
    expect(hasPermission(w, 'p1', CONTAINER, { dataAction: WRITE })).toBe(false);
    w.clock.advance(599_000);
    expect(hasPermission(w, 'p1', CONTAINER, { dataAction: WRITE })).toBe(false);
    w.clock.advance(1_000);
    expect(hasPermission(w, 'p1', CONTAINER, { dataAction: WRITE })).toBe(true);
  });

  it('Managed Identity Operator (and Contributor) may assign an identity; Reader and the storage roles may not', () => {
    const w = world();
    const identity = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id`;
    const assign_ = { action: 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' };
    assign(w, 'mio', ROLE.managedIdentityOperator, identity);
    assign(w, 'contrib', ROLE.contributor, RG);
    assign(w, 'r', ROLE.reader, SUB);
    assign(w, 'blob', ROLE.storageBlobDataContributor, RG);
    expect(hasPermission(w, 'mio', identity, assign_)).toBe(true);
    expect(hasPermission(w, 'mio', identity, { action: 'Microsoft.ManagedIdentity/userAssignedIdentities/read' })).toBe(true);
    expect(hasPermission(w, 'mio', identity, { action: 'Microsoft.ManagedIdentity/userAssignedIdentities/write' })).toBe(false);
    expect(hasPermission(w, 'mio', `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other`, assign_)).toBe(false);
    expect(hasPermission(w, 'contrib', identity, assign_)).toBe(true);
    expect(hasPermission(w, 'r', identity, assign_)).toBe(false);
    expect(hasPermission(w, 'blob', identity, assign_)).toBe(false);
  });

  it('Key Vault Crypto Service Encryption User can wrap and unwrap', () => {
    const w = world();
    const kv = `${RG}/providers/Microsoft.KeyVault/vaults/kv`;
    assign(w, 'p1', ROLE.keyVaultCryptoServiceEncryptionUser, kv);
    for (const op of ['keys/read', 'keys/wrap/action', 'keys/unwrap/action']) {
      expect(hasPermission(w, 'p1', `${kv}/keys/k`, { dataAction: `Microsoft.KeyVault/vaults/${op}` })).toBe(true);
    }
    expect(hasPermission(w, 'p1', `${kv}/keys/k`, { dataAction: 'Microsoft.KeyVault/vaults/keys/delete' })).toBe(false);
  });
});
