/**
 * The Token screen's calls: the default storage URL (the autostorage container), the node whose
 * IMDS answers for the pool, and the check itself through `validate-token`'s ports.
 */
import { ImdsGateway } from '../../../azure/imds.js';
import { StorageAccountGateway } from '../../../azure/index.js';
import type { GatewayClients, Gateways } from '../../../azure/index.js';
import { chooseDestination } from '../../../commands/upload-logs-plan.js';
import { checkPorts, type ArmAccess } from '../../../commands/validate-token-ports.js';
import type {
  BatchAccountSummary,
  PoolSummary,
  UserAssignedIdentityRef,
} from '../../../domain/model.js';
import { runTokenCheck, type TokenCheckReport } from '../../../domain/token/check.js';
import type { StepResult } from '../../../domain/token/steps.js';
import { parseStorageUrl } from '../../../domain/token/storage-url.js';
import { nodeImdsEndpoint, type IncidentServices } from '../logs/services.js';

export interface TokenTarget {
  account: BatchAccountSummary;
  pool: PoolSummary;
  node?: string;
  gateways: Gateways;
  clients: GatewayClients;
  armEndpoint: string;
  incident: IncidentServices;
}

export interface TokenSetup {
  defaultUrl?: string;
  /** Why there is no default URL. */
  noDefault?: string;
  /** The node whose IMDS is asked (the one given, else the pool's first). */
  node?: string;
}

function arm(t: TokenTarget): ArmAccess {
  const subscriptionId = t.gateways.subscriptionId;
  const where = { armEndpoint: t.armEndpoint, subscriptionId };
  return {
    identities: t.gateways.identities,
    authorization: t.gateways.authorization,
    storageAccounts: new StorageAccountGateway(t.clients.batchManagement(subscriptionId), where, {
      readOnly: true,
    }),
    subscriptionId,
  };
}

export async function setup(t: TokenTarget, signal: AbortSignal): Promise<TokenSetup> {
  const result: TokenSetup = {};
  try {
    result.defaultUrl = (
      await chooseDestination(t.account, undefined, arm(t).storageAccounts, signal)
    ).containerUrl;
  } catch (error) {
    result.noDefault = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
  if (t.node) result.node = t.node;
  else {
    const nodes = await t.gateways
      .data(t.account.accountEndpoint ?? '')
      .listNodes(t.pool.name, { signal }, { limit: 1 });
    const first = nodes.items[0];
    if (first) result.node = first.id;
  }
  return result;
}

export async function checkToken(
  t: TokenTarget,
  identity: UserAssignedIdentityRef,
  node: string | undefined,
  storageUrl: string,
  onStep: (step: StepResult) => void,
  signal: AbortSignal,
): Promise<TokenCheckReport> {
  const parsed = parseStorageUrl(storageUrl);
  if (!parsed.ok) throw new Error(`${parsed.message}.`);
  const endpoint = node
    ? nodeImdsEndpoint(t.incident, t.account.name, t.pool.name, node)
    : undefined;
  const selector = identity.clientId
    ? { clientId: identity.clientId }
    : { resourceId: identity.resourceId };
  const imds = new ImdsGateway(endpoint ? { endpoint } : {});
  return runTokenCheck(
    checkPorts({ kind: 'imds', imds, selector }, parsed.value, arm(t), t.incident.tlsOptions),
    {
      source: { kind: 'imds', selector, endpoint: endpoint ?? 'http://169.254.169.254' },
      target: parsed.value,
      storageUrl,
      expected: {
        resourceId: identity.resourceId,
        ...(identity.clientId ? { clientId: identity.clientId } : {}),
        ...(identity.principalId ? { principalId: identity.principalId } : {}),
      },
      ...(t.incident.tenantId ? { tenantId: t.incident.tenantId } : {}),
      signal,
      onStep,
    },
  );
}
