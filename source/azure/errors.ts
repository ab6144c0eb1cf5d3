/**
 * SDK errors → domain errors. Three families reach us:
 * - RestError from @azure/core-rest-pipeline (arm-batch, arm-authorization): `statusCode`, `code`
 *   (ARM's error.code), `message` (ARM's error.message), `response.headers.get()`;
 * - RestError from @azure/ms-rest-js (legacy @azure/batch): same fields, but `message` can be the
 *   Batch error's `{ lang, value }` object and `body` holds the parsed BatchError;
 * - @azure/identity: CredentialUnavailableError, AuthenticationError, AggregateAuthenticationError
 *   (DefaultAzureCredential's chain) — thrown before any request leaves.
 * They are recognised by shape and `name`, not `instanceof`: several copies of these packages
 * can be installed side by side, and an instanceof against the wrong copy is silently false.
 */
import {
  DomainError,
  conflict,
  forbidden,
  invalid,
  network,
  notFound,
  notSignedIn,
  throttled,
  unexpected,
  type DomainErrorInit,
} from '../domain/errors.js';

/** What we read off any SDK error, whatever its family. */
export interface ErrorFacts {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
  header(name: string): string | undefined;
}

const NETWORK_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const IDENTITY_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;

/** Batch sends `message: { lang, value }`, with "RequestId:…\nTime:…" lines: keep the first line. */
function messageText(m: unknown): string {
  const text =
    typeof m === 'string'
      ? m
      : typeof record(m)?.value === 'string'
        ? (record(m)?.value as string)
        : '';
  return text.split('\n')[0]?.trim() ?? '';
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = record(error) ?? {};
  const headers = record(record(e.response)?.headers);
  const get = headers?.get;
  const header = (name: string): string | undefined => {
    if (typeof get !== 'function') return undefined;
    const v: unknown = get.call(headers, name);
    return typeof v === 'string' ? v : undefined;
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  let message = messageText(e.message);
  // ms-rest-js leaves the raw body as the message when it could not parse it as a BatchError.
  if (!message) message = messageText(record(e.body)?.message);
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    ...(status === undefined ? {} : { statusCode: status }),
    ...(code === undefined ? {} : { code }),
    message: message || String(error),
    header,
  };
}

/** The caller aborted (screen closed): not an error to show, never retried. */
export function isAbortError(error: unknown): boolean {
  const f = errorFacts(error);
  return f.name === 'AbortError' || f.code === 'REQUEST_ABORTED_ERROR';
}

export function isNetworkFailure(f: ErrorFacts): boolean {
  return f.statusCode === undefined && f.code !== undefined && NETWORK_CODES.has(f.code);
}

/**
 * Retry-After as Azure sends it: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds), or
 * `Retry-After` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(
  f: Pick<ErrorFacts, 'header'>,
  now: number = Date.now(),
): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = f.header(name);
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  }
  const v = f.header('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** ARM's AuthorizationFailed / LinkedAuthorizationFailed messages name the action and scope. */
export function parseAuthorizationFailure(message: string): {
  action?: string;
  scope?: string;
  linked?: boolean;
} {
  // "... does not have authorization to perform action 'A' over scope 'S' or the scope is invalid."
  const direct = /perform action '([^']+)' over scope '([^']+)'/i.exec(message);
  if (direct) return { action: direct[1], scope: direct[2] };
  // "... does not have permission to perform action(s) 'A' on the linked scope(s) 'S' ..."
  const linked = /perform action(?:\(s\))? '([^']+)' on the linked scope(?:\(s\))? '([^']+)'/i.exec(
    message,
  );
  if (linked) return { action: linked[1], scope: linked[2], linked: true };
  const actionOnly = /action '([^']+)'/i.exec(message);
  return actionOnly ? { action: actionOnly[1] } : {};
}

/** Names of the credentials a chain tried, from AggregateAuthenticationError's messages. */
function sourcesTried(error: unknown): string[] {
  const errors = record(error)?.errors;
  if (!Array.isArray(errors)) {
    const name = /^(\w+Credential)\b/.exec(errorFacts(error).message)?.[1];
    return name ? [name] : [];
  }
  const names = errors
    .map((e) => /^(\w+Credential)\b/.exec(errorFacts(e).message)?.[1] ?? errorFacts(e).name)
    .filter((n) => n !== 'Error');
  return [...new Set(names)];
}

/**
 * Maps an error thrown by an SDK call. `operation` says what we were doing, in operator words;
 * `resource` names the resource for NotFound. Aborts are not mapped (see isAbortError).
 */
export function toDomainError(
  error: unknown,
  context: { operation?: string; resource?: string } = {},
): DomainError {
  if (error instanceof DomainError) return error;
  const f = errorFacts(error);
  const init: DomainErrorInit = {
    cause: error,
    ...(f.code === undefined ? {} : { azureCode: f.code }),
    ...(f.statusCode === undefined ? {} : { statusCode: f.statusCode }),
    ...(context.operation === undefined ? {} : { operation: context.operation }),
  };
  const requestId = f.header('x-ms-request-id') ?? f.header('request-id');
  if (requestId) init.requestId = requestId;

  if (IDENTITY_ERRORS.has(f.name)) {
    const reason = f.message.split('\n')[0] ?? f.message;
    return notSignedIn(reason, sourcesTried(error), init);
  }
  const s = f.statusCode;
  if (s === 401)
    return notSignedIn(`Azure rejected the token (${f.code ?? '401'}): ${f.message}`, [], init);
  if (s === 403) return forbidden(parseAuthorizationFailure(f.message), f.message, init);
  if (s === 404) return notFound(f.message, context.resource, init);
  if (s === 409 || s === 412) return conflict(f.message, init);
  if (s === 429) return throttled(retryAfterMs(f), init);
  if (s === 400 || s === 422) return invalid(f.message, undefined, init);
  if (s !== undefined && s >= 500)
    return network(`${f.code ?? 'server error'} — ${f.message}`, init);
  if (isNetworkFailure(f)) return network(f.message, init);
  return unexpected(f.message, init);
}
