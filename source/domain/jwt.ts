/**
 * Reading a JWT's claims without verifying it: the program only ever inspects tokens it was
 * handed (its own, or one an operator fetched on a node) to say who they are for. A token is
 * never shown whole: `redact` keeps the first 8 characters.
 */

export interface JwtClaims {
  aud?: string;
  iss?: string;
  tid?: string;
  oid?: string;
  appid?: string;
  azp?: string;
  upn?: string;
  unique_name?: string;
  xms_mirid?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

function decodeSegment(segment: string): unknown {
  const json = Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return JSON.parse(json) as unknown;
}

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: JwtClaims } | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = decodeSegment(parts[0] as string);
    const claims = decodeSegment(parts[1] as string);
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header: header as Record<string, unknown>, claims: claims as JwtClaims };
  } catch {
    return undefined;
  }
}

/** First 8 characters and an ellipsis: enough to tell two tokens apart, useless to an attacker. */
export function redact(secret: string): string {
  return secret.length <= 8 ? '…' : `${secret.slice(0, 8)}…`;
}

/** Who a token says it is, as an operator would name them. */
export function principalLabel(claims: JwtClaims): string {
  const name = claims.upn ?? claims.unique_name;
  if (typeof name === 'string') return name;
  const app = claims.appid ?? claims.azp;
  if (typeof app === 'string') return `app ${app}`;
  return typeof claims.oid === 'string' ? `object ${claims.oid}` : 'unknown principal';
}
