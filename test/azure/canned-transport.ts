/**
 * A transport that answers every request with one canned HTTP response, so that the real SDK
 * pipelines (core-client / ms-rest-js deserialization) build their errors exactly as they do
 * for Azure's answers. Nothing of the SDKs is stubbed: only the wire is replaced.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { BatchManagementClient } from '@azure/arm-batch';
import { BatchServiceClient } from '@azure/batch';
import type { TokenCredential } from '@azure/identity';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { HttpHeaders, type WebResourceLike } from '@azure/ms-rest-js';
import {
  ARM_CLIENT_RETRY_OPTIONS,
  BATCH_CLIENT_RETRY_OPTIONS,
} from '../../source/azure/sdk-options.js';

export const SUB = '6f2b1c0e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';

export interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const staticToken: TokenCredential = {
  getToken: () =>
    Promise.resolve({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

const bodyText = (c: Canned): string | undefined =>
  c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);

export function armHttpClient(canned: Canned, seen: PipelineRequest[] = []): HttpClient {
  return {
    sendRequest: (request) => {
      seen.push(request);
      const text = bodyText(canned);
      return Promise.resolve({
        request,
        status: canned.status,
        headers: createHttpHeaders({
          'content-type': 'application/json; charset=utf-8',
          ...canned.headers,
        }),
        ...(text === undefined ? {} : { bodyAsText: text }),
      });
    },
  };
}

export function cannedBatchManagement(
  canned: Canned,
  credential: TokenCredential = staticToken,
): BatchManagementClient {
  return new BatchManagementClient(credential, SUB, {
    ...ARM_CLIENT_RETRY_OPTIONS,
    httpClient: armHttpClient(canned),
  });
}

export function cannedAuthorization(canned: Canned): AuthorizationManagementClient {
  return new AuthorizationManagementClient(staticToken, SUB, {
    ...ARM_CLIENT_RETRY_OPTIONS,
    httpClient: armHttpClient(canned),
  });
}

export function cannedBatchService(canned: Canned): BatchServiceClient {
  const credentials = { signRequest: (r: WebResourceLike) => Promise.resolve(r) };
  return new BatchServiceClient(credentials, 'https://acct.westeurope.batch.azure.com', {
    ...BATCH_CLIENT_RETRY_OPTIONS,
    httpClient: {
      sendRequest: (request: WebResourceLike) =>
        Promise.resolve({
          request,
          status: canned.status,
          headers: new HttpHeaders({
            'content-type': 'application/json;odata=minimalmetadata',
            ...canned.headers,
          }),
          bodyAsText: bodyText(canned) ?? '',
        }),
    },
  });
}

/** Runs `fn` and returns what it threw. */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
