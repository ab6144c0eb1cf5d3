/**
 * `batch-mi-tui upload-logs --account NAME --pool ID --node ID [--since DURATION]
 * [--container-url URL] [--identity RESOURCE_ID] [--json]` (SPEC §3 screen 7): the portal's
 * "Upload batch logs", then what the operator does next by hand — wait, list, open agent-debug.log
 * and look for the line that explains the node.
 *
 * - Destination: --container-url, or the `batch-logs` container of the account's autostorage.
 *   uploadbatchservicelogs needs an existing container (the node only writes blobs), so the default
 *   container is created with the operator's credential when missing; a given one must exist.
 * - Identity: --identity, else the node identity reference when it is on the pool, else the pool's
 *   only identity; none with a SAS URL. Its write access is checked from its role assignments
 *   first: a refused upload would just never arrive.
 * - Then uploadbatchservicelogs, and the container is listed under `virtualDirectoryName` until
 *   `numberOfFilesUploaded` blobs are there (progress on stderr in a terminal), for at most
 *   BATCH_MI_TUI_UPLOAD_TIMEOUT seconds (default 120).
 *
 * Exit 0 uploaded and listed; 1 a failed check (no write role, files did not arrive); 2 bad input,
 * sign-in or permission failure (e.g. the operator may not list the container).
 */
import type { Connection } from '../cloud/connect.js';
import type { StorageGateway } from '../azure/storage.js';
import { DomainError, exitCodeFor } from '../domain/errors.js';
import { formatDuration, parseDuration } from '../domain/duration.js';
import {
  commonOptions,
  failureMessage,
  stopSignal,
  wantsColour,
  type Output,
} from './run-support.js';
import {
  BadInput,
  CheckFailed,
  checkWriteAccess,
  chooseDestination,
  chooseIdentity,
  findAccount,
  findPool,
  missingWriteRole,
  type Destination,
} from './upload-logs-plan.js';
import { formatUploadReport, uploadJson, type UploadReport } from './upload-logs-output.js';
import { appendDebug, painter } from './validate-token-output.js';

const DAY_MS = 86_400_000;

const text = (values: Record<string, string | true>, name: string) =>
  typeof values[name] === 'string' ? values[name] : undefined;

async function subscriptionFor(connection: Connection, env: NodeJS.ProcessEnv): Promise<string> {
  const chosen = connection.profile.subscriptionId ?? (env.AZURE_SUBSCRIPTION_ID || undefined);
  if (chosen) return chosen;
  const { openSettings } = await import('../settings.js');
  const last = openSettings({ env }).store.get('lastSubscription');
  if (last) return last;
  throw new BadInput(
    'No subscription to look for the account in: set AZURE_SUBSCRIPTION_ID, or pick one once in the interactive program.',
  );
}

/** The operator's view of the destination container (its SAS, if the URL has one). */
async function destinationStorage(connection: Connection, d: Destination): Promise<StorageGateway> {
  const { StorageGateway, blobServiceForSas } = await import('../azure/storage.js');
  if (d.target.hasSas) {
    const query = d.containerUrl.slice(d.containerUrl.indexOf('?'));
    const tls = connection.trust.tlsOptions;
    return new StorageGateway(
      blobServiceForSas(`${d.target.serviceUrl}${query}`, tls ? { tlsOptions: tls } : {}),
    );
  }
  return new StorageGateway(connection.clients.blobService(d.target.serviceUrl));
}

async function ensureContainer(
  storage: StorageGateway,
  d: Destination,
  output: Output,
  signal: AbortSignal,
) {
  const container = d.target.container;
  let exists: boolean;
  try {
    exists = await storage.containerExists(container, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    output.err(
      `batch-mi-tui: could not tell whether container ${container} exists (${failureMessage(error)}); asking the node anyway.\n`,
    );
    return;
  }
  if (exists) return;
  if (!d.isDefault)
    throw new BadInput(
      `Container ${container} does not exist in storage account ${d.target.accountName}; create it (az storage container create --auth-mode login --account-name ${d.target.accountName} --name ${container}) or pass another --container-url.`,
    );
  await storage.createContainer(container, { signal });
  output.err(
    `Created container ${container} in storage account ${d.target.accountName} (uploadbatchservicelogs needs an existing container).\n`,
  );
}

/** Lists the upload's virtual directory until every file is there, or the wait runs out. */
async function follow(
  storage: StorageGateway,
  d: Destination,
  expected: UploadReport['result'],
  output: Output,
  signal: AbortSignal,
) {
  const timeoutMs = (Number(output.env.BATCH_MI_TUI_UPLOAD_TIMEOUT) || 120) * 1000;
  const progress = process.stderr.isTTY === true && !output.env.CI;
  const { waitForUpload } = await import('../azure/upload-wait.js');
  const wait = await waitForUpload(
    storage,
    d.target.container,
    expected.virtualDirectoryName,
    expected.numberOfFilesUploaded,
    {
      timeoutMs,
      signal,
      ...(progress
        ? {
            onProgress: (p) =>
              output.err(
                `\rWaiting for the upload: ${p.listed} of ${p.expected} files (${formatDuration(p.waitedMs)})…\u001b[K`,
              ),
          }
        : {}),
    },
  );
  if (wait.complete) {
    if (progress) output.err('\r\u001b[K');
    return wait.files;
  }
  if (progress) output.err('\n');
  throw new CheckFailed(
    `After ${formatDuration(wait.waitedMs)}, ${wait.files.length} of ${expected.numberOfFilesUploaded} files are in ${d.shown}/${expected.virtualDirectoryName}: the node may still be uploading (list the folder again later), or the identity it writes with may not write there.`,
  );
}

export async function runUploadLogsCommand(
  values: Record<string, string | true>,
  output: Output,
): Promise<number> {
  const json = values.json === true;
  const debug = text(values, 'debug');
  const stop = stopSignal(output);
  const signal = stop.signal;
  let connection: Connection | undefined;
  try {
    const sinceText = text(values, 'since') ?? '1h';
    const sinceMs = parseDuration(sinceText) ?? 3_600_000;
    if (sinceMs > DAY_MS)
      output.err(
        `batch-mi-tui: --since ${sinceText} is over 24 hours: the node uploads every log file that overlaps the window, which can be many large files and take a while.\n`,
      );
    const { connect } = await import('../cloud/connect.js');
    connection = await connect(commonOptions(values));
    const { createGateways, describeRetry, StorageAccountGateway } =
      await import('../azure/index.js');
    const subscriptionId = await subscriptionFor(connection, output.env);
    const where = { armEndpoint: connection.profile.armEndpoint, subscriptionId };
    const retry = {
      onRetry: (e: Parameters<typeof describeRetry>[0]) =>
        output.err(`batch-mi-tui: ${e.operation}: ${describeRetry(e)}\n`),
    };
    const gateways = createGateways(connection.clients, where, retry);
    const storageAccounts = new StorageAccountGateway(
      connection.clients.batchManagement(subscriptionId),
      where,
      retry,
    );

    const account = await findAccount(gateways, text(values, 'account') ?? '', signal);
    const pool = await findPool(gateways, account, text(values, 'pool') ?? '', signal);
    const nodeId = text(values, 'node') ?? '';
    const data = gateways.data(account.accountEndpoint ?? '');
    await data.getNode(pool.name, nodeId, { signal }).catch((error: unknown) => {
      if (error instanceof DomainError && error.kind === 'NotFound')
        throw new BadInput(`There is no node '${nodeId}' in pool '${pool.name}'.`);
      throw error;
    });
    const destination = await chooseDestination(
      account,
      text(values, 'container-url'),
      storageAccounts,
      signal,
    );
    const identity = chooseIdentity(
      account,
      pool,
      text(values, 'identity'),
      destination.target.hasSas,
    );
    // Checked before anything is created: a refused upload should change nothing.
    if (identity) {
      const access = await checkWriteAccess(
        identity,
        destination,
        gateways,
        storageAccounts,
        signal,
      );
      output.err(`${access.line}\n`);
      if (access.verdict.kind === 'missing') throw missingWriteRole(identity, destination);
    }
    const storage = await destinationStorage(connection, destination);
    await ensureContainer(storage, destination, output, signal);

    const result = await data.uploadBatchServiceLogs(
      pool.name,
      nodeId,
      {
        containerUrl: destination.containerUrl,
        startTime: new Date(Date.now() - sinceMs),
        ...(identity ? { identityReference: { resourceId: identity.ref.resourceId } } : {}),
      },
      { signal },
    );
    output.err(
      `Node ${nodeId} is uploading ${result.numberOfFilesUploaded} files to ${destination.shown}/${result.virtualDirectoryName}\n`,
    );
    const files = await follow(storage, destination, result, output, signal).catch(
      (error: unknown) => {
        // The upload was asked for and may well succeed: say where, then why it cannot be seen.
        if (error instanceof DomainError && !signal.aborted)
          output.err(
            `batch-mi-tui: the node is uploading to ${destination.shown}/${result.virtualDirectoryName}, but the files cannot be listed.\n`,
          );
        throw error;
      },
    );

    const { SignatureScan } = await import('../domain/logs/signatures.js');
    const scan = new SignatureScan();
    const debugLog = files.find(
      (f) => f.name.endsWith('/agent-debug.log') || f.name === 'agent-debug.log',
    );
    let explainingText: string | undefined;
    if (debugLog) {
      const index = await storage.openLines(
        destination.target.container,
        debugLog.name,
        {},
        { signal },
      );
      for (let at = 0; at < index.lineCount || !index.complete; at += 2048) {
        const lines = await index.lines(at, 2048, signal);
        if (!lines.length) break;
        lines.forEach((l, i) => scan.add(l, at + i));
      }
      const line = scan.explanation()?.match.line;
      if (line !== undefined)
        explainingText = (await index.lines(line, 1, signal))[0]?.slice(0, 300);
    }
    const explaining = scan.explanation();
    const report: UploadReport = {
      account: account.name,
      pool: pool.name,
      node: nodeId,
      container: destination.shown,
      ...(identity ? { identity: identity.ref.resourceId } : {}),
      since: formatDuration(sinceMs),
      result,
      files,
      signatures: scan.results(),
      ...(explaining ? { explaining } : {}),
      ...(explainingText !== undefined ? { explainingText } : {}),
    };
    const document = uploadJson(report);
    appendDebug(debug, 'upload-logs report', JSON.stringify(document, null, 2));
    output.out(
      json
        ? `${JSON.stringify(document, null, 2)}\n`
        : formatUploadReport(report, painter(wantsColour(output))),
    );
    return 0;
  } catch (error) {
    if (signal.aborted) return stop.code();
    appendDebug(debug, 'upload-logs failed', error);
    if (error instanceof DomainError) {
      output.err(
        `batch-mi-tui: ${error.message.replace(/\.$/, '')}. ${error.nextStep.replace(/\.$/, '')}.\n`,
      );
      return exitCodeFor(error);
    }
    output.err(`batch-mi-tui: ${failureMessage(error)}\n`);
    return error instanceof CheckFailed ? 1 : 2;
  } finally {
    stop.dispose();
    await connection?.close();
  }
}
