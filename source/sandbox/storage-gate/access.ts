/**
 * StorageAccess: what simulated nodes and the Batch service do against storage, checked as the
 * gate checks real callers (RBAC with hasPermission, the firewall from networkRuleSet), and for
 * writes carried out for real in Azurite so that an operator can then read the blobs.
 *
 * The firewall applies to every caller, by where it comes from (`from`, world/access.ts
 * NetworkOrigin): Azure answers 403 AuthorizationFailure "This request is not authorized to
 * perform this operation." when the account's default action is Deny and no rule admits it.
 */
import type { StorageAccess } from '../contracts.js';
import type { StorageAccount } from '../world/model.js';
import { containerScope, firewallAllows, locateContainer, type NetworkOrigin } from '../world/access.js';
import { hasPermission } from '../world/rbac.js';
import type { World } from '../world/world.js';
import type { StorageGate } from './gate.js';
import { permissionFor } from './permissions.js';

type Result = { status: number; errorCode?: string };

const FIREWALL: Result = { status: 403, errorCode: 'AuthorizationFailure' };
const MISMATCH: Result = { status: 403, errorCode: 'AuthorizationPermissionMismatch' };
/** A caller whose address no firewall rule names. */
const INTERNET: NetworkOrigin = { kind: 'internet' };

export class SandboxStorageAccess implements StorageAccess {
  constructor(
    private readonly world: World,
    private readonly gate: StorageGate,
  ) {}

  async putBlob(input: Parameters<StorageAccess['putBlob']>[0]): Promise<Result> {
    const target = locateContainer(this.world, input.sasUrl ?? input.containerUrl);
    if (!target) return { status: 404, errorCode: 'ResourceNotFound' };
    const { account, container } = target;
    if (!firewallAllows(account, input.from ?? INTERNET)) return FIREWALL;
    const blobPath = `/${account.name}/${container}/${input.blobName.split('/').map(encodeURIComponent).join('/')}`;
    const headers: Record<string, string> = {
      host: new URL(this.gateOrigin(account)).host,
      'x-ms-version': '2025-11-05',
      'x-ms-blob-type': 'BlockBlob',
      'content-type': 'text/plain; charset=utf-8',
    };
    const body = Buffer.isBuffer(input.content)
      ? input.content
      : Buffer.from(input.content, 'utf8');

    if (input.sasUrl) {
      if (!account.allowSharedKeyAccess && !new URL(input.sasUrl).searchParams.has('skoid')) {
        return { status: 403, errorCode: 'KeyBasedAuthenticationNotPermitted' };
      }
      const response = await this.gate.send(account, {
        method: 'PUT',
        pathAndQuery: `${blobPath}${new URL(input.sasUrl).search}`,
        headers,
        body,
        asGate: false,
      });
      return result(response.status, response.headers);
    }
    if (!input.principalObjectId) return { status: 401, errorCode: 'NoAuthenticationInformation' };
    const permission = permissionFor({
      method: 'PUT',
      container,
      blob: input.blobName,
      query: new URLSearchParams(),
    });
    if (
      !hasPermission(
        this.world,
        input.principalObjectId,
        containerScope(account, container),
        permission,
      )
    )
      return MISMATCH;
    const response = await this.gate.send(account, {
      method: 'PUT',
      pathAndQuery: blobPath,
      headers,
      body,
      asGate: true,
    });
    return result(response.status, response.headers);
  }

  /**
   * Whether the principal may read the container's blobs from where it is. This is the
   * permission check only: package and resource-file downloads are simulated, and the blobs
   * they name need not exist in Azurite.
   */
  canRead(input: Parameters<StorageAccess['canRead']>[0]): Promise<Result> {
    const target = locateContainer(this.world, input.containerUrl);
    if (!target) return Promise.resolve({ status: 404, errorCode: 'ResourceNotFound' });
    const { account, container } = target;
    if (!firewallAllows(account, input.from ?? INTERNET)) return Promise.resolve(FIREWALL);
    const permission = permissionFor({
      method: 'GET',
      container,
      query: new URLSearchParams({ restype: 'container', comp: 'list' }),
    });
    const allowed = hasPermission(
      this.world,
      input.principalObjectId,
      containerScope(account, container),
      permission,
    );
    return Promise.resolve(allowed ? { status: 200 } : MISMATCH);
  }

  /** Creates a container (as the sandbox itself, no RBAC): for seeds and tests that need one to exist. */
  async ensureContainer(accountName: string, container: string): Promise<Result> {
    const account = this.gate.findAccount(accountName);
    if (!account) return { status: 404, errorCode: 'ResourceNotFound' };
    const response = await this.gate.send(account, {
      method: 'PUT',
      pathAndQuery: `/${account.name}/${encodeURIComponent(container)}?restype=container`,
      headers: { host: new URL(this.gateOrigin(account)).host, 'x-ms-version': '2025-11-05' },
      body: Buffer.alloc(0),
      asGate: true,
    });
    // 409 ContainerAlreadyExists is as good as created.
    return response.status === 409 ? { status: 201 } : result(response.status, response.headers);
  }

  private gateOrigin(account: StorageAccount): string {
    return account.blobEndpoint || 'https://127.0.0.1';
  }
}

function result(status: number, headers: Record<string, string> | undefined): Result {
  const errorCode = headers?.['x-ms-error-code'];
  return errorCode ? { status, errorCode } : { status };
}
