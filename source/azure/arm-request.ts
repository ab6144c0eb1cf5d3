/**
 * A plain ARM GET through an existing ARM SDK client's pipeline, for resources we have no SDK
 * package for (Microsoft.ManagedIdentity: @azure/arm-msi is not a dependency). Going through the
 * client's pipeline, rather than fetch with a token, keeps everything the cloud profile set up:
 * the credential and its ARM scope, the trusted CA (tlsOptions), proxy, user agent, and the
 * bearer policy's CAE challenge handling. Only the request object is built here.
 */
import type { BatchManagementClient } from '@azure/arm-batch';

type PipelineRequest = Parameters<BatchManagementClient['sendRequest']>[0];
type PipelineResponse = Awaited<ReturnType<BatchManagementClient['sendRequest']>>;

/** The one method of a core-client ServiceClient we need (every @azure/arm-* client has it). */
export interface ArmPipelineClient {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

/** core-rest-pipeline's HttpHeaders contract: case-insensitive names, iterable. */
class Headers {
  private readonly map = new Map<string, { name: string; value: string }>();
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  toJSON(options: { preserveCase?: boolean } = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, { name, value }] of this.map) out[options.preserveCase ? name : key] = value;
    return out;
  }
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [key, { value }] of this.map) yield [key, value];
  }
}

/**
 * An error answer to a request we sent ourselves (ARM or Batch), shaped like the SDKs' RestError
 * so errors.ts maps it the same way.
 */
export class ServiceHttpError extends Error {
  override readonly name = 'RestError';
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string | undefined,
    readonly response: { headers: { get(name: string): string | undefined } },
  ) {
    super(message);
  }
}

function newRequest(url: string, signal?: AbortSignal): PipelineRequest {
  const headers = new Headers();
  headers.set('accept', 'application/json');
  return {
    url,
    method: 'GET',
    headers,
    timeout: 0,
    withCredentials: false,
    requestId: crypto.randomUUID(),
    ...(signal ? { abortSignal: signal } : {}),
  };
}

/** GETs an ARM URL and returns the parsed JSON body; non-2xx throws a ServiceHttpError. */
export async function armGetJson(
  client: ArmPipelineClient,
  url: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const response = await client.sendRequest(newRequest(url, signal));
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status >= 200 && response.status < 300) return body;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message =
    typeof error?.message === 'string' ? error.message : `ARM answered ${response.status}`;
  throw new ServiceHttpError(message, response.status, code, response);
}
