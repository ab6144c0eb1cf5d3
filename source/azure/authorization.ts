/**
 * Azure RBAC through ARM (@azure/arm-authorization, api-version 2022-04-01): role assignments on
 * a scope, role definitions, and the assignments the flows create.
 *
 * Built-in role definitions are the same in every tenant and never change during a session, so
 * they are listed once (one call) and kept; the Identities screen and the doctor then name roles
 * without a call per assignment.
 */
import { randomUUID } from 'node:crypto';
import {
  getContinuationToken,
  type AuthorizationManagementClient,
  type RoleAssignment,
  type RoleDefinition,
} from '@azure/arm-authorization';
import type { RoleAssignmentInfo, RoleDefinitionInfo } from '../domain/model.js';
import { lastSegment } from '../domain/model.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import { armPages } from './paging.js';
import { removeSdkRetries } from './sdk-options.js';

/** The SDK puts `{scope}` after a slash: a scope that starts with one would make `//subscriptions`. */
const bare = (scope: string): string => scope.replace(/^\/+/, '');

export function roleDefinitionIdFor(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

export function toRoleAssignmentInfo(a: RoleAssignment, roleName?: string): RoleAssignmentInfo {
  const roleDefinitionId = a.roleDefinitionId ?? '';
  const info: RoleAssignmentInfo = {
    id: a.id ?? '',
    name: a.name ?? lastSegment(a.id ?? ''),
    scope: a.scope ?? '',
    roleDefinitionId,
    roleDefinitionName: lastSegment(roleDefinitionId).toLowerCase(),
    principalId: a.principalId ?? '',
  };
  if (roleName) info.roleName = roleName;
  if (a.principalType) info.principalType = a.principalType;
  if (a.condition) info.condition = a.condition;
  if (a.createdOn) info.createdOn = a.createdOn;
  return info;
}

export function toRoleDefinitionInfo(d: RoleDefinition): RoleDefinitionInfo {
  return {
    id: d.id ?? '',
    name: (d.name ?? lastSegment(d.id ?? '')).toLowerCase(),
    roleName: d.roleName ?? '',
    roleType: d.roleType ?? '',
    permissions: (d.permissions ?? []).map((p) => ({
      actions: p.actions ?? [],
      notActions: p.notActions ?? [],
      dataActions: p.dataActions ?? [],
      notDataActions: p.notDataActions ?? [],
    })),
  };
}

export interface RoleAssignmentQuery {
  /** Only this principal's assignments (at, above and below the scope). */
  principalId?: string;
  /** Only assignments at or above the scope (not those on child resources). */
  atScope?: boolean;
}

export interface NewRoleAssignment {
  scope: string;
  /** Full role definition id, or a role GUID (resolved under this client's subscription). */
  roleDefinitionId: string;
  principalId: string;
  /** 'ServicePrincipal' for managed identities: spares ARM a directory lookup that can lag. */
  principalType?: 'ServicePrincipal' | 'User' | 'Group';
  description?: string;
}

export class AuthorizationGateway {
  private readonly calls: Caller;
  private builtIns: Promise<Map<string, RoleDefinitionInfo>> | undefined;
  private readonly custom = new Map<string, Promise<RoleDefinitionInfo>>();

  constructor(
    private readonly client: AuthorizationManagementClient,
    options: GatewayOptions = {},
  ) {
    removeSdkRetries(client);
    this.calls = new Caller(options);
  }

  async listRoleAssignments(
    scope: string,
    query: RoleAssignmentQuery = {},
    call: CallOptions = {},
  ): Promise<RoleAssignmentInfo[]> {
    const filter = query.principalId
      ? `principalId eq '${query.principalId}'`
      : query.atScope
        ? 'atScope()'
        : undefined;
    const fetch = armPages(
      () =>
        this.client.roleAssignments.listForScope(bare(scope), {
          abortSignal: call.signal,
          ...(filter ? { filter } : {}),
        }),
      getContinuationToken,
    );
    const { items } = await this.calls.list(
      `list role assignments on ${scope}`,
      fetch,
      call,
      {},
      scope,
    );
    const known = this.builtIns ? await this.builtIns.catch(() => undefined) : undefined;
    return items.map((a) =>
      toRoleAssignmentInfo(
        a,
        known?.get(lastSegment(a.roleDefinitionId ?? '').toLowerCase())?.roleName,
      ),
    );
  }

  /** Built-in roles by GUID (lower case): one listing per session, shared by concurrent callers. */
  builtInRoles(call: CallOptions = {}): Promise<Map<string, RoleDefinitionInfo>> {
    if (!this.builtIns) {
      const scope = `subscriptions/${this.client.subscriptionId}`;
      const fetch = armPages(
        () =>
          this.client.roleDefinitions.list(scope, {
            abortSignal: call.signal,
            filter: "type eq 'BuiltInRole'",
          }),
        getContinuationToken,
      );
      this.builtIns = this.calls
        .list('list built-in role definitions', fetch, call)
        .then(
          ({ items }) =>
            new Map(items.map((d) => [(d.name ?? '').toLowerCase(), toRoleDefinitionInfo(d)])),
        );
      // A failed or aborted load must not poison the session's cache.
      this.builtIns.catch(() => {
        this.builtIns = undefined;
      });
    }
    return this.builtIns;
  }

  /** A role definition by id or GUID: built-ins from the session cache, custom roles fetched once. */
  async roleDefinition(idOrGuid: string, call: CallOptions = {}): Promise<RoleDefinitionInfo> {
    const guid = lastSegment(idOrGuid).toLowerCase();
    const builtIn = (await this.builtIns?.catch(() => undefined))?.get(guid);
    if (builtIn) return builtIn;
    const id = idOrGuid.includes('/')
      ? idOrGuid
      : roleDefinitionIdFor(this.client.subscriptionId, guid);
    let pending = this.custom.get(id.toLowerCase());
    if (!pending) {
      pending = this.calls
        .read(
          `read role definition ${guid}`,
          () => this.client.roleDefinitions.getById(bare(id), { abortSignal: call.signal }),
          call,
          `role definition ${guid}`,
        )
        .then(toRoleDefinitionInfo);
      this.custom.set(id.toLowerCase(), pending);
      pending.catch(() => this.custom.delete(id.toLowerCase()));
    }
    return pending;
  }

  /** Fills `roleName` of assignments: built-ins from the cache (≤ 1 call), each unknown custom role once. */
  async withRoleNames(
    assignments: RoleAssignmentInfo[],
    call: CallOptions = {},
  ): Promise<RoleAssignmentInfo[]> {
    const builtIns = await this.builtInRoles(call);
    const unknown = [
      ...new Set(
        assignments
          .filter((a) => !builtIns.has(a.roleDefinitionName))
          .map((a) => a.roleDefinitionId),
      ),
    ];
    const custom = new Map<string, string>();
    for (const id of unknown) {
      const d = await this.roleDefinition(id, call).catch(() => undefined);
      if (d) custom.set(d.name, d.roleName);
    }
    return assignments.map((a) => {
      const roleName =
        builtIns.get(a.roleDefinitionName)?.roleName ?? custom.get(a.roleDefinitionName);
      return roleName ? { ...a, roleName } : a;
    });
  }

  /**
   * Creates a role assignment (a new GUID name, as Azure requires). Idempotent: when the same
   * principal already holds the role on the scope, Azure answers 409 RoleAssignmentExists and we
   * return the existing assignment with `created: false`. Refused in read-only mode.
   */
  async createRoleAssignment(
    input: NewRoleAssignment,
    call: CallOptions = {},
  ): Promise<{ created: boolean; assignment: RoleAssignmentInfo }> {
    const roleDefinitionId = input.roleDefinitionId.includes('/')
      ? input.roleDefinitionId
      : roleDefinitionIdFor(this.client.subscriptionId, input.roleDefinitionId);
    const operation = `grant role ${lastSegment(roleDefinitionId)} to ${input.principalId} on ${input.scope}`;
    try {
      const a = await this.calls.write(
        operation,
        () =>
          this.client.roleAssignments.create(
            bare(input.scope),
            randomUUID(),
            {
              roleDefinitionId,
              principalId: input.principalId,
              ...(input.principalType ? { principalType: input.principalType } : {}),
              ...(input.description ? { description: input.description } : {}),
            },
            { abortSignal: call.signal },
          ),
        call,
        input.scope,
      );
      return { created: true, assignment: toRoleAssignmentInfo(a) };
    } catch (error) {
      if ((error as { azureCode?: string }).azureCode !== 'RoleAssignmentExists') throw error;
      const existing = (
        await this.listRoleAssignments(input.scope, { principalId: input.principalId }, call)
      ).find((a) => a.roleDefinitionName === lastSegment(roleDefinitionId).toLowerCase());
      if (!existing) throw error;
      return { created: false, assignment: existing };
    }
  }

  /** Deletes a role assignment by its full id. Refused in read-only mode. */
  async deleteRoleAssignment(id: string, call: CallOptions = {}): Promise<void> {
    await this.calls.write(
      `remove role assignment ${lastSegment(id)}`,
      () => this.client.roleAssignments.deleteById(bare(id), { abortSignal: call.signal }),
      call,
      id,
    );
  }
}
