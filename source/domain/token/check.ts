/**
 * The token check (SPEC §5) as one engine that the `validate-token` command and the Token screen
 * share: it asks its ports (IMDS or a credential, ARM, Storage — all injected, so this file does
 * no I/O) and turns each answer into a step. Steps are reported as they complete (`onStep`), so a
 * screen can tick its checklist while the next call is on its way.
 *
 * The token itself stays inside: the report carries only its first 8 characters.
 */
import type { ExpectedIdentity } from '../doctor/token.js';
import { decodeJwt, redact, type JwtClaims } from '../jwt.js';
import { BLOB_READ, evaluateGrant } from '../doctor/rbac.js';
import { PROPAGATION_MS } from '../doctor/context.js';
import { nodeTokenCommand, STORAGE_RESOURCE, type ImdsSelector } from './imds.js';
import {
  checkPassed,
  describeSource,
  evaluateAcquire,
  evaluateClaims,
  type AcquireOutcome,
  type Expectation,
  type StepResult,
  type TokenSource,
} from './steps.js';
import {
  evaluateRbac,
  evaluateStorage,
  type RoleData,
  type StorageContext,
  type StorageProbe,
} from './storage-steps.js';
import { redactUrl, targetScope, type StorageTarget } from './storage-url.js';

/** A user-assigned identity as ARM describes it. */
export interface IdentityRecord {
  resourceId: string;
  name: string;
  clientId?: string;
  principalId?: string;
  tenantId?: string;
}

export interface TokenCheckPorts {
  acquire(signal?: AbortSignal): Promise<AcquireOutcome>;
  /** ARM's record of an identity (undefined: none such); throws when ARM cannot be asked. */
  findIdentity?(
    ref: { resourceId?: string; clientId?: string },
    signal?: AbortSignal,
  ): Promise<IdentityRecord | undefined>;
  /** Calls storage with the token; never throws for an HTTP answer. */
  probeStorage(token: string, signal?: AbortSignal): Promise<StorageProbe>;
  /** The principal's role assignments around the target's storage account. */
  roleData?(principalId: string, signal?: AbortSignal): Promise<RoleData>;
}

export interface TokenCheckInput {
  source: TokenSource;
  target: StorageTarget;
  /** As given; shown without its SAS. */
  storageUrl: string;
  /** The pool identity the token should belong to, when the caller knows it (the Token screen). */
  expected?: Partial<Omit<ExpectedIdentity, 'audience' | 'resource'>>;
  /** The signed-in tenant (the cloud profile's), when known. */
  tenantId?: string;
  now?: () => Date;
  signal?: AbortSignal;
  onStep?: (step: StepResult) => void;
}

export interface TokenCheckReport {
  source: string;
  storageUrl: string;
  /** The token's first 8 characters, never more. */
  token?: string;
  claims?: JwtClaims;
  expectation?: Expectation;
  steps: StepResult[];
  passed: boolean;
  /** The request to run on a node for a token file. */
  nodeCommand: string;
}

const message = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

const trim = (s: string): string => s.replace(/\/+$/, '').toLowerCase();

/** What to compare the claims with: the caller's pool identity, the selector, and ARM's record. */
async function expectationFor(
  input: TokenCheckInput,
  ports: TokenCheckPorts,
  claims: JwtClaims | undefined,
): Promise<Expectation> {
  const selector: ImdsSelector = input.source.kind === 'imds' ? input.source.selector : {};
  const identity: ExpectedIdentity = { audience: STORAGE_RESOURCE, ...input.expected };
  if ('clientId' in selector) identity.clientId ??= selector.clientId;
  if ('resourceId' in selector) identity.resourceId ??= selector.resourceId;
  // A storage token may also be for the account's own endpoint.
  const aud = typeof claims?.aud === 'string' ? claims.aud : undefined;
  if (
    aud &&
    [`https://${input.target.accountName}.blob.core.windows.net`, input.target.serviceUrl].some(
      (a) => trim(a) === trim(aud),
    )
  )
    identity.audience = aud;
  // Look the identity up by what names it: the selector, else what the token says it is.
  const ref =
    identity.resourceId ?? (typeof claims?.xms_mirid === 'string' ? claims.xms_mirid : undefined);
  const byClient =
    identity.clientId ?? (typeof claims?.appid === 'string' ? claims.appid : undefined);
  let basis: string;
  if (input.source.kind !== 'operator' && ports.findIdentity && (ref || byClient)) {
    try {
      const found = await ports.findIdentity(
        ref ? { resourceId: ref } : { clientId: byClient ?? '' },
        input.signal,
      );
      if (found) {
        identity.clientId ??= found.clientId;
        identity.principalId ??= found.principalId;
        identity.tenantId ??= found.tenantId;
        identity.resourceId ??= found.resourceId;
        basis = `identity ${found.name} as ARM describes it`;
      } else
        basis = `${ref ?? `client id ${byClient ?? ''}`} (ARM knows no such identity in this subscription)`;
    } catch (error) {
      basis = `what was asked for (ARM not reachable: ${message(error)})`;
    }
  } else basis = input.source.kind === 'operator' ? 'your sign-in' : 'what was asked for';
  if (input.tenantId) identity.tenantId ??= input.tenantId;
  return { identity, basis };
}

function recentGrant(
  data: RoleData | undefined,
  principalId: string,
  target: StorageTarget,
  now: Date,
) {
  if (!data || 'unavailable' in data) return undefined;
  const verdict = evaluateGrant(
    data.assignments,
    data.definitions,
    [principalId],
    targetScope(data.storageAccountId, target),
    [BLOB_READ],
  );
  if (verdict.kind !== 'granted') return undefined;
  const young = verdict.assignments.find(
    (a) => a.createdOn && now.getTime() - a.createdOn.getTime() < PROPAGATION_MS,
  );
  if (!young?.createdOn) return undefined;
  return {
    role: young.roleName ?? young.roleDefinitionName,
    minutes: Math.max(0, Math.floor((now.getTime() - young.createdOn.getTime()) / 60_000)),
  };
}

export async function runTokenCheck(
  ports: TokenCheckPorts,
  input: TokenCheckInput,
): Promise<TokenCheckReport> {
  const now = input.now ?? (() => new Date());
  const steps: StepResult[] = [];
  const report = (step: StepResult) => {
    steps.push(step);
    input.onStep?.(step);
  };
  const outcome = await ports.acquire(input.signal);
  const token = outcome.ok ? outcome.token.trim() : undefined;
  const redacted = token ? redact(token) : undefined;
  report(evaluateAcquire(input.source, outcome, redacted));

  const claims = token ? decodeJwt(token)?.claims : undefined;
  const expectation = await expectationFor(input, ports, claims);
  if (token) report(evaluateClaims(claims, expectation, now()));
  else
    report({
      step: 'claims',
      status: 'skipped',
      summary: 'no claims to compare',
      reason: 'there is no token',
    });

  const principalId =
    (typeof claims?.oid === 'string' ? claims.oid : undefined) ?? expectation.identity.principalId;
  const [probe, roles] = await Promise.all([
    token ? ports.probeStorage(token, input.signal) : Promise.resolve(undefined),
    principalId && ports.roleData
      ? ports
          .roleData(principalId, input.signal)
          .catch((error: unknown): RoleData => ({ unavailable: message(error) }))
      : Promise.resolve(undefined),
  ]);
  const grant = principalId ? recentGrant(roles, principalId, input.target, now()) : undefined;
  const ctx: StorageContext = {
    target: input.target,
    ...(principalId ? { principalId } : {}),
    ...(roles && !('unavailable' in roles) ? { storageAccountId: roles.storageAccountId } : {}),
    ...(grant ? { recentGrant: grant } : {}),
    claimsFailed: steps.some((s) => s.step === 'claims' && s.status === 'fail'),
    operator: input.source.kind === 'operator',
  };
  const storage = evaluateStorage(probe, ctx);
  report(storage);
  const rbac = evaluateRbac(roles, { ...ctx, storagePassed: storage.status === 'pass' });
  // The same grant fixes both: say it once.
  report(
    rbac.fix && rbac.fix === storage.fix ? { ...rbac, fix: 'the role assignment of step 3' } : rbac,
  );

  const selector: ImdsSelector =
    input.source.kind === 'imds' && Object.keys(input.source.selector).length
      ? input.source.selector
      : expectation.identity.clientId
        ? { clientId: expectation.identity.clientId }
        : {};
  return {
    source: describeSource(input.source),
    storageUrl: redactUrl(input.storageUrl),
    ...(redacted ? { token: redacted } : {}),
    ...(claims ? { claims } : {}),
    expectation,
    steps,
    passed: checkPassed(steps),
    nodeCommand: nodeTokenCommand(selector),
  };
}
