/**
 * The Batch service logs a node would upload (uploadbatchservicelogs), written from the node's
 * situation as the world knows it — never from names. The line that matters for A3 is Azure's own
 * (RULES.md §1, [S1]): `pool not fully joined yet, health=Status.TvmJoinPoolInProgress`. A failed
 * download quotes what storage answered for its cause (outcome.ts, STORAGE_ANSWER): 403
 * AuthorizationPermissionMismatch without a data role, 403 AuthorizationFailure behind the
 * firewall (MI017), 400 Bad Request for an identity the VM does not have.
 */
import type { BatchAccount, ComputeNode, Pool } from '../world/model.js';
import { isoTime } from '../world/ids.js';
import { isStuckJoining, TIMING } from '../world/behaviour.js';
import { applicationPackages, decideJoin, decideStartTask, STORAGE_ANSWER, startTask } from '../world/outcome.js';
import { resolveReference, usable } from '../world/applications.js';
import type { World } from '../world/world.js';

const MAX_REPEATS = 200;

const line = (at: number, level: string, text: string) => `${isoTime(at)} ${level.padEnd(5)} ${text}`;

function agentDebug(world: World, account: BatchAccount, pool: Pool, node: ComputeNode): string[] {
  const now = world.clock.now();
  const boot = node.allocationTime + TIMING.allocateMs;
  const joined = boot + TIMING.bootMs;
  const lines = [
    line(node.allocationTime, 'INFO', `batch node agent 1.12.10 allocated: pool=${pool.name} node=${node.id} vmSize=${node.vmSize}`),
    line(boot, 'INFO', `vm identities: ${node.identityResourceIds.length ? node.identityResourceIds.join(', ') : '(none)'}`),
    line(boot, 'INFO', `autostorage: ${account.autoStorage ? `${account.autoStorage.authenticationMode}, nodeIdentityReference=${account.autoStorage.nodeIdentityReference?.resourceId ?? 'null'}` : 'none'}`),
  ];
  if (node.state === 'creating' || now < boot) return lines;
  if (isStuckJoining(world, node) || node.state === 'starting') {
    // The agent polls the join state every few seconds and never gets past it.
    const from = boot + 5_000;
    const step = Math.max(5_000, Math.ceil((now - from) / MAX_REPEATS / 1000) * 1000);
    for (let t = from; t <= now; t += step) lines.push(line(t, 'INFO', 'pool not fully joined yet, health=Status.TvmJoinPoolInProgress'));
    return lines;
  }
  const join = decideJoin(world, account, pool, node, joined);
  for (const p of applicationPackages(pool)) {
    const reference = account.autoStorage?.authenticationMode === 'BatchAccountManagedIdentity' ? account.autoStorage.nodeIdentityReference?.resourceId : undefined;
    const resolved = resolveReference(world, account.id, p);
    if (join.kind === 'unusable' && reference && !node.identityResourceIds.some((id) => id.toLowerCase() === reference.toLowerCase())) {
      lines.push(line(joined, 'ERROR', `application package ${p.id} download failed: IMDS answered 400 Bad Request for identity ${reference} (not assigned to this VM); Message - Resource download failed`));
    } else if (join.kind === 'unusable' && !usable(resolved)) {
      lines.push(line(joined, 'ERROR', `application package ${resolved.label} download failed: the package does not exist or is not active; Message - Resource download failed`));
    } else if (join.kind === 'unusable') {
      lines.push(line(joined, 'ERROR', `application package ${p.id} download failed: Message - Resource download failed`));
    } else if (join.kind === 'ready' && join.packageProblem !== undefined && join.packageProblem !== 'ok') {
      const { status, code, message } = STORAGE_ANSWER[join.packageProblem];
      lines.push(line(joined, 'WARN', `application package ${p.id} download failed: HTTP ${status} ${code} ${message}`));
    } else lines.push(line(joined, 'INFO', `application package ${p.id} downloaded to $AZ_BATCH_NODE_SHARED_DIR/../applications`));
  }
  if (node.state === 'unusable') {
    lines.push(line(node.stateTransitionTime, 'ERROR', node.errors.length ? `node unusable: ${node.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}` : 'node unusable: account encryption key unavailable'));
    return lines;
  }
  lines.push(line(joined, 'INFO', 'joined pool'));
  if (startTask(pool) && node.startTaskInfo) {
    lines.push(line(node.startTaskInfo.startTime, 'INFO', 'start task: downloading resource files'));
    if (node.startTaskInfo.state === 'completed') {
      const result = decideStartTask(world, account, pool, node, node.startTaskInfo.endTime ?? now);
      const end = node.startTaskInfo.endTime ?? now;
      if (result.kind === 'success') lines.push(line(end, 'INFO', 'start task completed, exit code 0'));
      else {
        // What storage said, for this cause: no data role, the firewall, or the 400 for an identity the VM lacks.
        const { status, code, message } = result.storage;
        lines.push(line(end, 'ERROR', `start task resource file download failed: HTTP ${status} ${code ? `${code} ${message}` : message}`));
        lines.push(line(end, 'ERROR', `start task failed: category=usererror code=${result.code} message=${result.message}`));
      }
    }
  }
  lines.push(line(node.stateTransitionTime, 'INFO', `node state ${node.state}`));
  return lines;
}

/** File name → content, as uploaded under `{pool}/{node}/{guid}/`. */
export function serviceLogs(world: World, account: BatchAccount, pool: Pool, node: ComputeNode): Array<{ name: string; content: string }> {
  const debug = agentDebug(world, account, pool, node);
  const at = node.allocationTime;
  return [
    { name: 'agent-debug.log', content: `${debug.join('\n')}\n` },
    { name: 'agent.log', content: `${debug.filter((l) => !l.includes(' DEBUG ')).slice(-50).join('\n')}\n` },
    { name: 'controller.log', content: `${line(at, 'INFO', `controller started for node ${node.id}`)}\n` },
    { name: 'watchdog.log', content: `${line(at, 'INFO', 'watchdog started')}\n` },
  ];
}
