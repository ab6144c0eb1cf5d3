/**
 * POST /pools/{poolId}/nodes/{nodeId}/uploadbatchservicelogs (UploadBatchServiceLogsConfiguration):
 * the node writes its service logs to `containerUrl` under `{poolId}/{nodeId}/{guid}/`, with the
 * named user-assigned identity (which must be one of the node's) or the URL's SAS. As on Azure the
 * call reports what will be uploaded; a storage refusal (no data role, firewall) leaves the
 * container empty, which is what the operator then observes.
 */
import type { SandboxServices } from '../contracts.js';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import type { ComputeNode, Pool } from '../world/model.js';
import { identityPrincipal } from '../world/access.js';
import { newGuid } from '../world/ids.js';
import { poolOrigin } from '../world/outcome.js';
import { key } from '../world/world.js';
import { batchError } from './errors.js';
import { serviceLogs } from './logs.js';

export async function uploadServiceLogs(
  services: SandboxServices,
  req: SandboxRequest,
  target: { host: string; accountId: string; pool: Pool; node: ComputeNode },
): Promise<SandboxResponse> {
  const now = services.world.clock.now();
  const invalid = (name: string, reason: string) =>
    batchError(target.host, 400, 'InvalidPropertyValue', 'The value provided for one of the properties in the request body is invalid.', [
      { key: 'PropertyName', value: name },
      { key: 'Reason', value: reason },
    ], now);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return batchError(target.host, 400, 'InvalidRequestBody', 'The specified request body is not syntactically valid.', undefined, now);
  }
  const containerUrl = typeof body.containerUrl === 'string' ? body.containerUrl : '';
  if (!containerUrl) return batchError(target.host, 400, 'MissingRequiredProperty', 'A required property was not specified in the request body.', [{ key: 'PropertyName', value: 'containerUrl' }], now);
  if (typeof body.startTime !== 'string') return batchError(target.host, 400, 'MissingRequiredProperty', 'A required property was not specified in the request body.', [{ key: 'PropertyName', value: 'startTime' }], now);
  const resourceId = (body.identityReference as { resourceId?: unknown } | undefined)?.resourceId;
  let principalObjectId: string | undefined;
  if (typeof resourceId === 'string') {
    if (!target.node.identityResourceIds.some((id) => id.toLowerCase() === resourceId.toLowerCase())) {
      return invalid('identityReference', `The identity '${resourceId}' is not assigned to the compute node.`);
    }
    principalObjectId = identityPrincipal(services.world, resourceId);
  }
  const account = services.world.batchAccounts.get(key(target.accountId));
  if (!account) return batchError(target.host, 404, 'AccountNotFound', 'The specified account does not exist.', undefined, now);
  const directory = `${target.pool.name}/${target.node.id}/${newGuid()}/`;
  const files = serviceLogs(services.world, account, target.pool, target.node);
  const from = poolOrigin(target.pool);
  const containerOnly = containerUrl.split('?')[0] ?? containerUrl;
  for (const file of files) {
    await services.storage.putBlob({
      containerUrl: containerOnly,
      blobName: `${directory}${file.name}`,
      content: file.content,
      ...(principalObjectId ? { principalObjectId } : { sasUrl: containerUrl }),
      from,
    });
  }
  return { status: 200, body: { virtualDirectoryName: directory, numberOfFilesUploaded: files.length } };
}
