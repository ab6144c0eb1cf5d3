/**
 * AuthorizationGateway against the seeded sandbox through @azure/arm-authorization as cloud/
 * builds it: role assignments on the autostorage account, the built-in roles cached per
 * session, idempotent creation, read-only guard, and a Reader's write refused by Azure.
 */
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationGateway } from '../../source/azure/authorization.js';
import { BatchManagementGateway } from '../../source/azure/batch-management.js';
import type { BatchAccountSummary, UserAssignedIdentityRef } from '../../source/domain/model.js';
import { BUILT_IN_ROLE_IDS } from '../../source/domain/model.js';
import { countRequests, startFixture, type Fixture, type RequestLog } from './sandbox-fixture.js';

let fx: Fixture;
let client: AuthorizationManagementClient;
let log: RequestLog;
let healthy: BatchAccountSummary;
let storageId: string;
let accountIdentity: UserAssignedIdentityRef;

beforeAll(async () => {
  fx = await startFixture();
  client = fx.operator.authorization();
  log = countRequests(client);
  const accounts = await new BatchManagementGateway(fx.operator.batchManagement()).listAccounts();
  const found = accounts.find((a) => a.name === 'batchhealthy');
  if (!found?.autoStorage || !found.identity.userAssignedIdentities[0])
    throw new Error('seed lacks batchhealthy');
  healthy = found;
  storageId = found.autoStorage?.storageAccountId ?? '';
  accountIdentity = found.identity.userAssignedIdentities[0];
});
afterAll(() => fx.embedded.stop());

describe('role assignments', () => {
  it('lists the assignments on the autostorage account, as the SDK does, with role names', async () => {
    const gw = new AuthorizationGateway(client);
    const mine = await gw.withRoleNames(await gw.listRoleAssignments(storageId));
    const direct = [];
    for await (const a of client.roleAssignments.listForScope(storageId)) direct.push(a);
    expect(mine.map((a) => a.id).sort()).toEqual(direct.map((a) => a.id).sort());
    const contributor = mine.find((a) => a.principalId === accountIdentity.principalId);
    expect(contributor).toMatchObject({
      roleDefinitionName: BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'],
      roleName: 'Storage Blob Data Contributor',
    });
    expect(contributor?.createdOn).toBeInstanceOf(Date);
  });

  it('filters by principal', async () => {
    const gw = new AuthorizationGateway(client);
    const only = await gw.listRoleAssignments(storageId, {
      principalId: accountIdentity.principalId ?? '',
    });
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((a) => a.principalId === accountIdentity.principalId)).toBe(true);
  });

  it('lists built-in roles once per session, concurrent callers included', async () => {
    const gw = new AuthorizationGateway(client);
    log.reset();
    const [a, b] = await Promise.all([gw.builtInRoles(), gw.builtInRoles()]);
    await gw.builtInRoles();
    await gw.roleDefinition(BUILT_IN_ROLE_IDS['Storage Blob Data Reader']);
    expect(a).toBe(b);
    expect(a.get(BUILT_IN_ROLE_IDS.Reader)?.roleName).toBe('Reader');
    expect(
      a.get(BUILT_IN_ROLE_IDS['Storage Blob Data Reader'])?.permissions[0]?.dataActions.length,
    ).toBeGreaterThan(0);
    expect(log.entries.filter((e) => /roleDefinitions/i.test(e.what))).toHaveLength(1);
  });
});

describe('writes', () => {
  it('read-only mode refuses to grant without calling Azure', async () => {
    const gw = new AuthorizationGateway(client, { readOnly: true });
    log.reset();
    await expect(
      gw.createRoleAssignment({
        scope: storageId,
        roleDefinitionId: BUILT_IN_ROLE_IDS['Storage Blob Data Reader'],
        principalId: accountIdentity.principalId ?? '',
      }),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
    await expect(
      gw.deleteRoleAssignment(`${storageId}/providers/Microsoft.Authorization/roleAssignments/x`),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
    expect(log.entries).toHaveLength(0);
  });

  it('grants once; granting again changes nothing; removing works', async () => {
    const gw = new AuthorizationGateway(client);
    const input = {
      scope: storageId,
      roleDefinitionId: BUILT_IN_ROLE_IDS['Storage Blob Data Reader'],
      principalId: accountIdentity.principalId ?? '',
      principalType: 'ServicePrincipal' as const,
    };
    const first = await gw.createRoleAssignment(input);
    expect(first.created).toBe(true);
    const again = await gw.createRoleAssignment(input);
    expect(again).toMatchObject({ created: false, assignment: { id: first.assignment.id } });
    await gw.deleteRoleAssignment(first.assignment.id);
    const left = await gw.listRoleAssignments(storageId, { principalId: input.principalId });
    expect(left.some((a) => a.id === first.assignment.id)).toBe(false);
  });

  it('a Reader lists assignments, and its grant is Forbidden naming the action', async () => {
    const gw = new AuthorizationGateway(fx.reader.authorization());
    expect((await gw.listRoleAssignments(storageId)).length).toBeGreaterThan(0);
    const error: unknown = await gw
      .createRoleAssignment({
        scope: storageId,
        roleDefinitionId: BUILT_IN_ROLE_IDS['Storage Blob Data Reader'],
        principalId: healthy.identity.userAssignedIdentities[0]?.principalId ?? '',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Forbidden' });
    expect((error as { detail: { action?: string } }).detail.action).toMatch(
      /^Microsoft\.Authorization\/roleAssignments\/write$/i,
    );
  });
});

describe('createGateways', () => {
  it('builds the gateways of a subscription from cloud/ clients, sharing the read-only switch', async () => {
    const { createGateways } = await import('../../source/azure/index.js');
    let readOnly = false;
    const gw = createGateways(
      fx.operator,
      { armEndpoint: fx.profile.armEndpoint },
      { readOnly: () => readOnly },
    );
    expect(gw.subscriptionId).toBe(fx.profile.subscriptionId);
    expect(gw.data(healthy.accountEndpoint ?? '')).toBe(gw.data(healthy.accountEndpoint ?? ''));
    readOnly = true;
    await expect(
      gw.management.updateAccount({ resourceGroup: 'rg-batch', name: 'batchhealthy' }, {}),
    ).rejects.toMatchObject({ kind: 'ReadOnly' });
  });
});
