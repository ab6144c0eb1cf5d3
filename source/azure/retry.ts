/**
 * Our one retry loop for every Azure call (SDK retry policies are switched off: sdk-options.ts).
 *
 * - 429: wait what Retry-After says, never less (ARM and Batch count early retries against the
 *   caller); without the header, back off exponentially.
 * - 5xx, 408 and transport failures (reset, refused, DNS): only for idempotent reads, exponential
 *   backoff with jitter and a cap, honouring Retry-After when a 503 sends one.
 * - Writes retry only on 429: Azure refused them before doing anything, so a second try cannot
 *   apply a change twice. A 5xx on a write may have half-applied: the flow re-reads and decides.
 * Every wait is announced to a listener first, so screens can say "retrying (429, 2s)…".
 */
import { DomainError } from '../domain/errors.js';
import {
  errorFacts,
  isAbortError,
  isNetworkFailure,
  retryAfterMs,
  toDomainError,
} from './errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of one backoff wait. */
  maxDelayMs: number;
  /**
   * A Retry-After longer than this is not waited out: the call fails with Throttled (carrying
   * the wait) so the screen stays responsive and says when to try again.
   */
  maxRetryAfterMs: number;
  /** [0, 1): injected so schedules are testable. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
};

export type RetryReason = 'throttled' | 'server' | 'network';

export interface RetryEvent {
  /** What was being done, e.g. "list nodes of pool p1". */
  operation: string;
  reason: RetryReason;
  /** HTTP status (429, 503, ...) or undefined for a transport failure. */
  status?: number;
  /** Azure's error code or the transport code (ECONNRESET, ...). */
  code?: string;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  maxAttempts: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  /** True when the delay is the server's Retry-After. */
  fromRetryAfter: boolean;
}

export type RetryListener = (event: RetryEvent) => void;

/** "retrying (429, 2s)…" — the status-line text for an event. */
export function describeRetry(e: RetryEvent): string {
  const what = e.status ?? e.code ?? e.reason;
  const secs = e.delayMs >= 1000 ? `${Math.round(e.delayMs / 100) / 10}s` : `${e.delayMs}ms`;
  return `retrying (${what}, ${secs})…`;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from
 * many accounts in a fan-out spread out but never collapse to zero. `attempt` is the failed
 * attempt, 1-based: attempt 1 → [base/2, base], attempt 2 → [base, 2·base], … capped.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * policy.random());
}

export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      reason: RetryReason;
      delayMs: number;
      fromRetryAfter: boolean;
      status?: number;
      code?: string;
    };

/** Whether and when to retry after `error` on attempt `attempt` (1-based). Pure. */
export function decideRetry(
  error: unknown,
  attempt: number,
  idempotent: boolean,
  policy: RetryPolicy,
  now: number = Date.now(),
): RetryDecision {
  if (attempt >= policy.maxAttempts || isAbortError(error) || error instanceof DomainError) {
    return { retry: false };
  }
  const f = errorFacts(error);
  const status = f.statusCode;
  const after = retryAfterMs(f, now);
  const tags = {
    ...(status === undefined ? {} : { status }),
    ...(f.code === undefined ? {} : { code: f.code }),
  };
  if (status === 429) {
    if (after !== undefined && after > policy.maxRetryAfterMs) return { retry: false };
    return after === undefined
      ? {
          retry: true,
          reason: 'throttled',
          delayMs: backoffDelay(attempt, policy),
          fromRetryAfter: false,
          ...tags,
        }
      : { retry: true, reason: 'throttled', delayMs: after, fromRetryAfter: true, ...tags };
  }
  if (!idempotent) return { retry: false };
  const transient =
    status === 408 || status === 500 || status === 502 || status === 503 || status === 504;
  if (transient) {
    if (after !== undefined && after > policy.maxRetryAfterMs) return { retry: false };
    // A 503 with Retry-After is the server saying when: never sooner, as for 429.
    const backoff = backoffDelay(attempt, policy);
    const delayMs = Math.max(backoff, after ?? 0);
    return {
      retry: true,
      reason: 'server',
      delayMs,
      fromRetryAfter: after !== undefined && after >= backoff,
      ...tags,
    };
  }
  if (isNetworkFailure(f)) {
    return {
      retry: true,
      reason: 'network',
      delayMs: backoffDelay(attempt, policy),
      fromRetryAfter: false,
      ...tags,
    };
  }
  return { retry: false };
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal?: AbortSignal, cause?: unknown): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  if (cause instanceof Error && cause.name === 'AbortError') return cause;
  // ms-rest-js reports an abort as RestError REQUEST_ABORTED_ERROR: callers see one shape.
  const e = new Error('The operation was aborted', cause === undefined ? undefined : { cause });
  e.name = 'AbortError';
  return e;
}

export interface RetryOptions {
  operation: string;
  /** Reads are idempotent; writes are retried on 429 only. */
  idempotent: boolean;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  onRetry?: RetryListener;
  /** NotFound names this resource. */
  resource?: string;
  /** Injected in unit tests; real time otherwise. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or attempts run out; then
 * throws the domain error. Aborts propagate as an Error named AbortError, never mapped or retried.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt += 1) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw abortError(options.signal, error);
      const decision = decideRetry(error, attempt, options.idempotent, policy);
      if (!decision.retry) {
        throw toDomainError(error, {
          operation: options.operation,
          ...(options.resource === undefined ? {} : { resource: options.resource }),
        });
      }
      const { retry: _retry, ...rest } = decision;
      options.onRetry?.({
        operation: options.operation,
        attempt,
        maxAttempts: policy.maxAttempts,
        ...rest,
      });
      await wait(decision.delayMs, options.signal);
    }
  }
}
