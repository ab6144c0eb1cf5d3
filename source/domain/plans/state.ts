/**
 * What the planners ask of the current state: the doctor's snapshot (the same reading of Azure
 * the doctor judges), looked up by ARM id case-insensitively, and judged with the doctor's own
 * RBAC evaluation so that a plan and a later doctor run never disagree on "does it hold the role".
 */
import { DoctorContext } from '../doctor/context.js';
import type { AccountSnapshot, PoolSnapshot, Snapshot } from '../doctor/types.js';
import type { BatchAccountSummary, PoolSummary, RoleAssignmentInfo } from '../model.js';
import { lastSegment } from '../model.js';
import { sameResourceId } from '../resource-id.js';
import type { AccountTarget, PoolTarget, PrincipalRef } from './types.js';

export class PlanState {
  readonly ctx: DoctorContext;

  constructor(readonly snapshot: Snapshot) {
    this.ctx = new DoctorContext(snapshot);
  }

  get armEndpoint(): string {
    return this.snapshot.armEndpoint;
  }

  account(accountId: string): AccountSnapshot | undefined {
    return this.snapshot.accounts.find((a) => sameResourceId(a.account.id, accountId));
  }

  pool(account: AccountSnapshot, name: string): PoolSnapshot | undefined {
    return account.pools?.find((p) => p.pool.name.toLowerCase() === name.toLowerCase());
  }

  /** principalId of a user-assigned identity, from the snapshot or any identity block naming it. */
  principalOf(identityId: string): string | undefined {
    const known = this.ctx.identity(identityId)?.principalId;
    if (known) return known;
    for (const { account, pools } of this.snapshot.accounts) {
      const refs = [
        ...account.identity.userAssignedIdentities,
        ...(pools ?? []).flatMap((p) => p.pool.identity.userAssignedIdentities),
      ];
      const found = refs.find((r) => sameResourceId(r.resourceId, identityId))?.principalId;
      if (found) return found;
    }
    return undefined;
  }

  /** Whether the identity is known at all (listed, or on some account or pool). */
  identityKnown(identityId: string): boolean {
    return (
      this.ctx.identity(identityId) !== undefined || this.principalOf(identityId) !== undefined
    );
  }

  principalRef(identityId: string): PrincipalRef {
    const principalId = this.principalOf(identityId);
    const name = lastSegment(identityId);
    return principalId
      ? { kind: 'principal', principalId, name }
      : { kind: 'user-assigned', resourceId: identityId, name };
  }

  /**
   * Whether `principal` may perform every data action on `scope`: 'granted' (with the
   * assignments that grant it), 'missing', or 'unknown' with the reason.
   */
  holds(
    principal: PrincipalRef,
    scope: string,
    dataActions: readonly string[],
  ):
    | { kind: 'granted'; assignments: RoleAssignmentInfo[] }
    | { kind: 'missing' }
    | { kind: 'unknown'; reason: string } {
    // A principal that does not exist yet (system-assigned, to be created) holds nothing.
    if (principal.kind === 'account-system') return { kind: 'missing' };
    if (principal.kind === 'user-assigned')
      return { kind: 'unknown', reason: `the principalId of ${principal.name} could not be read` };
    const verdict = this.ctx.grant([principal.principalId], [scope], dataActions);
    return verdict.kind === 'granted'
      ? verdict
      : verdict.kind === 'missing'
        ? { kind: 'missing' }
        : verdict;
  }
}

export function accountTarget(a: BatchAccountSummary): AccountTarget {
  return { id: a.id, resourceGroup: a.resourceGroup, name: a.name };
}

export function poolTarget(p: PoolSummary): PoolTarget {
  return {
    id: p.id,
    resourceGroup: p.resourceGroup,
    accountName: p.accountName,
    accountId: p.accountId,
    name: p.name,
    ...(p.etag ? { etag: p.etag } : {}),
  };
}

export const poolIdentityIds = (p: PoolSummary): string[] =>
  p.identity.userAssignedIdentities.map((i) => i.resourceId);

export const hasId = (ids: readonly string[], id: string): boolean =>
  ids.some((i) => sameResourceId(i, id));

/** `ids` plus `id` unless present (ARM keeps the case it was first given). */
export const withId = (ids: readonly string[], id: string): string[] =>
  hasId(ids, id) ? [...ids] : [...ids, id];

export const sameIdSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id) => hasId(b, id));

export const names = (ids: readonly string[]): string[] => ids.map((id) => lastSegment(id));
