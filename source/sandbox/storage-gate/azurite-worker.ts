/**
 * Runs Azurite's blob service in a worker thread. Loading Azurite takes 0.4–1.4 s of synchronous
 * require() work; on the main thread that would freeze the program's first frames while the
 * embedded sandbox starts. In a worker it costs the main thread nothing, and it still lives and
 * dies with the process (no child process to leave behind).
 *
 * Self-contained on purpose (node: modules and Azurite only): it runs as its own entry, compiled
 * .js in the package, the .ts itself under Node's type stripping in development.
 *
 * Messages: in { type: 'account', name, key, id } | { type: 'close' };
 * out { type: 'ready', port } | { type: 'error', message } | { type: 'ack', id } | { type: 'closed' }.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Server } from 'node:https';

interface Input {
  dir: string;
  certFile: string;
  keyFile: string;
}

interface AzuriteAccount {
  name: string;
  key1: Buffer;
}

interface BlobServerInstance {
  start(): Promise<void>;
  close(): Promise<void>;
  httpServer: Server;
  accountDataStore: { getAccount(name: string): AzuriteAccount | undefined };
}

type Message = { type: 'account'; name: string; key: string; id: number } | { type: 'close' };

async function main(input: Input): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const require = createRequire(join(input.dir, 'package.json'));
  /* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call */
  const BlobServer = require(join(input.dir, 'dist/src/blob/BlobServer.js')).default;
  const BlobConfiguration = require(join(input.dir, 'dist/src/blob/BlobConfiguration.js')).default;
  const { MemoryExtentChunkStore } = require(
    join(input.dir, 'dist/src/common/persistence/MemoryExtentStore.js'),
  );
  const configuration = new BlobConfiguration(
    '127.0.0.1',
    0, // port: any free one
    5, // keep-alive timeout (s)
    'sandbox-blob-metadata', // LokiJS database names (in memory, never written)
    'sandbox-blob-extents',
    undefined, // persistence paths: unused in memory
    false, // access log
    undefined,
    false, // debug log
    undefined,
    true, // loose: ignore headers Azurite does not support instead of failing
    true, // skipApiVersionCheck
    input.certFile,
    input.keyFile,
    '',
    'basic',
    true, // disableProductStyleUrl: always path-style (/<account>/<container>/<blob>)
    true, // in-memory persistence
    new MemoryExtentChunkStore(256 * 1024 * 1024),
  );
  const server = new BlobServer(configuration) as BlobServerInstance;
  /* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call */

  // Accounts come from the gate as it meets them, not from AZURITE_ACCOUNTS (read once at start).
  const accounts = new Map<string, AzuriteAccount>();
  server.accountDataStore.getAccount = (name: string) => accounts.get(name);

  port.on('message', (message: Message) => {
    if (message.type === 'account') {
      accounts.set(message.name, { name: message.name, key1: Buffer.from(message.key, 'base64') });
      port.postMessage({ type: 'ack', id: message.id });
    } else {
      const stopped = new Promise<void>((resolve) => {
        if (!server.httpServer.listening) resolve();
        else server.httpServer.once('close', () => resolve());
      });
      void server
        .close()
        .then(() => stopped)
        .finally(() => {
          port.postMessage({ type: 'closed' });
          port.close();
        });
    }
  });
  await server.start();
  const address = server.httpServer.address();
  port.postMessage({
    type: 'ready',
    port: address !== null && typeof address === 'object' ? address.port : 0,
  });
}

main(workerData as Input).catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  });
});
