/**
 * The `identity` blocks of Batch accounts and pools: the caller names user-assigned identities by
 * resource id with empty values; the service fills principalId and clientId. An unknown identity
 * fails the way ARM's identity layer fails (FailedIdentityOperation wrapping the MSI 404).
 */
import type { SandboxResponse } from '../http/types.js';
import type { World } from '../world/world.js';
import { armError, asRecord } from './http.js';

export type IdentityMap = Record<string, { principalId: string; clientId: string }>;

export function resolveUserAssigned(world: World, ownerId: string, value: unknown): { ok: true; map: IdentityMap } | { ok: false; response: SandboxResponse } {
  const map: IdentityMap = {};
  for (const resourceId of Object.keys(asRecord(value) ?? {})) {
    const identity = world.userAssignedIdentities.get(resourceId.toLowerCase());
    if (!identity) {
      return {
        ok: false,
        response: armError(
          400,
          'FailedIdentityOperation',
          `Identity operation for resource '${ownerId}' failed with error 'Failed to perform resource identity operation. Status: 'NotFound'. Response: '{"error":{"code":"NotFound","message":"Resource '${resourceId}' was not found."}}'.'.`,
        ),
      };
    }
    map[identity.id] = { principalId: identity.principalId, clientId: identity.clientId };
  }
  return { ok: true, map };
}

export const identityType = (value: unknown): string | undefined =>
  typeof asRecord(value)?.type === 'string' ? (asRecord(value)?.type as string) : undefined;

/**
 * The user-assigned identities a request body's `identity` assigns: the keys of
 * `userAssignedIdentities` whose value is not null (null removes one) when the type names
 * UserAssigned. These are the linked scopes ARM checks IDENTITY_ASSIGN on (auth.ts).
 */
export function assignedIdentityIds(identity: unknown): string[] {
  const type = identityType(identity) ?? '';
  if (!/userassigned/i.test(type)) return [];
  return Object.entries(asRecord(asRecord(identity)?.userAssignedIdentities) ?? {})
    .filter(([, value]) => value !== null)
    .map(([id]) => id);
}
