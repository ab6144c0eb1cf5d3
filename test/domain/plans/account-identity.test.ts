/** Flow 3 plans (the account's own identity for autostorage and customer-managed keys). */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../source/domain/doctor/types.js';
import {
  planFlow,
  type AccountIdentityChoices,
  type Plan,
} from '../../../source/domain/plans/index.js';
import {
  ACCOUNT,
  CONTRIBUTOR,
  KV_CRYPTO_USER,
  STORAGE,
  VAULT,
  assignment,
  batchOf,
  healthy,
  identityId,
  ref,
} from './world.js';

const choices = (over: Partial<AccountIdentityChoices> = {}): AccountIdentityChoices => ({
  flow: 'account-identity',
  accountId: ACCOUNT,
  identity: { type: 'UserAssigned', resourceId: identityId('id-account') },
  ...over,
});

function plan(snapshot: Snapshot, c: AccountIdentityChoices = choices()): Plan {
  const result = planFlow(snapshot, c);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const ids = (p: Plan) => p.steps.map((s) => s.id);

/** The account on a customer-managed key in kv-cmk (RBAC or access policies). */
function cmk(rbac: boolean, holders: string[] = []): Snapshot {
  const s = healthy();
  batchOf(s).account.encryption = {
    keySource: 'Microsoft.KeyVault',
    keyIdentifier: 'https://kv-cmk.vault.azure.net/keys/batch-key',
    versionless: true,
  };
  s.keyVaults = [
    {
      id: VAULT,
      name: 'kv-cmk',
      vaultUri: 'https://kv-cmk.vault.azure.net/',
      enableSoftDelete: true,
      enablePurgeProtection: true,
      enableRbacAuthorization: rbac,
      accessPolicies: rbac
        ? []
        : holders.map((objectId) => ({ objectId, keys: ['get', 'wrapKey', 'unwrapKey'] })),
    },
  ];
  if (rbac) {
    s.roleAssignmentScopes.push(VAULT);
    for (const h of holders)
      s.roleAssignments.push(assignment(h, KV_CRYPTO_USER, `${VAULT}/keys/batch-key`));
  }
  return s;
}

describe('flow 3: account identity', () => {
  it('the identity the account already has, with its roles: nothing to do', () => {
    expect(plan(healthy()).steps).toEqual([]);
  });

  it('a new user-assigned identity gets its autostorage role BEFORE it takes over', () => {
    const p = plan(
      healthy(),
      choices({ identity: { type: 'UserAssigned', resourceId: identityId('id-new') } }),
    );
    expect(ids(p)).toEqual([
      'role:Storage Blob Data Contributor:id-new:stauto',
      'account-identity:batch',
    ]);
    expect(p.steps[1]?.changes).toEqual([
      { path: 'identity', before: ['id-account'], after: ['id-account', 'id-new'] },
    ]);
    expect(p.warnings.map((w) => w.code)).toEqual(['manual-step', 'role-propagation']);
  });

  it('replace keeps only the chosen identity', () => {
    const p = plan(
      healthy(),
      choices({
        identity: { type: 'UserAssigned', resourceId: identityId('id-new') },
        mode: 'replace',
      }),
    );
    expect(p.steps[1]?.changes[0]?.after).toEqual(['id-new']);
    expect(p.warnings.find((w) => w.code === 'identity-replaced')?.message).toContain(
      'stops using id-account',
    );
  });

  it('a new system-assigned identity exists only after the PATCH: its role comes after', () => {
    const p = plan(healthy(), choices({ identity: { type: 'SystemAssigned' } }));
    expect(ids(p)).toEqual([
      'account-identity:batch',
      'role:Storage Blob Data Contributor:batch (system-assigned):stauto',
    ]);
    expect(p.steps[1]).toMatchObject({ principal: { kind: 'account-system', accountId: ACCOUNT } });
    expect(p.warnings.map((w) => w.code)).toContain('identity-replaced');
  });

  it('an existing system-assigned identity with its role: nothing to do', () => {
    const s = healthy();
    batchOf(s).account.identity = {
      type: 'SystemAssigned',
      principalId: 'pid-system',
      userAssignedIdentities: [],
    };
    s.roleAssignments.push(assignment('pid-system', CONTRIBUTOR, STORAGE));
    expect(plan(s, choices({ identity: { type: 'SystemAssigned' } })).steps).toEqual([]);
  });

  it('grantAutoStorage: false leaves the storage role out', () => {
    const p = plan(
      healthy(),
      choices({
        identity: { type: 'UserAssigned', resourceId: identityId('id-new') },
        grantAutoStorage: false,
      }),
    );
    expect(ids(p)).toEqual(['account-identity:batch']);
  });

  it('CMK with an RBAC vault: key access on the key first (MI021)', () => {
    const p = plan(
      cmk(true, ['pid-id-account']),
      choices({ identity: { type: 'UserAssigned', resourceId: identityId('id-new') } }),
    );
    expect(ids(p)).toEqual([
      'role:Storage Blob Data Contributor:id-new:stauto',
      'role:Key Vault Crypto Service Encryption User:id-new:batch-key',
      'account-identity:batch',
    ]);
    expect(p.steps[1]).toMatchObject({
      scope: `${VAULT}/keys/batch-key`,
      role: { guid: KV_CRYPTO_USER },
    });
    expect(p.warnings.map((w) => w.code)).toContain('cmk-access');
    // The current identity already holds it: nothing for the vault.
    expect(ids(plan(cmk(true, ['pid-id-account'])))).toEqual([]);
  });

  it('CMK with an access-policy vault: a manual step with the exact az command', () => {
    const p = plan(
      cmk(false),
      choices({ identity: { type: 'UserAssigned', resourceId: identityId('id-new') } }),
    );
    const manual = p.warnings.filter((w) => w.code === 'manual-step').map((w) => w.message);
    expect(manual.join('\n')).toContain(
      'az keyvault set-policy -n kv-cmk --object-id pid-id-new --key-permissions get wrapKey unwrapKey',
    );
  });

  it('an identity the account has among others is not added twice', () => {
    const s = healthy();
    batchOf(s).account.identity.userAssignedIdentities.push(ref('id-new'));
    s.roleAssignments.push(assignment('pid-id-new', CONTRIBUTOR, STORAGE));
    expect(
      plan(s, choices({ identity: { type: 'UserAssigned', resourceId: identityId('id-new') } }))
        .steps,
    ).toEqual([]);
  });
});
