/**
 * Which RBAC permission a blob REST operation needs with Entra ID authorization, after the
 * "Permissions" sections of the Blob service REST reference: blob reads (and listing blobs) need
 * the dataAction .../containers/blobs/read, writes .../blobs/write, deletes .../blobs/delete;
 * container management is control-plane `actions` under .../blobServices/containers, which the
 * Storage Blob Data roles also carry.
 */
import type { Permission } from '../world/rbac.js';

const P = 'Microsoft.Storage/storageAccounts/blobServices';

export interface BlobOperation {
  method: string;
  container?: string;
  blob?: string;
  query: URLSearchParams;
}

export function permissionFor(op: BlobOperation): Permission {
  const method = op.method.toUpperCase();
  const comp = op.query.get('comp')?.toLowerCase();
  const restype = op.query.get('restype')?.toLowerCase();
  const reading = method === 'GET' || method === 'HEAD';

  if (op.blob) {
    if (reading) return { dataAction: `${P}/containers/blobs/read` };
    if (method === 'DELETE') return { dataAction: `${P}/containers/blobs/delete` };
    if (comp === 'tags') return { dataAction: `${P}/containers/blobs/tags/write` };
    return { dataAction: `${P}/containers/blobs/write` };
  }
  if (op.container) {
    if (comp === 'list') return { dataAction: `${P}/containers/blobs/read` };
    if (reading) return { action: `${P}/containers/read` };
    if (method === 'DELETE') return { action: `${P}/containers/delete` };
    return { action: `${P}/containers/write` };
  }
  if (restype === 'service' && comp === 'userdelegationkey')
    return { action: `${P}/generateUserDelegationKey/action` };
  if (restype === 'service' && comp === 'properties')
    return { action: reading ? `${P}/read` : `${P}/write` };
  // List Containers and Get Account Information: a data reader's permission.
  return { dataAction: `${P}/containers/blobs/read` };
}
