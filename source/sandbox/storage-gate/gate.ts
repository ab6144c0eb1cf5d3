/**
 * The storage gate: the blob endpoint callers see (`https://127.0.0.1:PORT/<account>/...`,
 * path-style). It does what Azure Storage does and Azurite does not: applies the account's
 * firewall (networkRuleSet) to the caller, verifies the bearer token's signature, evaluates the
 * caller's role assignments on the account (and its container), and refuses like Azure (403
 * AuthorizationFailure from the firewall, 403 AuthorizationPermissionMismatch without a data
 * role, with Azure's XML and headers). Allowed requests go on to Azurite, which stores the blobs.
 *
 * Every caller of the gate is a direct caller (the program, an SDK, curl) and, as far as the
 * firewall knows, comes from the public internet at the address its socket has: 127.0.0.1 here.
 * So an account that denies by default refuses them unless an ipRule covers 127.0.0.1, the way
 * Azure refuses an operator's machine until its address is added (world/access.ts, NetworkOrigin).
 * Simulated nodes do not come through here: StorageAccess (./access.ts) checks them from their
 * pool's subnet.
 *
 * Towards Azurite the gate re-authorises bearer requests with a token of its own, so that what
 * Azurite checks (issuer, audience, dates) never depends on how the caller's token was made. SAS
 * and Shared Key requests go through untouched and Azurite checks their signatures with the
 * account key it was given (see ./azurite.ts and ./keys.ts).
 */
import { createHmac } from 'node:crypto';
import https from 'node:https';
import { audienceForms, type SandboxTokenService } from '../entra/tokens.js';
import { storageError, storageFirewallError } from '../http/errors.js';
import type { Handler, SandboxRequest, SandboxResponse } from '../http/types.js';
import type { StorageAccount } from '../world/model.js';
import { firewallAllows } from '../world/access.js';
import { hasPermission } from '../world/rbac.js';
import type { World } from '../world/world.js';
import type { RunningAzurite } from './azurite.js';
import type { AccountKeys } from './keys.js';
import { permissionFor } from './permissions.js';

const AUTH_FAILED =
  'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';
const SEE_HEADER =
  'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.';
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'authorization',
  'proxy-connection',
  'upgrade',
]);

export interface ForwardInput {
  method: string;
  /** `/<account>/<container>/<blob>?query`, as Azurite's path-style URLs have it. */
  pathAndQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Re-authorise with the gate's own token (bearer callers); false: pass SAS/SharedKey as they are. */
  asGate: boolean;
}

export class StorageGate {
  private readonly agent: https.Agent;
  private gateToken?: { value: string; expires: number };

  constructor(
    private readonly world: World,
    private readonly tokens: SandboxTokenService,
    private readonly keys: AccountKeys,
    private readonly azurite: Promise<RunningAzurite>,
    caPem: string,
    private readonly entraOrigin: () => string,
  ) {
    this.agent = new https.Agent({ keepAlive: true, ca: caPem });
  }

  findAccount(name: string): StorageAccount | undefined {
    for (const account of this.world.storageAccounts.values())
      if (account.name.toLowerCase() === name.toLowerCase()) return account;
    return undefined;
  }

  readonly handler: Handler = async (req) => {
    const [accountName, container, ...blobParts] = req.path
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    const account = accountName ? this.findAccount(accountName) : undefined;
    if (!account)
      return storageError(
        400,
        'InvalidUri',
        'The requested URI does not represent any resource on the server.',
        req,
      );
    // The firewall decides before credentials are looked at (an anonymous request is refused too).
    if (!firewallAllows(account, { kind: 'internet', ...(req.remoteAddress ? { address: req.remoteAddress } : {}) }))
      return storageFirewallError(req);
    const blob = blobParts.join('/');
    const query = req.url.searchParams;
    const authorization = req.headers.authorization ?? '';
    const viaKey = query.has('sig') ? !query.has('skoid') : authorization.startsWith('SharedKey');
    if (viaKey && !account.allowSharedKeyAccess) {
      return storageError(
        403,
        'KeyBasedAuthenticationNotPermitted',
        'Key based authentication is not permitted on this storage account.',
        req,
      );
    }
    if (!authorization.startsWith('Bearer ')) return this.forward(req, account, false);

    if (!req.headers['x-ms-version']) {
      return storageError(403, 'AuthenticationFailed', AUTH_FAILED, req, {
        detail: 'Authentication scheme Bearer is not supported in this version.',
      });
    }
    const endpointAudience = `https://${account.name}.blob.core.windows.net/`;
    const verdict = this.tokens.verify(authorization.slice(7).trim(), [
      'https://storage.azure.com/',
      endpointAudience,
      account.blobEndpoint,
    ]);
    if (!verdict.ok) {
      const detail =
        verdict.reason === 'malformed'
          ? 'Signature validation failed. Signature is improperly formatted.'
          : verdict.message;
      return storageError(401, 'InvalidAuthenticationInfo', SEE_HEADER, req, {
        detail,
        headers: {
          'www-authenticate': `Bearer authorization_uri=${this.entraOrigin()}/${this.world.tenantId}/oauth2/authorize resource_id=https://storage.azure.com`,
        },
      });
    }
    const scope = container
      ? `${account.id}/blobServices/default/containers/${container}`
      : account.id;
    const permission = permissionFor({
      method: req.method,
      query,
      ...(container ? { container } : {}),
      ...(blob ? { blob } : {}),
    });
    if (!hasPermission(this.world, verdict.claims.oid, scope, permission)) {
      return storageError(
        403,
        'AuthorizationPermissionMismatch',
        'This request is not authorized to perform this operation using this permission.',
        req,
      );
    }
    return this.forward(req, account, true);
  };

  private async forward(
    req: SandboxRequest,
    account: StorageAccount,
    asGate: boolean,
  ): Promise<SandboxResponse> {
    return this.send(
      account,
      {
        method: req.method,
        pathAndQuery: `${req.path}${req.url.search}`,
        headers: req.headers,
        body: req.body,
        asGate,
      },
      req,
    );
  }

  /** Sends a request to Azurite for `account` (registering the account there first). */
  async send(
    account: StorageAccount,
    input: ForwardInput,
    req?: SandboxRequest,
  ): Promise<SandboxResponse> {
    let azurite: RunningAzurite;
    try {
      azurite = await this.azurite;
    } catch {
      return storageError(
        503,
        'ServerBusy',
        'The server is currently unable to receive requests. Please retry your request.',
        req,
      );
    }
    await azurite.ensureAccount(account.name, this.keys.keyFor(account.name));
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(input.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
    if (input.asGate) headers.authorization = `Bearer ${this.azuriteToken()}`;
    else if (typeof input.headers.authorization === 'string')
      headers.authorization = input.headers.authorization;
    headers['content-length'] = String(input.body.length);
    return new Promise<SandboxResponse>((resolve, reject) => {
      const outgoing = https.request(
        {
          host: '127.0.0.1',
          port: azurite.port,
          method: input.method,
          path: input.pathAndQuery,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined || (HOP_HEADERS.has(name) && name !== 'content-length'))
                continue;
              out[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(input.body);
    });
  }

  /**
   * Azurite checks only the dates, the issuer prefix and the audience of a token (not its
   * signature), so the gate's own hop token is HMAC-signed with a throwaway key.
   */
  private azuriteToken(): string {
    const now = Math.floor(Date.now() / 1000);
    if (this.gateToken && this.gateToken.expires - 300 > now) return this.gateToken.value;
    const b64 = (value: unknown): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      aud: audienceForms('https://storage.azure.com')[0],
      iss: `https://sts.windows.net/${this.world.tenantId}/`,
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: 'storage-gate',
    };
    const input = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(claims)}`;
    const value = `${input}.${createHmac('sha256', 'storage-gate').update(input).digest('base64url')}`;
    this.gateToken = { value, expires: claims.exp };
    return value;
  }

  close(): void {
    this.agent.destroy();
  }
}
