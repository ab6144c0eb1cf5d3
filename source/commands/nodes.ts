/**
 * `batch-mi-tui nodes --account NAME --pool ID [--watch] [--json]`: a pool's compute nodes with
 * their state counts, or (--watch) their state transitions as they happen, until Ctrl+C.
 *
 * Reads only: the gateways are built read-only, so nothing this command does can change Azure.
 * The account is found by name among the subscription's Batch accounts (one ARM listing), and
 * its nodes are read from its data plane (accountEndpoint), paged with $select.
 *
 * stdout carries the result only (the table, the JSON document, or one transition per line);
 * retries and the watch banner go to stderr, so `--json` output can be piped as it is.
 */
import type { Connection } from '../cloud/connect.js';
import { DomainError, exitCodeFor, isDomainError } from '../domain/errors.js';
import type { NodeRow } from '../domain/model.js';
import { countNodeStates, diffSnapshots, formatTransition, snapshotOf } from '../domain/nodes.js';
import type { CommonOptions } from '../options.js';
import {
  formatCounts,
  formatTable,
  localClock,
  nodesDocument,
  transitionJson,
} from './nodes-format.js';
import {
  commonOptions,
  failureMessage,
  stopSignal,
  wantsColour,
  type Output,
} from './run-support.js';

export interface NodesOptions extends CommonOptions {
  account: string;
  pool: string;
  watch: boolean;
  json: boolean;
  subscription?: string;
}

export function nodesOptions(values: Record<string, string | true>): NodesOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    ...commonOptions(values),
    account: text('account') ?? '',
    pool: text('pool') ?? '',
    watch: values.watch === true,
    json: values.json === true,
    ...(text('subscription') === undefined ? {} : { subscription: text('subscription') }),
  };
}

/** A failure the operator caused (a name that does not exist): one sentence, exit 2. */
class BadInput extends Error {}

/**
 * The subscription to search: --subscription, the profile's, AZURE_SUBSCRIPTION_ID (as azd and
 * the Azure SDK samples use it), then the one the interactive program last used.
 */
async function subscriptionFor(connection: Connection, env: NodeJS.ProcessEnv): Promise<string> {
  const chosen = connection.profile.subscriptionId ?? (env.AZURE_SUBSCRIPTION_ID || undefined);
  if (chosen) return chosen;
  const { openSettings } = await import('../settings.js');
  const last = openSettings({ env }).store.get('lastSubscription');
  if (last) return last;
  throw new BadInput(
    'No subscription to look for the account in: set AZURE_SUBSCRIPTION_ID, or pick one once in the interactive program (it is remembered).',
  );
}

interface Target {
  accountName: string;
  list(signal: AbortSignal): Promise<NodeRow[]>;
}

async function findTarget(
  connection: Connection,
  options: NodesOptions,
  output: Output,
  signal: AbortSignal,
): Promise<Target> {
  const { createGateways, describeRetry } = await import('../azure/index.js');
  const subscriptionId = await subscriptionFor(connection, output.env);
  const gateways = createGateways(
    connection.clients,
    { armEndpoint: connection.profile.armEndpoint, subscriptionId },
    {
      readOnly: true,
      onRetry: (e) => output.err(`batch-mi-tui: ${e.operation}: ${describeRetry(e)}\n`),
    },
  );
  const wanted = options.account.toLowerCase();
  const matches = (await gateways.management.listAccounts({ signal })).filter(
    (a) => a.name.toLowerCase() === wanted,
  );
  const account = matches[0];
  if (!account)
    throw new BadInput(
      `There is no Batch account named '${options.account}' in subscription ${subscriptionId}.`,
    );
  if (matches.length > 1)
    throw new BadInput(
      `Several Batch accounts are named '${options.account}' in subscription ${subscriptionId} (${matches.map((a) => `${a.location}, ${a.resourceGroup}`).join('; ')}); this command cannot tell them apart yet.`,
    );
  if (!account.accountEndpoint)
    throw new BadInput(
      `Batch account '${account.name}' has no account endpoint yet (provisioning state ${account.provisioningState ?? 'unknown'}).`,
    );
  const data = gateways.data(account.accountEndpoint);
  return {
    accountName: account.name,
    async list(listSignal) {
      try {
        return (await data.listNodes(options.pool, { signal: listSignal })).items;
      } catch (error) {
        // Batch answers 404 PoolNotFound for a pool id the account does not have.
        if (isDomainError(error) && error.kind === 'NotFound')
          throw new BadInput(
            `There is no pool '${options.pool}' in Batch account '${account.name}'.`,
          );
        throw error;
      }
    },
  };
}

function printSnapshot(
  output: Output,
  options: NodesOptions,
  accountName: string,
  nodes: NodeRow[],
) {
  const now = new Date();
  const counts = countNodeStates(nodes);
  if (options.json) {
    output.out(`${JSON.stringify(nodesDocument(accountName, options.pool, nodes, counts, now))}\n`);
    return;
  }
  const colour = wantsColour(output);
  const table = formatTable(nodes, now, {
    colour,
    ...(output.columns === undefined ? {} : { columns: output.columns }),
  });
  const title = `Pool ${options.pool} of Batch account ${accountName}: ${formatCounts(counts)}`;
  output.out(`${[title, '', ...(nodes.length ? table : [])].join('\n')}\n`);
}

/** Errors worth another poll: Azure busy or unreachable for a moment. Anything else ends the watch. */
const transient = (error: unknown) =>
  isDomainError(error) && (error.kind === 'Network' || error.kind === 'Throttled');

async function watch(
  output: Output,
  options: NodesOptions,
  target: Target,
  first: NodeRow[],
  signal: AbortSignal,
): Promise<void> {
  const { openSettings } = await import('../settings.js');
  const seconds = openSettings({ env: output.env }).store.get('refreshSeconds');
  output.err(
    `Watching pool ${options.pool} for state transitions every ${seconds}s; Ctrl+C stops.\n`,
  );
  let previous = snapshotOf(first, new Date());
  const { setTimeout: sleep } = await import('node:timers/promises');
  while (!signal.aborted) {
    try {
      await sleep(seconds * 1000, undefined, { signal });
      const nodes = await target.list(signal);
      const next = snapshotOf(nodes, new Date());
      for (const t of diffSnapshots(previous, next)) {
        output.out(
          options.json
            ? `${transitionJson(target.accountName, options.pool, t)}\n`
            : `${formatTransition(t, localClock)}\n`,
        );
      }
      previous = next;
    } catch (error) {
      if (signal.aborted) return;
      if (!transient(error)) throw error;
      output.err(`batch-mi-tui: ${failureMessage(error)}; trying again in ${seconds}s.\n`);
    }
  }
}

export async function runNodesCommand(
  values: Record<string, string | true>,
  output: Output,
): Promise<number> {
  const options = nodesOptions(values);
  const stop = stopSignal(output);
  // Ctrl+C is how a watch ends, so it is a success there; elsewhere it interrupted the command.
  const stopped = () => (options.watch ? 0 : stop.code());
  let connection: Connection | undefined;
  try {
    const { connect } = await import('../cloud/connect.js');
    connection = await connect(options);
    if (stop.signal.aborted) return stopped();
    const target = await findTarget(connection, options, output, stop.signal);
    const nodes = await target.list(stop.signal);
    printSnapshot(output, options, target.accountName, nodes);
    if (options.watch) await watch(output, options, target, nodes, stop.signal);
    return 0;
  } catch (error) {
    if (stop.signal.aborted) return stopped();
    output.err(`batch-mi-tui: ${failureMessage(error)}\n`);
    // Bad names, a missing profile and a failed sign-in are the operator's to fix (SPEC §2: 2).
    if (error instanceof BadInput || !(error instanceof DomainError)) return 2;
    return exitCodeFor(error);
  } finally {
    stop.dispose();
    await connection?.close();
  }
}
