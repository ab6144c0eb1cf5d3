/**
 * The token check's ports, backed by the gateways: where the token comes from (IMDS, the signed-in
 * credential, a file), ARM's record of the identity, the storage call, and the identity's role
 * assignments around the storage account. Shared by `validate-token` and (later) the Token screen.
 *
 * ARM is optional: on a node the operator is often not signed in at all. Without a connection the
 * claims are compared with what was asked for and the role check is skipped, with that said.
 */
import type { Connection } from '../cloud/connect.js';
import type { ManagedIdentityGateway } from '../azure/managed-identity.js';
import type { AuthorizationGateway } from '../azure/authorization.js';
import type { StorageAccountGateway } from '../azure/storage-accounts.js';
import type { ImdsGateway } from '../azure/imds.js';
import { isDomainError } from '../domain/errors.js';
import type { RoleDefinitionInfo } from '../domain/model.js';
import type { IdentityRecord, TokenCheckPorts } from '../domain/token/check.js';
import type { ImdsSelector } from '../domain/token/imds.js';
import type { RoleData } from '../domain/token/storage-steps.js';
import type { StorageTarget } from '../domain/token/storage-url.js';

export type Acquisition =
  | { kind: 'imds'; imds: ImdsGateway; selector: ImdsSelector }
  | { kind: 'operator'; connection: Connection }
  | { kind: 'file'; path: string; token: string };

export interface ArmAccess {
  identities: ManagedIdentityGateway;
  authorization: AuthorizationGateway;
  storageAccounts: StorageAccountGateway;
  subscriptionId: string;
}

/** Builds the ARM side from a connection; undefined when there is none (not signed in). */
export async function armAccess(
  connection: Connection | undefined,
): Promise<ArmAccess | undefined> {
  const subscriptionId = connection?.profile.subscriptionId;
  if (!connection || !subscriptionId) return undefined;
  const { createGateways, StorageAccountGateway } = await import('../azure/index.js');
  const where = { armEndpoint: connection.profile.armEndpoint, subscriptionId };
  const gateways = createGateways(connection.clients, where, { readOnly: true });
  return {
    identities: gateways.identities,
    authorization: gateways.authorization,
    storageAccounts: new StorageAccountGateway(
      connection.clients.batchManagement(subscriptionId),
      where,
      { readOnly: true },
    ),
    subscriptionId,
  };
}

export function checkPorts(
  acquisition: Acquisition,
  target: StorageTarget,
  arm: ArmAccess | undefined,
  tlsOptions: { ca: string[] } | undefined,
): TokenCheckPorts {
  let identities: Promise<IdentityRecord[]> | undefined;
  const record = (i: {
    id: string;
    name: string;
    clientId?: string;
    principalId?: string;
    tenantId?: string;
  }): IdentityRecord => ({
    resourceId: i.id,
    name: i.name,
    ...(i.clientId ? { clientId: i.clientId } : {}),
    ...(i.principalId ? { principalId: i.principalId } : {}),
    ...(i.tenantId ? { tenantId: i.tenantId } : {}),
  });
  const ports: TokenCheckPorts = {
    async acquire(signal) {
      switch (acquisition.kind) {
        case 'file':
          return { ok: true, token: acquisition.token, via: `file ${acquisition.path}` };
        case 'imds': {
          const r = await acquisition.imds.getToken(acquisition.selector, undefined, signal);
          return r.ok
            ? { ok: true, token: r.token, via: r.via }
            : { ok: false, failure: { kind: 'imds', imds: r.failure } };
        }
        case 'operator': {
          const { credential, profile } = acquisition.connection;
          try {
            const token = await credential.getToken(profile.storageScope, { abortSignal: signal });
            if (!token)
              return {
                ok: false,
                failure: { kind: 'signIn', message: 'the credential returned no token' },
              };
            return {
              ok: true,
              token: token.token,
              via: acquisition.connection.info.credentialLabel,
            };
          } catch (error) {
            return {
              ok: false,
              failure: {
                kind: 'signIn',
                message:
                  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
              },
            };
          }
        }
      }
    },
    async probeStorage(token, signal) {
      const { StorageGateway, blobServiceForToken } = await import('../azure/storage.js');
      const service = blobServiceForToken(
        target.serviceUrl,
        token,
        tlsOptions ? { tlsOptions } : {},
      );
      const gateway = new StorageGateway(service, { retryPolicy: { maxAttempts: 2 } });
      return gateway.probe(target, signal ? { signal } : {});
    },
  };
  if (!arm) return ports;
  ports.findIdentity = async (ref, signal) => {
    const call = signal ? { signal } : {};
    if (ref.resourceId) {
      try {
        return record(await arm.identities.getUserAssignedIdentity(ref.resourceId, call));
      } catch (error) {
        if (isDomainError(error) && error.kind === 'NotFound') return undefined;
        throw error;
      }
    }
    identities ??= arm.identities
      .listUserAssignedIdentities({}, call)
      .then((list) => list.map(record));
    const wanted = (ref.clientId ?? '').toLowerCase();
    return (await identities).find((i) => i.clientId?.toLowerCase() === wanted);
  };
  ports.roleData = async (principalId, signal): Promise<RoleData> => {
    const call = signal ? { signal } : {};
    const accounts = await arm.storageAccounts.listStorageAccounts(call);
    const account = accounts.find((a) => a.name.toLowerCase() === target.accountName.toLowerCase());
    if (!account)
      return {
        unavailable: `storage account ${target.accountName} is not in subscription ${arm.subscriptionId} (or you may not read it)`,
      };
    const assignments = await arm.authorization.listRoleAssignments(
      account.id,
      { principalId },
      call,
    );
    const definitions = new Map<string, RoleDefinitionInfo>(
      await arm.authorization.builtInRoles(call),
    );
    for (const a of assignments) {
      if (definitions.has(a.roleDefinitionName)) continue;
      const custom = await arm.authorization
        .roleDefinition(a.roleDefinitionId, call)
        .catch(() => undefined);
      if (custom) definitions.set(custom.name, custom);
    }
    return { storageAccountId: account.id, assignments, definitions };
  };
  return ports;
}
