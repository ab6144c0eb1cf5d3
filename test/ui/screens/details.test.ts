import { describe, expect, it } from 'vitest';
import type { BatchAccountSummary } from '../../../source/domain/model.js';
import { accountDetailLines } from '../../../source/ui/screens/account/detail.js';
import {
  authModeCompact,
  identityCompact,
  identityText,
} from '../../../source/ui/screens/accounts/columns.js';
import {
  roleText,
  rolesCompact,
  usesText,
  useText,
} from '../../../source/ui/screens/identities/columns.js';
import { identityDetailRows } from '../../../source/ui/screens/identities/detail.js';
import type { IdentityRow } from '../../../source/ui/screens/identities/load.js';
import {
  hasNodeIdentity,
  nodesText,
  packagesText,
} from '../../../source/ui/screens/pools/columns.js';
import { account, identityId, pool } from '../fixtures.js';

const ua = (name: string) => ({
  resourceId: identityId(name),
  name,
  principalId: `p-${name}`,
  clientId: `c-${name}`,
});
const STORAGE =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stauto';

describe('account identity, as the Accounts table writes it', () => {
  it.each<[BatchAccountSummary['identity'], string, string]>([
    [{ type: 'None', userAssignedIdentities: [] }, 'None', 'None'],
    [
      { type: 'SystemAssigned', principalId: 'p', userAssignedIdentities: [] },
      'SystemAssigned',
      'System',
    ],
    [
      { type: 'UserAssigned', userAssignedIdentities: [ua('id-a'), ua('id-b')] },
      'UserAssigned id-a, id-b',
      'id-a,id-b',
    ],
  ])('%j', (identity, text, compact) => {
    expect(identityText(identity)).toBe(text);
    expect(identityCompact(identity)).toBe(compact);
  });

  it('shortens the autostorage mode to MI/keys', () => {
    expect(authModeCompact(account())).toBe('-');
    expect(
      authModeCompact(
        account({ autoStorage: { storageAccountId: STORAGE, authenticationMode: 'StorageKeys' } }),
      ),
    ).toBe('keys');
    expect(
      authModeCompact(
        account({
          autoStorage: {
            storageAccountId: STORAGE,
            authenticationMode: 'BatchAccountManagedIdentity',
          },
        }),
      ),
    ).toBe('MI');
  });
});

describe('accountDetailLines', () => {
  const text = (a: BatchAccountSummary) =>
    accountDetailLines(a).map((l) => `${l.label}|${l.value}`);

  it('lists principalId and clientId per user-assigned identity, and the system one', () => {
    const lines = text(
      account({
        identity: {
          type: 'SystemAssigned',
          principalId: 'sys-p',
          userAssignedIdentities: [ua('id-a')],
        },
      }),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'identity|SystemAssigned',
        '|  principalId sys-p',
        '|UserAssigned id-a',
        '|  principalId p-id-a',
        '|  clientId    c-id-a',
      ]),
    );
  });

  it('warns when managed-identity autostorage has no node identity reference', () => {
    const lines = accountDetailLines(
      account({
        autoStorage: {
          storageAccountId: STORAGE,
          authenticationMode: 'BatchAccountManagedIdentity',
        },
      }),
    );
    expect(lines.find((l) => l.label === 'autostorage')?.value).toBe(
      'stauto BatchAccountManagedIdentity',
    );
    expect(lines.find((l) => l.value.startsWith('node identity reference'))).toMatchObject({
      value: 'node identity reference: none (nodes cannot reach autostorage)',
      tone: 'warning',
    });
    expect(text(account())).toContain('autostorage|none linked');
  });

  it.each([
    [true, 'Microsoft.KeyVault · versionless (follows key rotation)'],
    [false, 'Microsoft.KeyVault · pinned to one key version'],
  ])('says whether a customer-managed key is versionless (%s)', (versionless, value) => {
    const keyIdentifier = 'https://kv.vault.azure.net/keys/k';
    const lines = text(
      account({ encryption: { keySource: 'Microsoft.KeyVault', keyIdentifier, versionless } }),
    );
    expect(lines).toContain(`encryption|${value}`);
    expect(lines).toContain(`|key ${keyIdentifier}`);
  });
});

describe('pool columns', () => {
  const withReference = account({
    autoStorage: {
      storageAccountId: STORAGE,
      authenticationMode: 'BatchAccountManagedIdentity',
      nodeIdentityReference: { resourceId: identityId('id-nodes').toUpperCase() },
    },
  });

  it('checks the node identity reference against the pool identities, ignoring ARM id case', () => {
    expect(hasNodeIdentity(withReference, pool('p', ['id-nodes']))).toBe(true);
    expect(hasNodeIdentity(withReference, pool('p', ['id-other']))).toBe(false);
    expect(hasNodeIdentity(account(), pool('p', ['id-nodes']))).toBeUndefined();
  });

  it('writes packages and node counts', () => {
    expect(packagesText(pool('p'))).toBe('-');
    expect(
      packagesText(
        pool('p', [], {
          applicationPackages: [{ id: `${account().id}/applications/tools`, version: '1.0' }],
        }),
      ),
    ).toBe('tools 1.0');
    expect(
      nodesText(
        pool('p', [], {
          currentDedicatedNodes: 2,
          targetDedicatedNodes: 3,
          currentLowPriorityNodes: 1,
          targetLowPriorityNodes: 1,
        }),
      ),
    ).toBe('3/4');
    expect(nodesText(pool('p', [], { autoScale: true, currentDedicatedNodes: 5 }))).toBe('5 auto');
  });
});

describe('identity rows', () => {
  const base = { accountId: account().id, accountName: 'acct' };
  const row: IdentityRow = {
    info: {
      id: identityId('id-nodes'),
      subscriptionId: 's',
      resourceGroup: 'rg-id',
      name: 'id-nodes',
      principalId: 'p1',
      clientId: 'c1',
      uses: [
        { kind: 'nodeIdentityReference', ...base },
        { kind: 'poolIdentity', ...base, poolName: 'p1' },
        { kind: 'poolIdentity', ...base, poolName: 'p2' },
        { kind: 'identityReference', ...base, poolName: 'p2', where: 'startTask.resourceFiles[0]' },
      ],
    },
    storages: ['stauto'],
    roles: [
      {
        storageName: 'stauto',
        assignment: {
          id: 'ra1',
          name: 'ra1',
          scope: STORAGE,
          roleDefinitionId: 'x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
          roleDefinitionName: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
          roleName: 'Storage Blob Data Reader',
          principalId: 'p1',
        },
      },
    ],
  };

  it('summarises and spells out where an identity is used', () => {
    expect(usesText(row.info.uses)).toBe(
      'node identity reference ×1, pool identity ×2, identityReference ×1',
    );
    expect(usesText(row.info.uses, true)).toBe('ref 1 · pool 2 · idref 1');
    expect(row.info.uses.map(useText)).toEqual([
      'node identity reference of acct',
      'pool identity of acct/p1',
      'pool identity of acct/p2',
      'identityReference in acct/p2 startTask.resourceFiles[0]',
    ]);
  });

  it('names roles with their scope, inherited ones marked', () => {
    const role = row.roles[0];
    if (!role) throw new Error('no role');
    expect(roleText(role)).toBe('Storage Blob Data Reader on stauto');
    expect(
      roleText({
        ...role,
        assignment: { ...role.assignment, scope: '/subscriptions/s/resourceGroups/rg' },
      }),
    ).toBe('Storage Blob Data Reader on rg (inherited)');
    expect(rolesCompact({ ...row, roles: [role, role] })).toBe('Blob Data Reader');
  });

  it('shows an identity in full', () => {
    const text = identityDetailRows(row, 100).map((r) => r.text);
    expect(text).toEqual(
      expect.arrayContaining([
        'principalId p1',
        'clientId    c1',
        'Used as (4)',
        '  node identity reference of acct',
        'Role assignments on autostorage (stauto)',
        '  Storage Blob Data Reader on stauto',
      ]),
    );
    expect(identityDetailRows({ ...row, roles: [] }, 100)).toContainEqual({
      text: '  none',
      tone: 'warning',
    });
  });
});
