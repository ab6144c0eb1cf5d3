import { RestError, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  decideRetry,
  describeRetry,
  withRetry,
  type RetryEvent,
  type RetryPolicy,
} from '../../source/azure/retry.js';

/** A RestError as core-client builds it from an HTTP answer. */
function httpError(status: number, headers: Record<string, string> = {}, code = 'Err'): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/x' });
  const response = { request, status, headers: createHttpHeaders(headers), bodyAsText: '' };
  const e = new RestError(`status ${status}`, { statusCode: status, request, response });
  e.code = code;
  return e;
}
const transportError = (code: string): RestError => new RestError(`connect ${code}`, { code });

const policy = (random: number): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, random: () => random });

describe('backoffDelay (equal jitter, capped)', () => {
  it.each([
    // attempt, random, expected ms with base 500, cap 8000
    [1, 0, 250],
    [1, 1, 500],
    [2, 0, 500],
    [2, 1, 1000],
    [3, 0.5, 1500],
    [4, 1, 4000],
    [5, 1, 8000],
    [9, 1, 8000],
    [9, 0, 4000],
  ])('attempt %i, random %f → %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy(random))).toBe(expected);
  });
});

describe('decideRetry', () => {
  const cases: Array<[string, unknown, number, boolean, Record<string, unknown> | false]> = [
    [
      '429 with Retry-After waits exactly that',
      httpError(429, { 'retry-after': '2' }),
      1,
      true,
      { reason: 'throttled', delayMs: 2000, fromRetryAfter: true, status: 429 },
    ],
    [
      '429 without Retry-After backs off',
      httpError(429),
      1,
      true,
      { reason: 'throttled', delayMs: 500, fromRetryAfter: false },
    ],
    [
      '429 on a write is retried too (not executed)',
      httpError(429, { 'retry-after': '1' }),
      1,
      false,
      { delayMs: 1000 },
    ],
    [
      '429 asking for longer than we hold a screen: give up',
      httpError(429, { 'retry-after': '600' }),
      1,
      true,
      false,
    ],
    ['503 backs off', httpError(503), 2, true, { reason: 'server', delayMs: 1000, status: 503 }],
    [
      '503 with a longer Retry-After waits it out',
      httpError(503, { 'retry-after': '3' }),
      1,
      true,
      { delayMs: 3000, fromRetryAfter: true },
    ],
    ['500 on a write is not retried', httpError(500), 1, false, false],
    ['404 is not retried', httpError(404), 1, true, false],
    ['403 is not retried', httpError(403), 1, true, false],
    [
      'ECONNRESET on a read',
      transportError('ECONNRESET'),
      1,
      true,
      { reason: 'network', code: 'ECONNRESET' },
    ],
    [
      'REQUEST_SEND_ERROR (ms-rest-js) on a read',
      transportError('REQUEST_SEND_ERROR'),
      1,
      true,
      { reason: 'network' },
    ],
    ['out of attempts', httpError(503), 4, true, false],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), 1, true, false],
  ];
  it.each(cases)('%s', (_name, error, attempt, idempotent, expected) => {
    const decision = decideRetry(error, attempt, idempotent, policy(1));
    if (expected === false) expect(decision.retry).toBe(false);
    else expect(decision).toMatchObject({ retry: true, ...expected });
  });
});

describe('withRetry', () => {
  function run(errors: Error[], idempotent = true, signal?: AbortSignal) {
    const waits: number[] = [];
    const events: RetryEvent[] = [];
    let calls = 0;
    const promise = withRetry(
      () => {
        const error = errors[calls++];
        return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
      },
      {
        operation: 'list pools of account acct',
        idempotent,
        policy: { random: () => 1 },
        onRetry: (e) => events.push(e),
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        ...(signal ? { signal } : {}),
      },
    );
    return { promise, waits, events, calls: () => calls };
  }

  it('retries a throttled read after Retry-After and reports it first', async () => {
    const r = run([httpError(429, { 'retry-after': '2' }), httpError(503)]);
    await expect(r.promise).resolves.toBe('ok');
    expect(r.waits).toEqual([2000, 1000]);
    expect(r.events.map(describeRetry)).toEqual(['retrying (429, 2s)…', 'retrying (503, 1s)…']);
    expect(r.events[0]).toMatchObject({
      attempt: 1,
      maxAttempts: 4,
      operation: 'list pools of account acct',
    });
  });

  it('gives up after maxAttempts with the domain error', async () => {
    const r = run([httpError(503), httpError(503), httpError(503), httpError(503), httpError(503)]);
    await expect(r.promise).rejects.toMatchObject({
      kind: 'Network',
      operation: 'list pools of account acct',
    });
    expect(r.calls()).toBe(4);
    expect(r.waits).toEqual([500, 1000, 2000]);
  });

  it('does not retry a write on 5xx', async () => {
    const r = run([httpError(500)], false);
    await expect(r.promise).rejects.toMatchObject({ kind: 'Network' });
    expect(r.calls()).toBe(1);
  });

  it('maps a non-retryable error at once', async () => {
    const r = run([httpError(403, {}, 'AuthorizationFailed')]);
    await expect(r.promise).rejects.toMatchObject({
      kind: 'Forbidden',
      azureCode: 'AuthorizationFailed',
    });
    expect(r.waits).toEqual([]);
  });

  it('stops on abort without mapping it', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = run([], true, controller.signal);
    await expect(r.promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(r.calls()).toBe(0);
  });

  it('a real wait is interrupted by abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const promise = withRetry(() => Promise.reject(httpError(429, { 'retry-after': '30' })), {
      operation: 'x',
      idempotent: true,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
