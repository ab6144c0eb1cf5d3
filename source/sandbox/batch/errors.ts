/**
 * The Batch data plane's error shape (BatchService.json BatchError): an `odata.metadata` link,
 * a code, a message object whose value ends with the request id and time, and optional values.
 */
import type { SandboxResponse } from '../http/types.js';
import { newGuid } from '../world/ids.js';

export function batchError(
  host: string,
  status: number,
  code: string,
  text: string,
  values?: Array<{ key: string; value: string }>,
  now = Date.now(),
): SandboxResponse {
  const requestId = newGuid();
  return {
    status,
    headers: { 'request-id': requestId, 'content-type': 'application/json;odata=minimalmetadata' },
    body: {
      'odata.metadata': `https://${host}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
      code,
      message: { lang: 'en-US', value: `${text}\nRequestId:${requestId}\nTime:${new Date(now).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')}` },
      ...(values ? { values } : {}),
    },
  };
}
