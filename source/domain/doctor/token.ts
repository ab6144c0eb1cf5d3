/**
 * MI027: does a token decoded from a node belong to the pool identity it should (RULES.md §4,
 * [S1][S19])? Claims compared: appid (v1) / azp (v2) with the clientId, oid with the
 * principalId, tid with the tenant, aud with the requested resource, exp with now, and
 * xms_mirid with the identity's resource id (Azure lower-cases that path, so case-insensitively).
 * Pure: the token check (SPEC §5) decodes the token and calls this; the token is never seen here.
 */
import type { JwtClaims } from '../jwt.js';
import { imdsCurl } from './fixes.js';
import type { EvidenceValue, Finding } from './types.js';

export interface ExpectedIdentity {
  clientId?: string;
  principalId?: string;
  tenantId?: string;
  /** ARM id of the user-assigned identity. */
  resourceId?: string;
  /** The resource the token was requested for, e.g. https://storage.azure.com/ */
  audience: string;
  /** What the finding is about (the pool, or the identity); default the identity's resource id. */
  resource?: { id: string; name: string };
}

export interface ClaimCheck {
  claim: string;
  expected: string;
  actual?: string;
  ok: boolean;
}

/** Azure Storage's application id: v2 tokens may carry it as `aud` instead of the URI. */
const STORAGE_APP_ID = 'e406a681-f3d4-42a8-90b6-c2b029497af1';

const same = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();
const trimSlash = (s: string): string => s.replace(/\/+$/, '').toLowerCase();
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function audienceMatches(aud: string | undefined, expected: string): boolean {
  if (aud === undefined) return false;
  if (trimSlash(aud) === trimSlash(expected)) return true;
  return trimSlash(expected) === 'https://storage.azure.com' && same(aud, STORAGE_APP_ID);
}

/** One line per claim checked; claims the expectation does not name are not checked. */
export function checkTokenClaims(
  claims: JwtClaims,
  expected: ExpectedIdentity,
  now: Date,
): ClaimCheck[] {
  const checks: ClaimCheck[] = [];
  const add = (claim: string, expectedValue: string, actual: string | undefined, ok: boolean) =>
    checks.push({
      claim,
      expected: expectedValue,
      ...(actual === undefined ? {} : { actual }),
      ok,
    });
  const app = text(claims.appid) ?? text(claims.azp);
  if (expected.clientId)
    add(
      claims.appid !== undefined ? 'appid' : 'azp',
      expected.clientId,
      app,
      same(app, expected.clientId),
    );
  if (expected.principalId)
    add(
      'oid',
      expected.principalId,
      text(claims.oid),
      same(text(claims.oid), expected.principalId),
    );
  if (expected.tenantId)
    add('tid', expected.tenantId, text(claims.tid), same(text(claims.tid), expected.tenantId));
  add(
    'aud',
    expected.audience,
    text(claims.aud),
    audienceMatches(text(claims.aud), expected.audience),
  );
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  add(
    'exp',
    `later than ${now.toISOString()}`,
    exp === undefined ? undefined : new Date(exp * 1000).toISOString(),
    exp !== undefined && exp * 1000 > now.getTime(),
  );
  if (expected.resourceId && claims.xms_mirid !== undefined) {
    const mirid = text(claims.xms_mirid);
    add(
      'xms_mirid',
      expected.resourceId,
      mirid,
      mirid !== undefined && trimSlash(mirid) === trimSlash(expected.resourceId),
    );
  }
  return checks;
}

/** The MI027 finding for a token whose claims do not match, or undefined when they all do. */
export function tokenClaimsFinding(
  claims: JwtClaims,
  expected: ExpectedIdentity,
  now: Date,
): Finding | undefined {
  const checks = checkTokenClaims(claims, expected, now);
  const failed = checks.filter((c) => !c.ok);
  if (!failed.length) return undefined;
  const evidence: Record<string, EvidenceValue> = {};
  for (const c of failed) evidence[c.claim] = `${c.actual ?? '(absent)'} (expected ${c.expected})`;
  const resource = expected.resource ?? {
    id: expected.resourceId ?? '',
    name: expected.resourceId?.split('/').pop() ?? 'token',
  };
  const wrongIdentity = failed.some((c) => ['appid', 'azp', 'oid', 'xms_mirid'].includes(c.claim));
  return {
    rule: 'MI027',
    severity: 'error',
    resource: resource.id,
    resourceName: resource.name,
    symptom: `The token does not match the pool identity (${failed.map((c) => c.claim).join(', ')}): the target service answers 401/403`,
    evidence,
    fix: {
      az: imdsCurl(expected.clientId ?? '<client-id>', expected.audience),
      note: wrongIdentity
        ? 'request the token naming the pool identity explicitly (client_id or msi_res_id)'
        : 'request a fresh token for the right resource',
    },
  };
}
