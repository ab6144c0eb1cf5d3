/**
 * Microsoft Entra authentication for the Batch data plane: the token's audience must be Batch's
 * (`https://batch.core.windows.net/`); real Batch rejects an ARM-audience token. Authorization
 * uses the Batch RBAC actions on the account (batch-role-based-access-control.md).
 */
import type { SandboxServices } from '../contracts.js';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { hasPermission } from '../world/rbac.js';
import { bearerToken } from '../arm/auth.js';
import { batchError } from './errors.js';

export const BATCH_AUDIENCES = ['https://batch.core.windows.net/', 'https://batch.core.windows.net'];

const host = (req: SandboxRequest) => req.headers.host ?? '127.0.0.1';

export function authenticateBatch(services: SandboxServices, req: SandboxRequest): { oid: string } | SandboxResponse {
  const token = bearerToken(req);
  const fail = (detail: string) =>
    batchError(host(req), 401, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.', [{ key: 'AuthenticationErrorDetail', value: detail }], services.world.clock.now());
  if (token === undefined) return fail('The authorization header is missing or not in Bearer format.');
  const verdict = services.tokens.verify(token, BATCH_AUDIENCES);
  if (verdict.ok) return { oid: verdict.claims.oid };
  if (verdict.reason === 'audience') return fail(`The audience claim of the token is not valid. Expected one of '${BATCH_AUDIENCES.join("', '")}'.`);
  if (verdict.reason === 'expired') return fail('The access token has expired.');
  return fail('The access token is invalid.');
}

export function authorizeBatch(services: SandboxServices, req: SandboxRequest, oid: string, action: string, scope: string): SandboxResponse | undefined {
  if (hasPermission(services.world, oid, scope, { action })) return undefined;
  return batchError(host(req), 403, 'AuthorizationFailure', 'This request is not authorized to perform this operation.', [{ key: 'RequiredAction', value: action }], services.world.clock.now());
}
