/**
 * The Instance Metadata Service's managed-identity endpoint, as a Batch node sees it at
 * http://169.254.169.254/metadata/identity/oauth2/token. A node answers with the user-assigned
 * identities its VM was allocated with (ComputeNode.identityResourceIds), not the pool's current
 * ones: nodes allocated before an identity change keep the old set.
 *
 * Error texts are IMDS's own, as seen in the wild (GitHub issues quoting real responses):
 * "Multiple user assigned identities exist, ..." and "Identity not found" (also what a VM with no
 * identity at all answers). "Required metadata header not specified" is the text Azure's IMDS
 * docs give; they name the error "bad_request_102" in one table, while responses quoted in the
 * wild use "invalid_request" for this family, which is what we send. The texts for a missing
 * api-version or resource could not be confirmed and follow the same pattern.
 */
import { imdsError } from '../http/errors.js';
import type { Handler, SandboxRequest, SandboxResponse } from '../http/types.js';
import type { ComputeNode, UserAssignedIdentity } from '../world/model.js';
import type { World } from '../world/world.js';
import { audienceFor, type SandboxTokenService } from '../entra/tokens.js';

const TOKEN_PATH = /^\/metadata\/identity\/oauth2\/token\/?$/i;
const NODE_PREFIX = /^\/accounts\/([^/]+)\/pools\/([^/]+)\/nodes\/([^/]+)(\/.*)$/i;
/** IMDS tokens live 24 hours (expires_in 86399 in real answers). */
const IMDS_TOKEN_LIFETIME = 86399;

/** Finds a node by account name, pool name and node id (account names are unique in Azure). */
export function findNode(
  world: World,
  accountName: string,
  poolName: string,
  nodeId: string,
): ComputeNode | undefined {
  const account = [...world.batchAccounts.values()].find(
    (a) => a.name.toLowerCase() === accountName.toLowerCase(),
  );
  if (!account) return undefined;
  const nodes = world.nodes.get(`${account.id}/pools/${poolName}`.toLowerCase());
  return (
    nodes?.get(nodeId) ??
    [...(nodes?.values() ?? [])].find((n) => n.id.toLowerCase() === nodeId.toLowerCase())
  );
}

/**
 * `node` given: a listener of that node's own, serving /metadata/... at its root like the real
 * link-local address. Omitted: the shared listener, where the node is named by the path prefix
 * /accounts/{account}/pools/{pool}/nodes/{node} (so 10,000 nodes need no 10,000 ports).
 */
export function createImdsHandler(
  world: World,
  tokens: SandboxTokenService,
  node?: () => ComputeNode | undefined,
): Handler {
  return (req) => {
    let target: ComputeNode | undefined;
    let rest = req.path;
    if (node) {
      target = node();
    } else {
      const match = NODE_PREFIX.exec(req.path);
      if (!match) return undefined;
      target = findNode(
        world,
        decodeURIComponent(match[1] ?? ''),
        decodeURIComponent(match[2] ?? ''),
        decodeURIComponent(match[3] ?? ''),
      );
      rest = match[4] ?? '';
    }
    if (!TOKEN_PATH.test(rest)) return undefined;
    if (!target) return undefined;
    if (req.method !== 'GET')
      return imdsError(405, 'method_not_allowed', 'The request method is not supported.');
    return tokenResponse(world, tokens, target, req);
  };
}

function tokenResponse(
  world: World,
  tokens: SandboxTokenService,
  node: ComputeNode,
  req: SandboxRequest,
): SandboxResponse {
  const metadata = req.headers.metadata;
  if (metadata !== 'true')
    return imdsError(400, 'invalid_request', 'Required metadata header not specified');
  const query = req.url.searchParams;
  if (!query.get('api-version'))
    return imdsError(400, 'invalid_request', "Required query variable 'api-version' is missing");
  const resource = query.get('resource');
  if (!resource)
    return imdsError(400, 'invalid_request', "Required query variable 'resource' is missing");

  const held = node.identityResourceIds
    .map((id) => world.userAssignedIdentities.get(id.toLowerCase()))
    .filter((i): i is UserAssignedIdentity => i !== undefined);
  const clientId = query.get('client_id');
  const objectId = query.get('object_id') ?? query.get('principal_id');
  const resourceId = query.get('msi_res_id') ?? query.get('mi_res_id');
  let identity: UserAssignedIdentity | undefined;
  if (clientId) identity = held.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  else if (objectId)
    identity = held.find((i) => i.principalId.toLowerCase() === objectId.toLowerCase());
  else if (resourceId) identity = held.find((i) => i.id.toLowerCase() === resourceId.toLowerCase());
  else if (held.length > 1) {
    return imdsError(
      400,
      'invalid_request',
      'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
    );
  } else identity = held[0];
  if (!identity) return imdsError(400, 'invalid_request', 'Identity not found');

  const { token, claims } = tokens.issue({
    principalObjectId: identity.principalId,
    aud: audienceFor(resource),
    lifetimeSeconds: IMDS_TOKEN_LIFETIME,
    claims: {
      appid: identity.clientId,
      azp: identity.clientId,
      xms_mirid: identity.id,
      idtyp: 'app',
    },
  });
  // IMDS sends every number as a string, as real answers show.
  return {
    status: 200,
    headers: { server: 'IMDS/150.870.65.1544' },
    body: {
      access_token: token,
      client_id: identity.clientId,
      expires_in: String(claims.exp - Math.floor(Date.now() / 1000)),
      expires_on: String(claims.exp),
      ext_expires_in: String(claims.exp - Math.floor(Date.now() / 1000)),
      not_before: String(claims.nbf),
      resource,
      token_type: 'Bearer',
    },
  };
}
