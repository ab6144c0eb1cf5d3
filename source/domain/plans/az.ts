/**
 * The `az` command equivalent to each step, with the real ids filled in, for operators who
 * prefer to run it themselves or must hand it to someone with the rights. Written for bash/zsh:
 * JSON bodies in single quotes. The ARM PATCHes are the ones the flows send (Microsoft.Batch
 * api-version of the doctor's fixes), so the command does exactly what the step does.
 */
import { BATCH_API_VERSION, roleAssignmentCreate } from '../doctor/fixes.js';
import { lastSegment } from '../model.js';
import type { AccountTarget, PoolTarget } from './types.js';

const quote = (value: unknown): string => `'${JSON.stringify(value)}'`;

function patch(armEndpoint: string, id: string, body: unknown, ifMatch?: string): string {
  const base = armEndpoint.replace(/\/+$/, '');
  const headers = ifMatch ? ` --headers 'If-Match=${ifMatch}'` : '';
  return `az rest --method patch --url "${base}${id}?api-version=${BATCH_API_VERSION}"${headers} --body ${quote(body)}`;
}

const identityBody = (type: string, ids: string[]) => ({
  type,
  ...(ids.length ? { userAssignedIdentities: Object.fromEntries(ids.map((i) => [i, {}])) } : {}),
});

export function azAccountIdentity(
  armEndpoint: string,
  account: AccountTarget,
  type: string,
  ids: string[],
): string {
  return patch(armEndpoint, account.id, { identity: identityBody(type, ids) });
}

export function azAutoStorage(
  armEndpoint: string,
  account: AccountTarget,
  autoStorage: unknown,
): string {
  return patch(armEndpoint, account.id, { properties: { autoStorage } });
}

/** The pool PATCH with If-Match, as the flow sends it: it fails (412) if the pool changed since. */
export function azPoolIdentity(armEndpoint: string, pool: PoolTarget, ids: string[]): string {
  return patch(
    armEndpoint,
    pool.id,
    { identity: identityBody(ids.length ? 'UserAssigned' : 'None', ids) },
    pool.etag,
  );
}

export function azRoleAssignment(principal: string, roleName: string, scope: string): string {
  return roleAssignmentCreate(principal, roleName, scope);
}

const resize = (pool: PoolTarget, dedicated: number, lowPriority: number): string =>
  `az batch pool resize --pool-id ${pool.name} --target-dedicated-nodes ${dedicated} --target-low-priority-nodes ${lowPriority}`;

/**
 * Resize to 0, wait until the pool is steady, resize back (RULES.md MI010, [S2][I3]): nodes get
 * the pool's identities, and decide packages and start-task files, only when they are allocated.
 */
export function azResize(
  pool: PoolTarget,
  size: { dedicated: number; lowPriority: number },
  viaZero: boolean,
): string {
  const login = `az batch account login -g ${pool.resourceGroup} -n ${pool.accountName}`;
  const back = resize(pool, size.dedicated, size.lowPriority);
  if (!viaZero) return `${login} && ${back}`;
  const wait = `until [ "$(az batch pool show --pool-id ${pool.name} --query allocationState -o tsv)" = steady ]; do sleep 15; done`;
  return `${login} && ${resize(pool, 0, 0)} && ${wait} && ${back}`;
}

/** "id-batch-nodes" for an identity id, the name for anything else. */
export const nameOf = (id: string): string => lastSegment(id);
