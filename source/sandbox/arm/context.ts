/** What every ARM route handler receives, and the existence checks ARM makes before the provider. */
import type { SandboxServices } from '../contracts.js';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import type { Caller } from './auth.js';
import { authorize } from './auth.js';
import type { Provider } from './api-versions.js';
import { armError, page } from './http.js';
import { resourceGroupId } from '../world/ids.js';

export interface ArmContext {
  services: SandboxServices;
  req: SandboxRequest;
  caller: Caller;
  /** Path parameters by name, as the caller spelled them. */
  params: Record<string, string>;
}

export interface ArmRoute {
  provider: Provider;
  method: string;
  /** Segments; `{name}` captures one segment; a leading `{scope*}` captures any prefix. */
  pattern: string;
  handle(ctx: ArmContext): Promise<SandboxResponse> | SandboxResponse;
}

export const param = (ctx: ArmContext, name: string): string => ctx.params[name] ?? '';

/** 404 SubscriptionNotFound / ResourceGroupNotFound in ARM's words, or undefined when both exist. */
export function checkContainers(ctx: ArmContext, subscriptionId: string, resourceGroup?: string): SandboxResponse | undefined {
  const subscription = ctx.services.world.subscriptions.get(subscriptionId.toLowerCase());
  if (!subscription) return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
  if (resourceGroup !== undefined && !subscription.resourceGroups.some((rg) => rg.toLowerCase() === resourceGroup.toLowerCase())) {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
  }
  return undefined;
}

/** ARM's ResourceNotFound text for a top-level resource. */
export const resourceNotFound = (type: string, name: string, resourceGroup: string): SandboxResponse =>
  armError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);

/** The scope of a request naming subscription and (optionally) resource group parameters. */
export function scopeOf(ctx: ArmContext): string {
  const sub = param(ctx, 'subscriptionId');
  const rg = ctx.params.resourceGroupName;
  return rg === undefined ? `/subscriptions/${sub}` : resourceGroupId(sub, rg);
}

/** Authorize, then check the subscription and resource group exist (ARM checks RBAC first). */
export function guard(ctx: ArmContext, action: string, scope: string): SandboxResponse | undefined {
  return authorize(ctx.services, ctx.caller, action, scope) ?? checkContainers(ctx, param(ctx, 'subscriptionId'), ctx.params.resourceGroupName);
}

/** For lists: the caller sees only what it may read (ARM filters list results by RBAC). */
export function readable<T extends { id: string }>(ctx: ArmContext, items: T[], action: string): T[] {
  return items.filter((item) => authorize(ctx.services, ctx.caller, action, item.id) === undefined);
}

/**
 * A list at a subscription or resource group: items filtered by what the caller may read; 403
 * when it may read nothing there, 404 when the container does not exist.
 */
export function listing<T extends { id: string }>(ctx: ArmContext, action: string, items: T[], serialize: (item: T) => unknown): SandboxResponse {
  const scope = scopeOf(ctx);
  const problem = guard(ctx, action, scope);
  if (problem && problem.status !== 403) return problem;
  const visible = readable(ctx, items.filter((i) => i.id.toLowerCase().startsWith(`${scope.toLowerCase()}/`)), action);
  if (problem && visible.length === 0) return problem;
  return page(ctx.req, ctx.services.endpoints.arm, visible, serialize);
}
