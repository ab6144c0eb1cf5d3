/**
 * One plan step through the gateways. Pool writes carry If-Match with the ETag the plan was read
 * with — then the one our own previous write returned — so a pool someone else changed in the
 * meantime fails with 412 instead of being overwritten. Role assignments are created
 * idempotently (an existing one is reported as already held).
 */
import { DomainError } from '../../domain/errors.js';
import type { CreateRoleAssignmentStep, PlanStep, PrincipalRef } from '../../domain/plans/index.js';
import { parseResourceId } from '../../domain/resource-id.js';
import { rememberEtag, withEtag, type ExecContext, type Executed } from './context.js';
import { resizeStep } from './resize.js';

async function principalIdOf(ctx: ExecContext, principal: PrincipalRef): Promise<string> {
  if (principal.kind === 'principal') return principal.principalId;
  if (principal.kind === 'user-assigned') {
    const identity = await ctx.gateways.identities.getUserAssignedIdentity(
      principal.resourceId,
      ctx.call,
    );
    if (identity.principalId) return identity.principalId;
  } else {
    const parsed = parseResourceId(principal.accountId);
    if (parsed.ok) {
      const { resourceGroup, names } = parsed.value;
      const account = await ctx.gateways.management.getAccount(
        { resourceGroup, name: names[0] ?? '' },
        ctx.call,
      );
      if (account.identity.principalId) return account.identity.principalId;
    }
  }
  throw new DomainError(
    { kind: 'Invalid', field: 'principalId' },
    `${principal.name} has no principalId yet, so no role can be granted to it`,
    'Check the identity in the portal (it may still be provisioning), then run the flow again',
  );
}

async function grant(step: CreateRoleAssignmentStep, ctx: ExecContext): Promise<Executed> {
  const principalId = await principalIdOf(ctx, step.principal);
  const { created, assignment } = await ctx.gateways.authorization.createRoleAssignment(
    {
      scope: step.scope,
      roleDefinitionId: step.role.guid,
      principalId,
      principalType: 'ServicePrincipal',
      description: `batch-mi-tui: ${step.title}`,
    },
    ctx.call,
  );
  ctx.grants.push(assignment.createdOn ?? ctx.now());
  return created
    ? {
        status: 'applied',
        detail: `role assignment ${assignment.name} created`,
        undo: `az role assignment delete --ids ${assignment.id}`,
      }
    : { status: 'already-held', detail: 'the role assignment already existed' };
}

export async function execute(step: PlanStep, ctx: ExecContext): Promise<Executed> {
  const { management } = ctx.gateways;
  switch (step.kind) {
    case 'patch-account-identity': {
      const a = await management.updateAccount(step.account, step.patch, ctx.call);
      const names = a.identity.userAssignedIdentities.map((i) => i.name).join(', ');
      return {
        status: 'applied',
        detail: `account identity is now ${a.identity.type}${names ? ` (${names})` : ''}`,
        ...(step.undo ? { undo: step.undo } : {}),
      };
    }
    case 'patch-account-autostorage': {
      const a = await management.updateAccount(step.account, step.patch, ctx.call);
      const ref = a.autoStorage?.nodeIdentityReference?.resourceId.split('/').pop() ?? 'none';
      return {
        status: 'applied',
        detail: `autostorage ${a.autoStorage?.authenticationMode ?? '?'}, node identity ${ref}`,
        ...(step.undo ? { undo: step.undo } : {}),
      };
    }
    case 'patch-pool-identity': {
      const p = await management.updatePool(withEtag(ctx, step.pool), step.patch, ctx.call);
      rememberEtag(ctx, step.pool, p.etag);
      return {
        status: 'applied',
        detail: `pool identities: ${p.identity.userAssignedIdentities.map((i) => i.name).join(', ') || 'none'}`,
        ...(step.undo ? { undo: step.undo } : {}),
      };
    }
    case 'create-role-assignment':
      return grant(step, ctx);
    case 'resize-pool':
      return { status: 'applied', detail: await resizeStep(step, ctx) };
  }
}
