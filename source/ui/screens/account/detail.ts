/**
 * Screen 2's upper half: an account's identity (principalId and clientId per identity), its
 * autostorage block, its encryption block (key identifier, versionless or pinned) and its
 * allowed authentication modes, as labelled lines. Pure, so it is tested without a terminal.
 */
import type { BatchAccountSummary } from '../../../domain/model.js';
import { nameOf } from '../../format.js';

export type Tone = 'ok' | 'warning' | 'error' | 'muted';

export interface DetailLine {
  /** Shown in the label column; '' continues the block above. */
  label: string;
  value: string;
  tone?: Tone;
}

export const LABEL_WIDTH = 13;

function identityLines(a: BatchAccountSummary): DetailLine[] {
  const { type, principalId, userAssignedIdentities } = a.identity;
  if (type === 'None') return [{ label: 'identity', value: 'None' }];
  const lines: DetailLine[] = [];
  const label = () => (lines.length === 0 ? 'identity' : '');
  if (principalId) {
    lines.push({ label: label(), value: 'SystemAssigned' });
    lines.push({ label: '', value: `  principalId ${principalId}` });
  }
  for (const ua of userAssignedIdentities) {
    lines.push({ label: label(), value: `UserAssigned ${ua.name}` });
    lines.push({ label: '', value: `  principalId ${ua.principalId ?? '?'}` });
    lines.push({ label: '', value: `  clientId    ${ua.clientId ?? '?'}` });
  }
  return lines.length === 0 ? [{ label: 'identity', value: type }] : lines;
}

function autoStorageLines(a: BatchAccountSummary): DetailLine[] {
  const s = a.autoStorage;
  if (s === undefined) return [{ label: 'autostorage', value: 'none linked', tone: 'muted' }];
  const managed = s.authenticationMode === 'BatchAccountManagedIdentity';
  const reference = s.nodeIdentityReference?.resourceId;
  return [
    { label: 'autostorage', value: `${nameOf(s.storageAccountId)} ${s.authenticationMode}` },
    reference === undefined
      ? {
          label: '',
          value: managed
            ? 'node identity reference: none (nodes cannot reach autostorage)'
            : 'node identity reference: none',
          ...(managed ? { tone: 'warning' as const } : {}),
        }
      : { label: '', value: `node identity reference: ${nameOf(reference)}` },
  ];
}

function encryptionLines(a: BatchAccountSummary): DetailLine[] {
  const e = a.encryption;
  if (e.keySource === 'Microsoft.Batch') {
    return [{ label: 'encryption', value: 'Microsoft.Batch (platform-managed keys)' }];
  }
  const rotation =
    e.versionless === undefined
      ? ''
      : e.versionless
        ? ' · versionless (follows key rotation)'
        : ' · pinned to one key version';
  return [
    { label: 'encryption', value: `Microsoft.KeyVault${rotation}` },
    {
      label: '',
      value: `key ${e.keyIdentifier ?? 'not set'}`,
      ...(e.keyIdentifier ? {} : { tone: 'error' as const }),
    },
  ];
}

export function accountDetailLines(a: BatchAccountSummary): DetailLine[] {
  const where = [a.location, `resource group ${a.resourceGroup}`, a.provisioningState]
    .filter(Boolean)
    .join(' · ');
  return [
    { label: 'account', value: where },
    ...identityLines(a),
    ...autoStorageLines(a),
    ...encryptionLines(a),
    {
      label: 'auth modes',
      value:
        a.allowedAuthenticationModes.length === 0
          ? 'none listed'
          : a.allowedAuthenticationModes.join(', '),
    },
  ];
}
