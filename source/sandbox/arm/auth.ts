/**
 * Bearer-token authentication and RBAC authorization for ARM, in ARM's own words
 * (learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-authentication-token,
 * .../error-authorization-failed).
 */
import type { SandboxServices } from '../contracts.js';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { hasPermission } from '../world/rbac.js';
import { armError } from './http.js';

export const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.azure.com', 'https://management.core.windows.net/', 'https://management.core.windows.net'];

export function bearerToken(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

export type Caller = { oid: string };

export function authenticateArm(services: SandboxServices, req: SandboxRequest): Caller | SandboxResponse {
  const token = bearerToken(req);
  const challenge = { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."' };
  if (token === undefined) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge);
  const verdict = services.tokens.verify(token, ARM_AUDIENCES);
  if (verdict.ok) return { oid: verdict.claims.oid };
  switch (verdict.reason) {
    case 'expired':
      return armError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.');
    case 'audience':
      return armError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences '${ARM_AUDIENCES.join("','")}'.`);
    default:
      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
  }
}

export function authorizationFailed(oid: string, action: string, scope: string): SandboxResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${oid}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    { 'x-ms-failure-cause': 'gateway' },
  );
}

/** undefined when allowed; otherwise the 403. */
export function authorize(services: SandboxServices, caller: Caller, action: string, scope: string): SandboxResponse | undefined {
  return hasPermission(services.world, caller.oid, scope, { action }) ? undefined : authorizationFailed(caller.oid, action, scope);
}

/** What assigning a user-assigned identity to a resource needs on the identity (managed-identities how-to, "Managed Identity Operator"). */
export const IDENTITY_ASSIGN = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';

/**
 * ARM's linked-scope check: a write that names other resources needs a permission on each of
 * them too. Writing a resource with user-assigned identities needs IDENTITY_ASSIGN on every one;
 * without it ARM answers 403 LinkedAuthorizationFailed naming all the scopes it lacks, comma
 * separated (as quoted in aad-pod-identity#339/#443/#613). undefined when allowed.
 */
export function authorizeLinked(services: SandboxServices, caller: Caller, action: string, scope: string, linkedAction: string, linkedScopes: string[]): SandboxResponse | undefined {
  const denied = linkedScopes.filter((linked) => !hasPermission(services.world, caller.oid, linked, { action: linkedAction }));
  if (denied.length === 0) return undefined;
  return armError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${caller.oid}' with object id '${caller.oid}' has permission to perform action '${action}' on scope '${scope}'; however, it does not have permission to perform action '${linkedAction}' on the linked scope(s) '${denied.join(',')}' or the linked scope(s) are invalid.`,
    { 'x-ms-failure-cause': 'gateway' },
  );
}
