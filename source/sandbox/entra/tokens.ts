/**
 * The sandbox's token authority: RS256 JWTs in the shape of Entra ID's v1 access tokens (the kind
 * ARM, Storage and Batch receive), signed with a key made at start and published as JWKS.
 * Dates are real time, not the simulated clock: token lifetimes are between the clients (MSAL
 * caches by real time) and Entra, and Azure's clocks do not jump. The simulated clock drives the
 * world's behaviour (node lifecycles, role propagation) only; advancing it hours ahead must not
 * expire a token a client still holds as valid.
 */
import {
  createHash,
  generateKeyPair,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { TokenService } from '../contracts.js';
import type { TokenClaims } from '../http/types.js';
import { buildCertificate } from '../tls.js';
import type { World } from '../world/world.js';

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

/** Azure's well-known resources answer with their App ID URI's trailing slash in `aud`. */
const CANONICAL_AUDIENCES = [
  'https://management.azure.com/',
  'https://management.core.windows.net/',
  'https://storage.azure.com/',
  'https://batch.core.windows.net/',
  'https://vault.azure.net/',
];

/** The `aud` Entra puts in a token for `resource` (a scope without `/.default`, or IMDS's resource). */
export function audienceFor(resource: string): string {
  const bare = resource.replace(/\/+$/, '');
  return (
    CANONICAL_AUDIENCES.find((aud) => aud.slice(0, -1).toLowerCase() === bare.toLowerCase()) ??
    resource
  );
}

/** Both spellings Azure accepts for an audience: with and without the trailing slash. */
export const audienceForms = (aud: string): string[] => {
  const bare = aud.replace(/\/+$/, '');
  return [bare, `${bare}/`];
};

export interface IssueInput {
  principalObjectId: string;
  aud: string;
  lifetimeSeconds?: number;
  /** Extra claims, e.g. `xms_mirid` and `appid` for a managed identity token from IMDS. */
  claims?: Partial<TokenClaims>;
}

export class SandboxTokenService implements TokenService {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The signing certificate, base64 DER, for the JWKS `x5c` some validators insist on. */
  readonly certificateDer: string;

  /** Makes the signing key off the main thread (RSA key generation takes ~0.1 s). */
  static async create(world: World): Promise<SandboxTokenService> {
    const pair = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    return new SandboxTokenService(world, pair);
  }

  constructor(
    private readonly world: World,
    pair: { privateKey: KeyObject; publicKey: KeyObject },
  ) {
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const pem = buildCertificate({
      subject: 'sandbox token signing',
      issuer: 'sandbox token signing',
      subjectKey: pair.publicKey,
      issuerKey: pair.privateKey,
      issuerPublicKey: pair.publicKey,
      isCa: true,
      validDays: 365,
    });
    this.certificateDer = pem.replace(/-----[A-Z ]+-----|\s/g, '');
    // Entra's kid is the certificate thumbprint (x5t), base64url of its SHA-1.
    this.keyId = createHash('sha1')
      .update(Buffer.from(this.certificateDer, 'base64'))
      .digest('base64url');
  }

  get issuer(): string {
    return `https://sts.windows.net/${this.world.tenantId}/`;
  }

  /** JWKS document as Entra publishes it at /discovery/v2.0/keys. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.keyId,
          x5t: this.keyId,
          n: jwk.n,
          e: jwk.e,
          x5c: [this.certificateDer],
          issuer: `${this.issuer}`,
        },
      ],
    };
  }

  issue(input: IssueInput): { token: string; claims: TokenClaims } {
    const now = Math.floor(Date.now() / 1000);
    const principal = this.world.principals.get(input.principalObjectId);
    const identity = [...this.world.userAssignedIdentities.values()].find(
      (i) => i.principalId === input.principalObjectId,
    );
    const appId = principal?.appId ?? identity?.clientId;
    const miResourceId = principal?.managedIdentityResourceId ?? identity?.id;
    const claims: TokenClaims = {
      aud: input.aud,
      iss: this.issuer,
      // Entra back-dates iat/nbf by five minutes to absorb clock skew.
      iat: now - 300,
      nbf: now - 300,
      exp: now + (input.lifetimeSeconds ?? 3599),
      ...(appId ? { aio: b64url(randomBytes(24)), appid: appId, appidacr: '2', azp: appId } : {}),
      idp: this.issuer,
      idtyp: principal?.principalType === 'User' ? 'user' : 'app',
      oid: input.principalObjectId,
      rh: `0.${b64url(randomBytes(32))}.`,
      sub: input.principalObjectId,
      tid: this.world.tenantId,
      uti: b64url(randomBytes(16)),
      ver: '1.0',
      ...(miResourceId ? { xms_mirid: miResourceId } : {}),
      ...input.claims,
    };
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.keyId, kid: this.keyId };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.privateKey);
    return { token: `${signingInput}.${b64url(signature)}`, claims };
  }

  verify(token: string, audiences: string[]): ReturnType<TokenService['verify']> {
    const parts = token.split('.');
    if (parts.length !== 3)
      return { ok: false, reason: 'malformed', message: 'The token is not a JWT.' };
    const [headerPart = '', claimsPart = '', signaturePart = ''] = parts;
    let header: { alg?: string; kid?: string };
    let claims: TokenClaims;
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as {
        alg?: string;
        kid?: string;
      };
      claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed', message: 'The token could not be decoded.' };
    }
    const signed =
      header.alg === 'RS256' &&
      header.kid === this.keyId &&
      verify(
        'sha256',
        Buffer.from(`${headerPart}.${claimsPart}`),
        this.publicKey,
        Buffer.from(signaturePart, 'base64url'),
      );
    if (!signed) return { ok: false, reason: 'signature', message: 'Signature validation failed.' };
    const now = Date.now() / 1000;
    // Azure's validators allow five minutes of clock skew either way.
    if (typeof claims.nbf === 'number' && now + 300 < claims.nbf)
      return {
        ok: false,
        reason: 'notYetValid',
        message: 'Lifetime validation failed. The token is not yet valid.',
      };
    if (typeof claims.exp !== 'number' || now - 300 > claims.exp)
      return {
        ok: false,
        reason: 'expired',
        message: 'Lifetime validation failed. The token is expired.',
      };
    const accepted = new Set(audiences.flatMap(audienceForms).map((a) => a.toLowerCase()));
    if (!accepted.has(String(claims.aud).toLowerCase()))
      return {
        ok: false,
        reason: 'audience',
        message: 'Audience validation failed. Audience did not match.',
      };
    return { ok: true, claims };
  }
}
