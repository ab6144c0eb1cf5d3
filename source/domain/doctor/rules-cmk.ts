/**
 * Customer-managed keys (RULES.md §3 MI019–MI021; [S5] batch-customer-managed-key.md, [S15]):
 * the vault must have soft delete and purge protection, the key must be RSA of 2048 bits or more
 * allowing wrapKey/unwrapKey, and the account's identity needs get, wrapKey and unwrapKey on it
 * (by access policy, or by RBAC when the vault uses it). Without access the account becomes
 * unusable and its nodes unavailable.
 */
import type { BatchAccountSummary } from '../model.js';
import { accountPrincipals, type DoctorContext } from './context.js';
import { azRestPatch, keyVaultSetPolicy, placeholder, roleAssignmentCreate } from './fixes.js';
import { KEY_DATA_ACTIONS, type GrantVerdict } from './rbac.js';
import { rule, type Output } from './rule.js';
import type { KeyVaultInfo, KeyVaultKeyInfo } from './types.js';

export interface CmkLocation {
  keyIdentifier: string;
  keyName: string;
  vault?: KeyVaultInfo;
  key?: KeyVaultKeyInfo;
  /** Why the vault (or the key) is not in the snapshot. */
  reason?: string;
}

/** Finds the vault and key an account's keyIdentifier (https://{vault}.vault.azure.net/keys/{name}[/{version}]) names. */
export function locateCmk(ctx: DoctorContext, a: BatchAccountSummary): CmkLocation | undefined {
  if (a.encryption.keySource !== 'Microsoft.KeyVault') return undefined;
  const keyIdentifier = a.encryption.keyIdentifier ?? '';
  let host = '';
  let keyName = '';
  try {
    const url = new URL(keyIdentifier);
    host = url.host.toLowerCase();
    const [kind, name] = url.pathname.split('/').filter(Boolean);
    if (kind?.toLowerCase() === 'keys' && name) keyName = name;
  } catch {
    // reported below
  }
  if (!host || !keyName)
    return {
      keyIdentifier,
      keyName,
      reason: `encryption.keyVaultProperties.keyIdentifier '${keyIdentifier}' is not a key URL`,
    };
  const vaults = ctx.snapshot.keyVaults;
  if (!vaults) {
    const gap = ctx.snapshot.gaps.find((g) => g.part === 'keyVaults');
    return { keyIdentifier, keyName, reason: gap?.reason ?? 'the key vaults were not listed' };
  }
  const vault = vaults.find((v) => {
    try {
      return new URL(v.vaultUri).host.toLowerCase() === host;
    } catch {
      return false;
    }
  });
  if (!vault)
    return {
      keyIdentifier,
      keyName,
      reason: `no vault at ${host} is visible in subscription ${ctx.snapshot.scope.subscriptionId} (another subscription, or no read access)`,
    };
  const key = ctx.snapshot.keys.find(
    (k) =>
      k.vaultId.toLowerCase() === vault.id.toLowerCase() &&
      k.name.toLowerCase() === keyName.toLowerCase(),
  );
  if (!key) {
    const gap = ctx.gap('key', `${vault.id}/keys/${keyName}`);
    return { keyIdentifier, keyName, vault, reason: gap?.reason ?? `key ${keyName} was not read` };
  }
  return { keyIdentifier, keyName, vault, key };
}

function eachCmk(
  ctx: DoctorContext,
  out: Output,
  needsKey: boolean,
  visit: (a: BatchAccountSummary, at: CmkLocation & { vault: KeyVaultInfo }) => void,
): void {
  for (const { account: a } of ctx.snapshot.accounts) {
    const at = locateCmk(ctx, a);
    if (!at) continue;
    if (!at.vault || (needsKey && !at.key)) {
      out.skip(a.id, at.reason ?? 'the key vault was not read');
      continue;
    }
    visit(a, { ...at, vault: at.vault });
  }
}

export const MI019 = rule(
  'MI019',
  'error',
  'Customer-managed key vault lacks soft delete or purge protection',
  (ctx, out) => {
    eachCmk(ctx, out, false, (a, { vault }) => {
      if (vault.enableSoftDelete !== false && vault.enablePurgeProtection === true) return;
      out.find({
        resource: a.id,
        resourceName: a.name,
        symptom: `Key vault ${vault.name} holding the account's key is unsafe for customer-managed keys: a deleted or purged key makes the account unusable`,
        evidence: {
          'encryption.keySource': 'Microsoft.KeyVault',
          vault: vault.id,
          enableSoftDelete: vault.enableSoftDelete ?? true,
          enablePurgeProtection: vault.enablePurgeProtection ?? false,
        },
        fix: {
          az: `az keyvault update -n ${vault.name} --enable-purge-protection true`,
          ...(vault.enableSoftDelete === false
            ? {
                note: 'soft delete must be on as well (az keyvault update --enable-soft-delete true on vaults that still allow it)',
              }
            : {}),
        },
      });
    });
  },
);

export const MI020 = rule(
  'MI020',
  'error',
  'Customer-managed key is not RSA 2048+ or does not allow wrapKey/unwrapKey',
  (ctx, out) => {
    eachCmk(ctx, out, true, (a, { vault, key, keyName }) => {
      if (!key) return;
      const problems: string[] = [];
      if (!/^RSA(-HSM)?$/i.test(key.kty ?? '')) problems.push(`kty ${key.kty ?? 'unknown'}`);
      else if (key.keySize !== undefined && key.keySize < 2048)
        problems.push(`keySize ${key.keySize}`);
      const ops = key.keyOps.map((o) => o.toLowerCase());
      // An empty keyOps list lets the key do every operation its type supports.
      if (ops.length && !(ops.includes('wrapkey') && ops.includes('unwrapkey')))
        problems.push('keyOps without wrapKey/unwrapKey');
      if (!problems.length) return;
      const newKey = `${keyName}-rsa`;
      out.find({
        resource: a.id,
        resourceName: a.name,
        symptom: `Customer-managed key ${keyName} cannot protect the account: ${problems.join(', ')}`,
        evidence: {
          key: key.id,
          kty: key.kty ?? null,
          keySize: key.keySize ?? null,
          keyOps: key.keyOps,
        },
        fix: {
          az:
            `az keyvault key create --vault-name ${vault.name} -n ${newKey} --kty RSA --size 2048 --ops wrapKey unwrapKey && ` +
            azRestPatch(ctx.snapshot.armEndpoint, a.id, {
              properties: {
                encryption: {
                  keySource: 'Microsoft.KeyVault',
                  keyVaultProperties: {
                    keyIdentifier: `${vault.vaultUri.replace(/\/+$/, '')}/keys/${newKey}`,
                  },
                },
              },
            }),
          note: 'a versionless key identifier follows key rotation',
        },
      });
    });
  },
);

/** Whether the account's identity may get/wrapKey/unwrapKey (MI021; MI006 reads the RBAC case). */
export function cmkGrant(
  ctx: DoctorContext,
  a: BatchAccountSummary,
  at: CmkLocation & { vault: KeyVaultInfo },
): GrantVerdict & { principals: string[] } {
  const principals = accountPrincipals(a, (id) => ctx.identity(id));
  if (a.identity.type !== 'None' && !principals.length)
    return {
      kind: 'unknown',
      reason: "the account identity's principalId is not known",
      principals,
    };
  if (at.vault.enableRbacAuthorization) {
    return {
      ...ctx.grant(principals, [`${at.vault.id}/keys/${at.keyName}`], KEY_DATA_ACTIONS),
      principals,
    };
  }
  const ids = new Set(principals.map((p) => p.toLowerCase()));
  const granted = new Set(
    at.vault.accessPolicies
      .filter((p) => ids.has(p.objectId.toLowerCase()))
      .flatMap((p) => p.keys.map((k) => k.toLowerCase())),
  );
  const ok = granted.has('all') || ['get', 'wrapkey', 'unwrapkey'].every((k) => granted.has(k));
  return { kind: ok ? 'granted' : 'missing', assignments: [], principals };
}

export const MI021 = rule(
  'MI021',
  'critical',
  'Account identity lacks get/wrapKey/unwrapKey on the customer-managed key',
  (ctx, out) => {
    eachCmk(ctx, out, false, (a, at) => {
      const verdict = cmkGrant(ctx, a, at);
      if (verdict.kind === 'granted') return;
      if (verdict.kind === 'unknown') {
        out.skip(a.id, verdict.reason);
        return;
      }
      const principal = verdict.principals[0];
      const rbac = at.vault.enableRbacAuthorization;
      const held = at.vault.accessPolicies
        .filter((p) => verdict.principals.some((x) => x.toLowerCase() === p.objectId.toLowerCase()))
        .flatMap((p) => p.keys);
      out.find({
        resource: a.id,
        resourceName: a.name,
        symptom:
          'Account unusable: Batch cannot reach its customer-managed key; nodes become unavailable and tasks are requeued',
        evidence: {
          'encryption.keyVaultProperties.keyIdentifier': at.keyIdentifier,
          'identity.type': a.identity.type,
          'identity.principalIds': verdict.principals,
          vault: at.vault.id,
          permissionModel: rbac ? 'Azure RBAC' : 'access policies',
          'key permissions held': rbac ? undefined : held,
        },
        fix: principal
          ? {
              az: rbac
                ? roleAssignmentCreate(
                    principal,
                    'Key Vault Crypto Service Encryption User',
                    `${at.vault.id}/keys/${at.keyName}`,
                  )
                : keyVaultSetPolicy(at.vault.name, principal),
              note: 'recovery can take up to 10 minutes after access is restored',
            }
          : {
              flow: 'account-identity',
              az: azRestPatch(ctx.snapshot.armEndpoint, a.id, {
                identity: {
                  type: 'UserAssigned',
                  userAssignedIdentities: { [placeholder('identity-resource-id')]: {} },
                },
              }),
              note: 'then grant that identity get, wrapKey and unwrapKey on the key',
            },
      });
    });
  },
);
