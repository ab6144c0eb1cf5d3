/**
 * Resize to 0 and back (RULES.md MI010 [S2][I3]): the only way, short of recreating the pool,
 * to give every node the pool's current identities and have it fetch packages and start-task
 * files again. Three waits make it safe:
 * - role assignments made in this run get their documented propagation time before any node
 *   joins again ("up to 10 minutes", [S14]) — else the new nodes would be refused just the same;
 * - the pool must be steady before each resize (one resize at a time);
 * - it must have reached 0 nodes before it is sized back.
 * Both PATCHes carry If-Match, so a change someone else made meanwhile stops the flow (412).
 */
import { DomainError } from '../../domain/errors.js';
import type { PoolSummary } from '../../domain/model.js';
import type { ResizePoolStep } from '../../domain/plans/index.js';
import { rememberEtag, withEtag, type ExecContext } from './context.js';

const minutes = (ms: number): string => `${Math.max(1, Math.ceil(ms / 60_000))} min`;

async function waitForPool(
  step: ResizePoolStep,
  ctx: ExecContext,
  done: (p: PoolSummary) => boolean,
  message: string,
): Promise<PoolSummary> {
  const started = ctx.now().getTime();
  let announced = false;
  for (;;) {
    const pool = await ctx.gateways.management.getPool(step.pool, ctx.call);
    if (pool.allocationState !== 'Resizing' && pool.allocationState !== 'Stopping' && done(pool))
      return pool;
    const waited = ctx.now().getTime() - started;
    if (waited >= ctx.timeoutMs)
      throw new DomainError(
        { kind: 'Unexpected' },
        `pool ${step.targetName} is still ${pool.allocationState ?? 'resizing'} after ${minutes(waited)}${pool.resizeErrors[0] ? ` (${pool.resizeErrors[0].code}: ${pool.resizeErrors[0].message})` : ''}`,
        'Look at the pool in the portal or with az batch pool show; run the flow again once it is steady',
      );
    if (!announced) ctx.waiting(message);
    announced = true;
    await ctx.sleep(ctx.pollMs, ctx.call.signal);
  }
}

export async function resizeStep(step: ResizePoolStep, ctx: ExecContext): Promise<string> {
  const { management } = ctx.gateways;
  const total = step.size.dedicated + step.size.lowPriority;

  const newest = ctx.grants.length ? Math.max(...ctx.grants.map((d) => d.getTime())) : undefined;
  if (newest !== undefined) {
    const wait = newest + ctx.propagationMs - ctx.now().getTime();
    if (wait > 0) {
      ctx.waiting(
        `waiting ${minutes(wait)} for the new role assignment to take effect before nodes join again (Azure: up to 10 minutes)`,
      );
      await ctx.sleep(wait, ctx.call.signal);
    }
  }

  await waitForPool(
    step,
    ctx,
    () => true,
    `waiting for pool ${step.targetName} to finish resizing`,
  );
  if (step.viaZero) {
    const zero = await management.updatePool(
      withEtag(ctx, step.pool),
      { scaleSettings: { fixedScale: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0 } } },
      ctx.call,
    );
    rememberEtag(ctx, step.pool, zero.etag);
    ctx.half = { poolId: step.pool.id, ...step.size };
    await waitForPool(
      step,
      ctx,
      (p) => p.currentDedicatedNodes + p.currentLowPriorityNodes === 0,
      `waiting for pool ${step.targetName} to release its nodes`,
    );
  }
  const back = await management.updatePool(
    withEtag(ctx, step.pool),
    {
      scaleSettings: {
        fixedScale: {
          targetDedicatedNodes: step.size.dedicated,
          targetLowPriorityNodes: step.size.lowPriority,
        },
      },
    },
    ctx.call,
  );
  rememberEtag(ctx, step.pool, back.etag);
  delete ctx.half;
  return step.viaZero
    ? `resized to 0 and back to ${total} node(s): new nodes are being allocated`
    : `sized back to ${total} node(s)`;
}
