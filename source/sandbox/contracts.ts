/**
 * The seams between the sandbox's parts, written down first so that each part can be built
 * against them: the server (TLS, listeners, faults), Entra and IMDS, the storage gate, and the
 * world (state, behaviour, ARM and Batch handlers).
 */
import type { Handler, TokenClaims } from './http/types.js';
import type { NetworkOrigin } from './world/access.js';
import type { World } from './world/world.js';

/** Issues and verifies the sandbox's JWTs (entra/). */
export interface TokenService {
  /** Signs a token for `principalObjectId` with audience `aud` (e.g. https://management.azure.com/). */
  issue(input: { principalObjectId: string; aud: string; lifetimeSeconds?: number }): {
    token: string;
    claims: TokenClaims;
  };
  /**
   * Verifies signature, dates (against the simulated clock) and audience.
   * `audiences` lists the accepted `aud` values (with and without a trailing slash as Azure does).
   */
  verify(
    token: string,
    audiences: string[],
  ): { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'notYetValid' | 'audience'; message: string };
}

/** What a simulated node (or the Batch service) does against storage, checked as storage would. */
export interface StorageAccess {
  /**
   * Writes a blob as `principalObjectId` (a node's identity) or with a SAS URL, through the same
   * firewall and RBAC checks as any caller. `from` is where the request comes from (a node's
   * subnet, the public internet, or the Batch service itself; see world/access.ts
   * NetworkOrigin); omitted, a caller on the internet. Resolves to the HTTP status storage answered.
   */
  putBlob(input: {
    containerUrl: string;
    blobName: string;
    content: Buffer | string;
    principalObjectId?: string;
    sasUrl?: string;
    from?: NetworkOrigin;
  }): Promise<{ status: number; errorCode?: string }>;
  /** Whether `principalObjectId` may read blobs in `containerUrl` from `from` (for package and resource-file downloads). */
  canRead(input: { containerUrl: string; principalObjectId: string; from?: NetworkOrigin }): Promise<{ status: number; errorCode?: string }>;
}

/** Everything the world's handlers need from the rest of the sandbox. */
export interface SandboxServices {
  world: World;
  tokens: TokenService;
  storage: StorageAccess;
  /** Base URLs (https://127.0.0.1:PORT) of the listeners. */
  endpoints: { arm: string; entra: string; storage: string };
  /** Opens a Batch data-plane listener for a new account; returns `127.0.0.1:PORT`. */
  openBatchEndpoint(accountArmId: string): Promise<string>;
}

/** Built by world/ (arm/, batch/): the handlers the server mounts. */
export interface WorldHandlers {
  arm: Handler;
  /** One Batch handler per account listener. */
  batch(accountArmId: string): Handler;
}
