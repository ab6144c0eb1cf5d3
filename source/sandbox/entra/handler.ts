/**
 * Entra ID's endpoints as MSAL (inside @azure/identity's ClientSecretCredential) uses them:
 * OpenID discovery (v2.0 and v1), JWKS, and the token endpoint for the client-credentials grant
 * with a client secret. Principals come from world.principals (appId + secret).
 */
import { timingSafeEqual } from 'node:crypto';
import { entraError } from '../http/errors.js';
import type { Handler, SandboxRequest, SandboxResponse } from '../http/types.js';
import type { World } from '../world/world.js';
import { audienceFor, type SandboxTokenService } from './tokens.js';

/** Entra accepts these in place of a tenant id (the credential resolves them to the home tenant). */
const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

export function createEntraHandler(world: World, tokens: SandboxTokenService): Handler {
  return (req) => {
    const segments = req.path.split('/').filter(Boolean);
    const tenant = segments[0];
    if (tenant === undefined) return undefined;
    const route = segments.slice(1).join('/').toLowerCase();
    const knownTenant =
      tenant.toLowerCase() === world.tenantId.toLowerCase() ||
      TENANT_ALIASES.has(tenant.toLowerCase());
    const base = req.url.origin;

    if (
      req.method === 'GET' &&
      (route === 'v2.0/.well-known/openid-configuration' ||
        route === '.well-known/openid-configuration')
    ) {
      if (!knownTenant) return tenantNotFound(tenant, req);
      return {
        status: 200,
        body: discovery(base, tenant, world.tenantId, route.startsWith('v2.0')),
      };
    }
    if (req.method === 'GET' && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
      return { status: 200, body: tokens.jwks() };
    }
    if (req.method === 'POST' && (route === 'oauth2/v2.0/token' || route === 'oauth2/token')) {
      if (!knownTenant) return tenantNotFound(tenant, req);
      return tokenEndpoint(world, tokens, req, route === 'oauth2/token');
    }
    return undefined;
  };
}

function discovery(
  base: string,
  tenant: string,
  tenantId: string,
  v2: boolean,
): Record<string, unknown> {
  const prefix = `${base}/${tenant}`;
  const common = {
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    request_uri_parameter_supported: false,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
  if (v2) {
    return {
      ...common,
      token_endpoint: `${prefix}/oauth2/v2.0/token`,
      jwks_uri: `${prefix}/discovery/v2.0/keys`,
      issuer: `${base}/${tenantId}/v2.0`,
      authorization_endpoint: `${prefix}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${prefix}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${prefix}/oauth2/v2.0/logout`,
      kerberos_endpoint: `${prefix}/kerberos`,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'ver', 'azp'],
    };
  }
  return {
    ...common,
    token_endpoint: `${prefix}/oauth2/token`,
    jwks_uri: `${prefix}/discovery/keys`,
    issuer: `https://sts.windows.net/${tenantId}/`,
    authorization_endpoint: `${prefix}/oauth2/authorize`,
    device_authorization_endpoint: `${prefix}/oauth2/devicecode`,
    end_session_endpoint: `${prefix}/oauth2/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'ver', 'appid'],
  };
}

function tenantNotFound(tenant: string, req: SandboxRequest): SandboxResponse {
  return entraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    req,
  );
}

function tokenEndpoint(
  world: World,
  tokens: SandboxTokenService,
  req: SandboxRequest,
  v1: boolean,
): SandboxResponse {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const missing = (name: string): SandboxResponse =>
    entraError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
      req,
    );
  const grantType = form.get('grant_type');
  if (!grantType) return missing('grant_type');
  if (grantType !== 'client_credentials') {
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
      req,
    );
  }
  // client_secret_basic: the id and secret may come in an Authorization: Basic header instead.
  const basic = basicCredentials(req);
  const clientId = form.get('client_id') ?? basic?.id;
  if (!clientId) return missing('client_id');

  let resource: string;
  if (v1) {
    const value = form.get('resource');
    if (!value) return missing('resource');
    resource = value;
  } else {
    const scope = form.get('scope');
    if (!scope) return missing('scope');
    // Client credentials take exactly one `<resource>/.default` scope. The `claims` parameter
    // (Continuous Access Evaluation, sent by the ARM and storage clients) needs no answer here.
    const resourceScope = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!resourceScope) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        req,
      );
    }
    resource = resourceScope.slice(0, -'/.default'.length);
  }

  const principal = [...world.principals.values()].find(
    (p) => p.appId?.toLowerCase() === clientId.toLowerCase(),
  );
  if (!principal) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${world.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      req,
    );
  }
  const secret = form.get('client_secret') ?? basic?.secret;
  if (!secret) {
    return entraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      req,
    );
  }
  if (!principal.secret || !sameSecret(principal.secret, secret)) {
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      req,
    );
  }

  const lifetime = 3599;
  const { token, claims } = tokens.issue({
    principalObjectId: principal.objectId,
    aud: audienceFor(resource),
    lifetimeSeconds: lifetime,
  });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: token,
  };
  if (v1)
    Object.assign(body, {
      expires_on: String(claims.exp),
      not_before: String(claims.nbf),
      resource,
    });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
    body,
  };
}

function basicCredentials(req: SandboxRequest): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const [id = '', secret = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
