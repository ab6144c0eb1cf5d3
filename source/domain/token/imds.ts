/**
 * IMDS (http://169.254.169.254/metadata/identity/oauth2/token) as a Batch node sees it, and what
 * its refusals mean (RULES.md §1 "Checking by hand", §4; [S1][I7]). IMDS's error descriptions are
 * its own words; ManagedIdentityCredential passes them on inside its message ("… Description:
 * <text> - Correlation ID …"), so both the raw answer and the SDK's error classify the same way.
 */
import type { RuleId } from '../doctor/types.js';

export const IMDS_HOST = 'http://169.254.169.254';
export const STORAGE_RESOURCE = 'https://storage.azure.com/';

/** How the request names the identity; none: IMDS picks (only works with a single identity). */
export type ImdsSelector = { clientId: string } | { resourceId: string } | Record<string, never>;

export type ImdsFailureKind =
  /** 400: several user-assigned identities and none named (MI008). */
  | 'multipleIdentities'
  /** 400: the named identity is not on this VM (or the VM has none). */
  | 'identityNotFound'
  /** No IMDS answered: not an Azure VM / Batch node. */
  | 'unreachable'
  /** Any other answer. */
  | 'other';

export interface ImdsFailure {
  kind: ImdsFailureKind;
  status?: number;
  /** IMDS's `error_description` (or the SDK's first line). */
  description: string;
}

export function classifyImdsFailure(input: {
  status?: number;
  description?: string;
  /** A transport error code (ECONNREFUSED, ETIMEDOUT, …) or the SDK's message. */
  transport?: string;
}): ImdsFailure {
  const text = `${input.description ?? ''} ${input.transport ?? ''}`;
  const description = (input.description ?? input.transport ?? 'no answer').trim();
  const at = input.status === undefined ? {} : { status: input.status };
  if (/Multiple user assigned identities exist/i.test(text))
    return { kind: 'multipleIdentities', description, ...at };
  if (/Identity not found/i.test(text)) return { kind: 'identityNotFound', description, ...at };
  if (
    input.status === undefined &&
    /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|timed? ?out|not available|unreachable|network/i.test(
      text,
    )
  )
    return { kind: 'unreachable', description, ...at };
  return { kind: 'other', description, ...at };
}

/** ManagedIdentityCredential's message: keep IMDS's description when it quotes one. */
export function imdsDescriptionFromSdk(message: string): string {
  const quoted = /Description:\s*(.+?)\s+-\s+Correlation ID/i.exec(message);
  return quoted?.[1] ?? message.split('\n')[0] ?? message;
}

/** The exact request a task (or the operator, over SSH/RDP) makes on a node; writes token.jwt. */
export function nodeTokenCommand(selector: ImdsSelector, resource = STORAGE_RESOURCE): string {
  const named =
    'clientId' in selector
      ? `&client_id=${selector.clientId}`
      : 'resourceId' in selector
        ? `&msi_res_id=${selector.resourceId}`
        : '&client_id=<client-id>';
  return `curl -s -H Metadata:true "${IMDS_HOST}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}${named}" | jq -r .access_token > token.jwt`;
}

export interface Explained {
  reason: string;
  fix: string;
  rule?: RuleId;
}

/** Why IMDS refused, and what to do, for the token check's first step. */
export function explainImdsFailure(failure: ImdsFailure, selector: ImdsSelector): Explained {
  const asked =
    'clientId' in selector
      ? `client id ${selector.clientId}`
      : 'resourceId' in selector
        ? `identity ${selector.resourceId}`
        : 'no particular identity';
  switch (failure.kind) {
    case 'multipleIdentities':
      return {
        rule: 'MI008',
        reason: `IMDS answered ${failure.status ?? 400}: "${failure.description}" — the node has several user-assigned identities and the request named none, so IMDS will not choose one`,
        fix: `name the identity in the request (client_id=<client id> or msi_res_id=<resource id>): ${nodeTokenCommand({})}; in tasks set AZURE_CLIENT_ID in the pool's or task's environmentSettings so DefaultAzureCredential names it`,
      };
    case 'identityNotFound':
      return {
        reason: `IMDS answered ${failure.status ?? 400}: "${failure.description}" — ${asked} is not on this node's VM: it is not one of the pool's identities, or it was added after the node was allocated (MI010)`,
        fix: 'attach the identity to the pool (the program\'s "attach a user-assigned identity to a pool" flow), then resize the pool to 0 and back so its nodes get it',
      };
    case 'unreachable':
      return {
        reason: `IMDS did not answer (${failure.description}): it exists only on Azure VMs, so this source works on a Batch node`,
        fix: `on a node of the pool run ${nodeTokenCommand(selector)}, copy token.jwt here and run validate-token --token-file token.jwt`,
      };
    case 'other':
      return {
        reason: `IMDS answered ${failure.status ?? 'with an error'}: ${failure.description}`,
        fix: `retry on the node with ${nodeTokenCommand(selector)} and read IMDS's answer`,
      };
  }
}
