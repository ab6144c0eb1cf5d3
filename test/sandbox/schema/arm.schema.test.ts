/**
 * The sandbox's ARM answers, walked through the official specs' definitions (SPEC §6, issue 3):
 * every seeded resource of each type, as a single GET and in its list, plus the error shapes.
 * Bodies are fetched raw so that a property the spec does not name shows up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { ROLE } from '../../../source/sandbox/world/roles.js';
import { startSeeded } from '../world/sdk-helpers.js';
import { COMMON_FILE, type SpecValidator } from './swagger.js';
import { SPEC, specValidator } from './specs.js';
import { API, wire, type Wire, type WireResponse } from './wire.js';

let sandbox: RunningSandbox;
let http: Wire;
let specs: SpecValidator;
let sub: string;

beforeAll(async () => {
  specs = specValidator();
  sandbox = await startSeeded();
  sandbox.clock.advance(60 * 60_000);
  http = await wire(sandbox);
  sub = sandbox.profile.subscriptionId ?? '';
});
afterAll(async () => sandbox?.stop());

/** Checks status and shape; returns the body. */
function check(spec: string, definition: string, response: WireResponse, status = 200): Record<string, unknown> {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(specs.validate(spec, definition, response.body), `${definition} ${JSON.stringify(response.body).slice(0, 400)}`).toEqual([]);
  return response.body as Record<string, unknown>;
}

const values = (body: Record<string, unknown>) => (body.value ?? []) as Array<{ id: string; name: string }>;
const get = (path: string, version: string) => http.arm('GET', `${path}${path.includes('?') ? '&' : '?'}api-version=${version}`);

describe('ARM responses validate against the specs', () => {
  it('Batch accounts (BatchAccount, BatchAccountListResult) and their pools (Pool, ListPoolsResult)', async () => {
    const list = check(SPEC.batchManagement, 'BatchAccountListResult', await get(`/subscriptions/${sub}/providers/Microsoft.Batch/batchAccounts`, API.batch));
    check(SPEC.batchManagement, 'BatchAccountListResult', await get(`/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts`, API.batch));
    expect(values(list).length).toBeGreaterThan(5);
    for (const account of values(list)) {
      check(SPEC.batchManagement, 'BatchAccount', await get(account.id, API.batch));
      const pools = check(SPEC.batchManagement, 'ListPoolsResult', await get(`${account.id}/pools`, API.batch));
      for (const pool of values(pools)) check(SPEC.batchManagement, 'Pool', await get(pool.id, API.batch));
    }
  });

  it('a pool created through ARM answers in the Pool shape', async () => {
    const path = `/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts/batchhealthy/pools/schema-created?api-version=${API.batch}`;
    const created = await http.arm('PUT', path, {
      properties: {
        vmSize: 'STANDARD_D2S_V3',
        deploymentConfiguration: { virtualMachineConfiguration: { imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts' }, nodeAgentSkuId: 'batch.node.ubuntu 22.04' } },
        scaleSettings: { autoScale: { formula: '$TargetDedicatedNodes=1', evaluationInterval: 'PT5M' } },
      },
    });
    check(SPEC.batchManagement, 'Pool', created);
  });

  it('applications and packages (Application, ListApplicationsResult, ApplicationPackage, ListApplicationPackagesResult)', async () => {
    const account = `/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts/batchhealthy`;
    const apps = check(SPEC.batchManagement, 'ListApplicationsResult', await get(`${account}/applications`, API.batch));
    for (const app of values(apps)) {
      check(SPEC.batchManagement, 'Application', await get(app.id, API.batch));
      const versions = check(SPEC.batchManagement, 'ListApplicationPackagesResult', await get(`${app.id}/versions`, API.batch));
      for (const version of values(versions)) check(SPEC.batchManagement, 'ApplicationPackage', await get(version.id, API.batch));
    }
    check(SPEC.batchManagement, 'Application', await http.arm('PUT', `${account}/applications/schema-app?api-version=${API.batch}`, { properties: { displayName: 'Schema', allowUpdates: false } }));
    check(SPEC.batchManagement, 'ApplicationPackage', await http.arm('PUT', `${account}/applications/schema-app/versions/1.0?api-version=${API.batch}`));
    check(SPEC.batchManagement, 'ApplicationPackage', await http.arm('POST', `${account}/applications/schema-app/versions/1.0/activate?api-version=${API.batch}`, { format: 'zip' }));
    const denied = check(SPEC.batchManagement, 'CloudError', await http.arm('PUT', `${account.replace('batchhealthy', 'batchnorole')}/applications/tools/versions/9.0?api-version=${API.batch}`), 409);
    expect(denied).toMatchObject({ error: { code: 'AutoStorageNoPermission', target: 'BatchAccount' } });
  });

  it('user-assigned identities (Identity, IdentityListResult)', async () => {
    const list = check(SPEC.msi, 'IdentityListResult', await get(`/subscriptions/${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`, API.msi));
    check(SPEC.msi, 'IdentityListResult', await get(`/subscriptions/${sub}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities`, API.msi));
    expect(values(list).length).toBeGreaterThan(3);
    for (const identity of values(list)) check(SPEC.msi, 'Identity', await get(identity.id, API.msi));
  });

  it('storage accounts (StorageAccount, StorageAccountListResult)', async () => {
    const list = check(SPEC.storage, 'StorageAccountListResult', await get(`/subscriptions/${sub}/providers/Microsoft.Storage/storageAccounts`, API.storage));
    expect(values(list).length).toBeGreaterThan(1);
    for (const account of values(list)) check(SPEC.storage, 'StorageAccount', await get(account.id, API.storage));
  });

  it('role assignments (RoleAssignment, RoleAssignmentListResult) and role definitions (RoleDefinition, RoleDefinitionListResult)', async () => {
    const scope = `/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Storage/storageAccounts/stbatchauto`;
    const list = check(SPEC.roleAssignments, 'RoleAssignmentListResult', await get(`${scope}/providers/Microsoft.Authorization/roleAssignments`, API.authorization));
    const first = values(list)[0];
    expect(first).toBeDefined();
    check(SPEC.roleAssignments, 'RoleAssignment', await get(first?.id ?? '', API.authorization));
    const principalId = [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === 'id-workload')?.principalId;
    const created = await http.arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/7d4c3b2a-1e0f-4a9b-8c7d-6e5f4a3b2c1d?api-version=${API.authorization}`, {
      properties: { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.storageBlobDataReader}`, principalId, principalType: 'ServicePrincipal' },
    });
    check(SPEC.roleAssignments, 'RoleAssignment', created, 201);
    check(SPEC.roleAssignments, 'RoleAssignmentListResult', await get(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`assignedTo('${principalId ?? ''}')`)}`, API.authorization));
    const definitions = check(SPEC.roleDefinitions, 'RoleDefinitionListResult', await get(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions`, API.authorization));
    expect(values(definitions).length).toBeGreaterThan(5);
    for (const role of [ROLE.owner, ROLE.storageBlobDataContributor, ROLE.keyVaultCryptoServiceEncryptionUser]) {
      check(SPEC.roleDefinitions, 'RoleDefinition', await get(`${scope}/providers/Microsoft.Authorization/roleDefinitions/${role}`, API.authorization));
    }
  });

  it('Key Vault vaults (Vault, VaultListResult) and keys (Key, KeyListResult)', async () => {
    const list = check(SPEC.keyVault, 'VaultListResult', await get(`/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults`, API.keyvault));
    expect(values(list).length).toBe(2);
    for (const vault of values(list)) {
      check(SPEC.keyVault, 'Vault', await get(vault.id, API.keyvault));
      const keys = check(SPEC.keys, 'KeyListResult', await get(`${vault.id}/keys`, API.keyvault));
      for (const key of values(keys)) check(SPEC.keys, 'Key', await get(key.id, API.keyvault));
    }
  });

  it('errors: CloudError for Batch, ErrorResponse for the others', async () => {
    const account = `/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts`;
    check(SPEC.batchManagement, 'CloudError', await get(`${account}/nope`, API.batch), 404);
    check(SPEC.batchManagement, 'CloudError', await get(`${account}/batchhealthy/pools/nope`, API.batch), 404);
    check(SPEC.batchManagement, 'CloudError', await get(`${account}/batchhealthy`, '1999-01-01'), 400);
    const reader = await wire(sandbox, SEED.reader);
    check(SPEC.batchManagement, 'CloudError', await reader.arm('PATCH', `${account}/batchhealthy?api-version=${API.batch}`, { tags: {} }), 403);
    check(SPEC.storage, 'ErrorResponse', await get(`/subscriptions/${sub}/resourceGroups/rg-batch/providers/Microsoft.Storage/storageAccounts/nope`, API.storage), 404);
    check(COMMON_FILE, 'ErrorResponse', await get(`/subscriptions/${sub}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope`, API.msi), 404);
    check(COMMON_FILE, 'ErrorResponse', await get(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000`, API.authorization), 404);
  });
});
