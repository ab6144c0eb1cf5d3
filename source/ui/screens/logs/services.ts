/**
 * What the Logs and Token screens need of the cloud beyond the browsing gateways: blob storage
 * as the operator (and as a SAS), the sandbox's per-node IMDS, and the CA to trust. Optional in
 * the session: without it the two screens say what is missing instead of failing.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import { blobServiceForSas, StorageGateway } from '../../../azure/storage.js';
import type { StorageTarget } from '../../../domain/token/storage-url.js';

export interface IncidentServices {
  /** The operator's blob client at an account's blob endpoint (cloud/clients.ts). */
  blobService(serviceUrl: string): BlobServiceClient;
  tlsOptions?: { ca: string[] };
  /** The sandbox's IMDS root; nodes answer under /accounts/A/pools/P/nodes/N. */
  imdsBase?: string;
  tenantId?: string;
}

/** Storage as the operator sees the target: through the SAS when the URL carries one. */
export function storageFor(
  services: IncidentServices,
  target: StorageTarget,
  url: string,
): StorageGateway {
  if (target.hasSas) {
    const query = url.slice(url.indexOf('?'));
    return new StorageGateway(
      blobServiceForSas(
        `${target.serviceUrl}${query}`,
        services.tlsOptions ? { tlsOptions: services.tlsOptions } : {},
      ),
    );
  }
  return new StorageGateway(services.blobService(target.serviceUrl));
}

/** The IMDS a node answers on: the sandbox's per-node endpoint, or the real one on a node. */
export function nodeImdsEndpoint(
  services: IncidentServices,
  account: string,
  pool: string,
  node: string,
): string | undefined {
  if (!services.imdsBase) return undefined;
  const [a, p, n] = [account, pool, node].map(encodeURIComponent);
  return `${services.imdsBase.replace(/\/+$/, '')}/accounts/${a ?? ''}/pools/${p ?? ''}/nodes/${n ?? ''}`;
}
