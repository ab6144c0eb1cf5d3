/**
 * The Logs screen's calls: what the form needs (the node's times, the autostorage destination,
 * each pool identity's write access there), then the upload itself, followed until every file is
 * listed. The choices and checks are `upload-logs`'s own (commands/upload-logs-plan.ts).
 */
import type { GatewayClients, Gateways } from '../../../azure/index.js';
import { StorageAccountGateway } from '../../../azure/index.js';
import type { StorageGateway } from '../../../azure/storage.js';
import { waitForUpload, type UploadProgress, type UploadWait } from '../../../azure/upload-wait.js';
import type { BatchAccountSummary, NodeDetail, PoolSummary } from '../../../domain/model.js';
import {
  checkWriteAccess,
  chooseDestination,
  chooseIdentity,
  missingWriteRole,
  type Destination,
  type WriteAccess,
  type WriterIdentity,
} from '../../../commands/upload-logs-plan.js';
import { storageFor, type IncidentServices } from './services.js';

export interface LogsTarget {
  account: BatchAccountSummary;
  pool: PoolSummary;
  node: string;
  gateways: Gateways;
  clients: GatewayClients;
  armEndpoint: string;
  incident: IncidentServices;
}

export interface Writer {
  identity: WriterIdentity;
  /** The static check against the autostorage container (undefined: no autostorage). */
  access?: WriteAccess;
}

export interface Prepared {
  node: NodeDetail;
  /** The autostorage container, or why there is none. */
  autostorage: Destination | { error: string };
  writers: Writer[];
  /** The writer chosen first: the node identity reference, else the only identity. */
  preferred: number;
}

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

function storageAccounts(t: LogsTarget): StorageAccountGateway {
  const subscriptionId = t.gateways.subscriptionId;
  return new StorageAccountGateway(t.clients.batchManagement(subscriptionId), {
    armEndpoint: t.armEndpoint,
    subscriptionId,
  });
}

export async function prepare(t: LogsTarget, signal: AbortSignal): Promise<Prepared> {
  const accounts = storageAccounts(t);
  const node = await t.gateways
    .data(t.account.accountEndpoint ?? '')
    .getNode(t.pool.name, t.node, { signal });
  const autostorage = await chooseDestination(t.account, undefined, accounts, signal).catch(
    (error: unknown) => ({ error: message(error) }),
  );
  let preferred = 0;
  try {
    const first = chooseIdentity(t.account, t.pool, undefined, false);
    preferred = Math.max(
      0,
      t.pool.identity.userAssignedIdentities.findIndex(
        (i) => i.resourceId === first?.ref.resourceId,
      ),
    );
  } catch {
    // Several identities and no reference: the operator picks one.
  }
  const writers: Writer[] = [];
  for (const ref of t.pool.identity.userAssignedIdentities) {
    const identity: WriterIdentity = { ref, why: 'a pool identity' };
    const access =
      'error' in autostorage
        ? undefined
        : await checkWriteAccess(identity, autostorage, t.gateways, accounts, signal);
    writers.push(access ? { identity, access } : { identity });
  }
  return { node, autostorage, writers, preferred };
}

export interface UploadChoice {
  start: Date;
  /** undefined: the autostorage container. */
  containerUrl?: string;
  /** undefined: the SAS in the URL authorizes the node. */
  writer?: Writer;
}

export interface Uploaded extends UploadWait {
  directory: string;
  destination: Destination;
  storage: StorageGateway;
}

export async function uploadLogs(
  t: LogsTarget,
  choice: UploadChoice,
  onProgress: (text: string, p?: UploadProgress) => void,
  signal: AbortSignal,
): Promise<Uploaded> {
  const accounts = storageAccounts(t);
  const destination = await chooseDestination(t.account, choice.containerUrl, accounts, signal);
  if (choice.writer === undefined && !destination.target.hasSas)
    throw new Error('The typed container URL has no SAS: choose a pool identity instead.');
  if (choice.writer) {
    onProgress(`Checking that ${choice.writer.identity.ref.name} may write there…`);
    const access = await checkWriteAccess(
      choice.writer.identity,
      destination,
      t.gateways,
      accounts,
      signal,
    );
    if (access.verdict.kind === 'missing')
      throw missingWriteRole(choice.writer.identity, destination);
  }
  const storage = storageFor(t.incident, destination.target, destination.containerUrl);
  const container = destination.target.container;
  // uploadbatchservicelogs needs an existing container; the default one is made when missing.
  if (destination.isDefault && !(await storage.containerExists(container, { signal }))) {
    onProgress(`Creating container ${container}…`);
    await storage.createContainer(container, { signal });
  }
  onProgress(`Asking node ${t.node} to upload its logs…`);
  const result = await t.gateways.data(t.account.accountEndpoint ?? '').uploadBatchServiceLogs(
    t.pool.name,
    t.node,
    {
      containerUrl: destination.containerUrl,
      startTime: choice.start,
      ...(choice.writer
        ? { identityReference: { resourceId: choice.writer.identity.ref.resourceId } }
        : {}),
    },
    { signal },
  );
  const directory = result.virtualDirectoryName;
  const wait = await waitForUpload(storage, container, directory, result.numberOfFilesUploaded, {
    signal,
    onProgress: (p) => onProgress(`Uploading to ${destination.shown}/${directory}`, p),
  });
  return { ...wait, directory, destination, storage };
}
