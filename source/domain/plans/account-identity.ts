/**
 * Flow 3 (SPEC §4.2): the Batch account's own identity, which the Batch service uses for
 * managed-identity autostorage and for customer-managed keys — never nodes ([S1][S3]).
 *
 * The identity must hold its roles before it takes over, or the service loses access in between
 * (for CMK the account becomes unusable: MI021 [S5]). So roles for an identity whose principal
 * is known come first; a new system-assigned identity only exists once the PATCH has run, so its
 * roles follow it.
 */
import { KEY_DATA_ACTIONS, BLOB_WRITE } from '../doctor/rbac.js';
import { locateCmk } from '../doctor/rules-cmk.js';
import { keyVaultSetPolicy } from '../doctor/fixes.js';
import { lastSegment } from '../model.js';
import { parseUserAssignedIdentityId } from '../resource-id.js';
import { accountTarget, hasId, sameIdSet, withId, type PlanState } from './state.js';
import { accountIdentityStep, roleStep, systemIdentityName, type RoleName } from './steps.js';
import type {
  AccountIdentityChoices,
  CreateRoleAssignmentStep,
  PatchAccountIdentityStep,
  PlanResult,
  PlanStep,
  PlanWarning,
  PrincipalRef,
} from './types.js';
import { FLOW_TITLES } from './types.js';
import { NOT_ON_NODES, rolePropagation, unconfirmedRoles } from './warnings.js';

export function planAccountIdentity(state: PlanState, c: AccountIdentityChoices): PlanResult {
  if (c.identity.type === 'UserAssigned') {
    const parsed = parseUserAssignedIdentityId(c.identity.resourceId);
    if (!parsed.ok) return { ok: false, problem: parsed.message };
  }
  const found = state.account(c.accountId);
  if (!found)
    return { ok: false, problem: `Batch account ${lastSegment(c.accountId)} was not found` };
  const a = found.account;
  const currentIds = a.identity.userAssignedIdentities.map((i) => i.resourceId);
  const warnings: PlanWarning[] = [NOT_ON_NODES];

  // The identity block the account should end with, and whether that differs from now.
  let principal: PrincipalRef;
  let identityStep: PatchAccountIdentityStep | undefined;
  if (c.identity.type === 'SystemAssigned') {
    principal =
      a.identity.type === 'SystemAssigned' && a.identity.principalId
        ? {
            kind: 'principal',
            principalId: a.identity.principalId,
            name: systemIdentityName(a.name),
          }
        : { kind: 'account-system', accountId: a.id, name: systemIdentityName(a.name) };
    if (a.identity.type !== 'SystemAssigned')
      identityStep = accountIdentityStep(
        state.armEndpoint,
        a,
        c.identity,
        'the account should use a system-assigned identity',
      );
  } else {
    const id = c.identity.resourceId;
    principal = state.principalRef(id);
    const next =
      c.mode === 'replace' || a.identity.type !== 'UserAssigned' ? [id] : withId(currentIds, id);
    if (a.identity.type !== 'UserAssigned' || !sameIdSet(currentIds, next))
      identityStep = accountIdentityStep(
        state.armEndpoint,
        a,
        { type: 'UserAssigned', resourceIds: next },
        hasId(currentIds, id)
          ? 'the account should keep only this identity'
          : `${lastSegment(id)} is not the account's identity`,
      );
  }

  // What the identity needs where the service uses it.
  const roles: CreateRoleAssignmentStep[] = [];
  const need = (role: RoleName, scope: string, actions: readonly string[], reason: string) => {
    const verdict = state.holds(principal, scope, actions);
    if (verdict.kind === 'granted') return;
    if (verdict.kind === 'unknown') warnings.push(unconfirmedRoles(verdict.reason));
    roles.push(roleStep(principal, role, scope, reason));
  };
  const auto = a.autoStorage;
  if (c.grantAutoStorage !== false && auto?.authenticationMode === 'BatchAccountManagedIdentity')
    need(
      'Storage Blob Data Contributor',
      auto.storageAccountId,
      [BLOB_WRITE],
      'MI002: the Batch service uploads application packages to autostorage with this identity',
    );
  const cmk = locateCmk(state.ctx, a);
  if (cmk && c.grantKeyVault !== false) {
    if (!cmk.vault)
      warnings.push({
        code: 'cmk-access',
        message: `The account's customer-managed key could not be located (${cmk.reason ?? 'unknown vault'}): give the identity get, wrapKey and unwrapKey on it before it takes over, or the account becomes unusable.`,
        source: 'batch-customer-managed-key [S5]; RULES.md MI021',
      });
    else if (cmk.vault.enableRbacAuthorization)
      need(
        'Key Vault Crypto Service Encryption User',
        `${cmk.vault.id}/keys/${cmk.keyName}`,
        KEY_DATA_ACTIONS,
        'MI021: Batch wraps and unwraps its keys with this identity',
      );
    else {
      const who =
        principal.kind === 'principal'
          ? principal.principalId
          : '<principal-id of the new identity>';
      warnings.push({
        code: 'manual-step',
        message: `Vault ${cmk.vault.name} uses access policies, which this program does not change: before confirming, run \`${keyVaultSetPolicy(cmk.vault.name, who)}\`${principal.kind === 'principal' ? '' : ' once the identity exists'}, or the account becomes unusable (MI021).`,
        source: 'batch-customer-managed-key [S5]; RULES.md MI021',
      });
    }
  }

  const kept = identityStep?.patch.identity.userAssignedIdentities ?? [];
  const dropped = identityStep ? currentIds.filter((id) => !hasId(kept, id)) : [];
  if (dropped.length || (identityStep && a.identity.type === 'SystemAssigned'))
    warnings.push({
      code: 'identity-replaced',
      message: `The Batch service stops using ${[...dropped.map((id) => lastSegment(id)), ...(a.identity.type === 'SystemAssigned' ? [systemIdentityName(a.name)] : [])].join(', ')} (an account has one identity type); its role assignments stay until you remove them.`,
      source: 'BatchAccountIdentity (BatchManagement.json); RULES.md §1',
    });

  const later = principal.kind === 'account-system';
  const steps: PlanStep[] = later
    ? [...(identityStep ? [identityStep] : []), ...roles]
    : [...roles, ...(identityStep ? [identityStep] : [])];
  warnings.push(...rolePropagation(steps));
  if (identityStep && cmk && steps.length)
    warnings.push({
      code: 'cmk-access',
      message: later
        ? 'A new system-assigned identity has no key access until its role is granted (the next step): the account may be unusable for up to 10 minutes.'
        : 'The identity gets key access before it takes over, so the account keeps reaching its key.',
      source: 'batch-customer-managed-key [S5]; RULES.md MI021',
    });

  return {
    ok: true,
    plan: {
      flow: 'account-identity',
      title: `${FLOW_TITLES['account-identity']}: ${a.name} → ${principal.name}`,
      choices: c,
      account: accountTarget(a),
      steps,
      warnings: steps.length ? warnings : [],
      basedOn: state.snapshot.now,
    },
  };
}
