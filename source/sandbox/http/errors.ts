/**
 * Each Azure service answers errors in its own shape, and the SDKs parse exactly that shape into
 * their error objects (RestError.code, AuthenticationError.errorResponse, ...). The server uses
 * these for its own answers (404 for unknown routes, injected faults, handler failures).
 */
import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from './types.js';

/** Azure's timestamps carry seven fractional digits (2023-11-13T14:13:17.7458151Z). */
export const azureTime = (date = new Date()): string =>
  date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Blob storage: XML body plus the x-ms-error-code header the SDK reads first. */
export function storageError(
  status: number,
  code: string,
  message: string,
  req?: SandboxRequest,
  options: { detail?: string; headers?: Record<string, string> } = {},
): SandboxResponse {
  const requestId = randomUUID();
  const detail = options.detail
    ? `<AuthenticationErrorDetail>${xmlEscape(options.detail)}</AuthenticationErrorDetail>`
    : '';
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}\nRequestId:${requestId}\nTime:${azureTime()}</Message>${detail}</Error>`;
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
    'x-ms-error-code': code,
    'x-ms-request-id': requestId,
    'x-ms-version': headerValue(req, 'x-ms-version') ?? '2025-11-05',
    ...options.headers,
  };
  const clientRequestId = headerValue(req, 'x-ms-client-request-id');
  if (clientRequestId) headers['x-ms-client-request-id'] = clientRequestId;
  return { status, headers, body };
}

/**
 * The storage firewall's refusal, as Azure sends it for a request from a network the account does
 * not allow: 403 AuthorizationFailure, "This request is not authorized to perform this
 * operation.", with the same XML body as other storage errors but answered before the blob
 * service takes the request: `Server: Microsoft-HTTPAPI/2.0` alone and no x-ms-version header
 * (as seen in the responses quoted in AzureStorageExplorer#8183/#9150 and prime-reportstream#12209).
 */
export function storageFirewallError(req?: SandboxRequest): SandboxResponse {
  const response = storageError(
    403,
    'AuthorizationFailure',
    'This request is not authorized to perform this operation.',
    req,
    { headers: { server: 'Microsoft-HTTPAPI/2.0' } },
  );
  const headers = { ...response.headers };
  delete headers['x-ms-version'];
  return { ...response, headers };
}

/** ARM: `{ "error": { "code", "message" } }`. */
export function armError(status: number, code: string, message: string): SandboxResponse {
  const id = randomUUID();
  return {
    status,
    headers: { 'x-ms-request-id': id, 'x-ms-correlation-request-id': id },
    body: { error: { code, message } },
  };
}

/** Batch data plane: OData error with a localised message that ends in RequestId and Time. */
export function batchError(
  status: number,
  code: string,
  message: string,
  req?: SandboxRequest,
): SandboxResponse {
  const requestId = randomUUID();
  const host = req?.url.host ?? '127.0.0.1';
  return {
    status,
    headers: { 'request-id': requestId, 'content-type': 'application/json;odata=minimalmetadata' },
    body: {
      'odata.metadata': `https://${host}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
      code,
      message: { lang: 'en-US', value: `${message}\nRequestId:${requestId}\nTime:${azureTime()}` },
    },
  };
}

/** Entra ID (login.microsoftonline.com): AADSTS error JSON. */
export function entraError(
  status: number,
  error: string,
  aadsts: number,
  message: string,
  req?: SandboxRequest,
): SandboxResponse {
  const traceId = randomUUID();
  const correlationId =
    req?.url.searchParams.get('client-request-id') ??
    headerValue(req, 'client-request-id') ??
    randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const origin = req ? req.url.origin : 'https://login.microsoftonline.com';
  return {
    status,
    headers: { 'cache-control': 'no-store, no-cache', 'x-ms-request-id': traceId },
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${origin}/error?code=${aadsts}`,
    },
  };
}

/** IMDS: `{ "error", "error_description" }`. */
export const imdsError = (status: number, error: string, description: string): SandboxResponse => ({
  status,
  headers: { server: 'IMDS/150.870.65.1544' },
  body: { error, error_description: description },
});

function headerValue(req: SandboxRequest | undefined, name: string): string | undefined {
  const value = req?.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The listener's own shape for the server's generic answers: not found, throttled, failed. */
export function genericError(
  listener: string,
  status: number,
  kind: 'notFound' | 'throttled' | 'unavailable' | 'internal',
  req?: SandboxRequest,
): SandboxResponse {
  const texts = {
    notFound: ['ResourceNotFound', 'The specified resource does not exist.'],
    throttled: [
      'TooManyRequests',
      'The request is being throttled. Retry after the interval in the Retry-After header.',
    ],
    unavailable: [
      'ServerBusy',
      'The server is currently unable to receive requests. Please retry your request.',
    ],
    internal: [
      'InternalError',
      'The server encountered an internal error. Please retry the request.',
    ],
  } as const;
  const [code, message] = texts[kind];
  switch (listener) {
    case 'storage':
      return storageError(status, code, message, req);
    case 'batch':
      return batchError(
        status,
        kind === 'notFound' ? 'InvalidUri' : code,
        kind === 'notFound'
          ? 'The requested URI does not represent any resource on the server.'
          : message,
        req,
      );
    case 'entra':
      return entraError(
        status,
        kind === 'notFound' ? 'invalid_request' : 'temporarily_unavailable',
        kind === 'notFound' ? 90010 : 50196,
        message,
        req,
      );
    case 'imds':
      return imdsError(
        status,
        kind === 'notFound'
          ? 'not_found'
          : kind === 'throttled'
            ? 'too_many_requests'
            : 'server_error',
        message,
      );
    default: {
      const armCodes = {
        notFound: 'NotFound',
        throttled: 'SubscriptionRequestsThrottled',
        unavailable: 'ServiceUnavailable',
        internal: 'InternalServerError',
      };
      return armError(status, armCodes[kind], message);
    }
  }
}
