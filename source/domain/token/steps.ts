/**
 * The four steps of the token check (SPEC §5), each a pure evaluation of what one call answered:
 * ✓ pass, ✗ fail with the reason and the fix, – skipped with why. The orchestration (check.ts)
 * gathers the answers; the command and the screen only print these results.
 */
import { checkTokenClaims, type ClaimCheck, type ExpectedIdentity } from '../doctor/token.js';
import { imdsCurl } from '../doctor/fixes.js';
import type { FixFlow, RuleId } from '../doctor/types.js';
import type { JwtClaims } from '../jwt.js';
import { explainImdsFailure, type ImdsFailure, type ImdsSelector } from './imds.js';

export type StepName = 'acquire' | 'claims' | 'storage' | 'rbac';
export type StepStatus = 'pass' | 'fail' | 'skipped';

export const STEP_TITLES: Record<StepName, string> = {
  acquire: 'acquire a token for https://storage.azure.com/',
  claims: 'token claims match the identity',
  storage: 'storage accepts the token',
  rbac: 'role assignments grant the data actions',
};

export interface StepResult {
  step: StepName;
  status: StepStatus;
  /** One line: what the step found. */
  summary: string;
  /** Failed or skipped: why, in one sentence. */
  reason?: string;
  /** Failed: what to do, with the command to copy. */
  fix?: string;
  /** The doctor rule that names this cause. */
  rule?: RuleId;
  /** The program's guided flow that fixes it. */
  flow?: FixFlow;
  /** The claims step: one line per claim compared. */
  claims?: ClaimCheck[];
}

export type TokenSource =
  | { kind: 'imds'; selector: ImdsSelector; endpoint: string }
  | { kind: 'operator'; credential: string }
  | { kind: 'file'; path: string };

export type AcquireOutcome =
  | { ok: true; token: string; via: string }
  | {
      ok: false;
      failure: { kind: 'imds'; imds: ImdsFailure } | { kind: 'signIn'; message: string };
    };

export function describeSource(source: TokenSource): string {
  switch (source.kind) {
    case 'imds': {
      const s = source.selector;
      const who =
        'clientId' in s
          ? `client id ${s.clientId}`
          : 'resourceId' in s
            ? s.resourceId
            : 'the default identity';
      return `managed identity ${who} from IMDS at ${source.endpoint}`;
    }
    case 'operator':
      return `your own credential (${source.credential})`;
    case 'file':
      return `the token in ${source.path}`;
  }
}

export function evaluateAcquire(
  source: TokenSource,
  outcome: AcquireOutcome,
  redacted?: string,
): StepResult {
  if (outcome.ok)
    return {
      step: 'acquire',
      status: 'pass',
      summary: `token ${redacted ?? ''} from ${outcome.via}`.replace('  ', ' '),
    };
  const failure = outcome.failure;
  if (failure.kind === 'signIn')
    return {
      step: 'acquire',
      status: 'fail',
      summary: `no token from ${describeSource(source)}`,
      reason: failure.message,
      fix: "sign in again ('az login', or the profile's client credentials) and retry",
    };
  const selector = source.kind === 'imds' ? source.selector : {};
  const explained = explainImdsFailure(failure.imds, selector);
  return {
    step: 'acquire',
    status: 'fail',
    summary: `no token from ${describeSource(source)}`,
    reason: explained.reason,
    fix: explained.fix,
    ...(explained.rule ? { rule: explained.rule } : {}),
  };
}

/** What the claims were compared with, and where those values came from. */
export interface Expectation {
  identity: ExpectedIdentity;
  /** e.g. "identity id-batch-nodes as ARM describes it"; or why nothing more could be compared. */
  basis: string;
}

export function evaluateClaims(
  claims: JwtClaims | undefined,
  expectation: Expectation,
  now: Date,
): StepResult {
  if (!claims)
    return {
      step: 'claims',
      status: 'fail',
      summary: 'the token is not a JWT',
      reason: 'its three dot-separated parts do not decode to a JWT header and claims',
      fix: 'copy the access_token value only (jq -r .access_token), without quotes or line breaks',
    };
  const checks = checkTokenClaims(claims, expectation.identity, now);
  const failed = checks.filter((c) => !c.ok);
  if (!failed.length)
    return {
      step: 'claims',
      status: 'pass',
      summary: `${checks.map((c) => c.claim).join(', ')} match ${expectation.basis}`,
      claims: checks,
    };
  const wrongIdentity = failed.some((c) => ['appid', 'azp', 'oid', 'xms_mirid'].includes(c.claim));
  const wrongAudience = failed.some((c) => c.claim === 'aud');
  const expired = failed.some((c) => c.claim === 'exp');
  const why = failed.map((c) => `${c.claim} is ${c.actual ?? '(absent)'}, expected ${c.expected}`);
  const clientId = expectation.identity.clientId ?? '<client-id>';
  const fix = wrongIdentity
    ? `request the token naming the identity explicitly: ${imdsCurl(clientId, expectation.identity.audience)}`
    : wrongAudience
      ? `request the token for resource=${expectation.identity.audience} (not another service's): ${imdsCurl(clientId, expectation.identity.audience)}`
      : expired
        ? 'get a fresh token (IMDS tokens live about 24 h; an operator token about 1 h) and run the check again'
        : `request a token for the pool identity in its tenant: ${imdsCurl(clientId, expectation.identity.audience)}`;
  return {
    step: 'claims',
    status: 'fail',
    rule: 'MI027',
    summary: `${failed.map((c) => c.claim).join(', ')} ${failed.length === 1 ? 'is' : 'are'} wrong (compared with ${expectation.basis})`,
    reason: `${why.join('; ')}: the target service answers 401/403 to such a token`,
    fix,
    claims: checks,
  };
}

/** Exit code of the check (SPEC §2): 0 when nothing failed, 1 otherwise. */
export const checkPassed = (steps: readonly StepResult[]): boolean =>
  steps.every((s) => s.status !== 'fail');
