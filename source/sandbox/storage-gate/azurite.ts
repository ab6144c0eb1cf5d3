/**
 * Azurite's blob service, run in-process behind the storage gate: in memory, HTTPS with the
 * sandbox's certificate, OAuth 'basic' (it checks token dates, issuer prefix and audience; the
 * gate does signature and RBAC), and no api-version check (storage-blob sends versions newer
 * than Azurite knows).
 *
 * Accounts: Azurite reads AZURITE_ACCOUNTS once at start (and re-reads it every minute). Storage
 * accounts created later through ARM must work at once, so the gate registers every account it
 * serves in a map of our own that the running Azurite consults: `getAccount` of its account store
 * is replaced on this one instance (in ./azurite-worker.ts). No restart, no spare accounts, and
 * SAS signatures (which name the account) stay valid because Azurite knows each account under
 * its real name.
 *
 * Azurite is a dev dependency (hundreds of MB): a published install may lack it. `locateAzurite`
 * finds it locally or in the global npm prefix (`npm install -g azurite`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export const AZURITE_MISSING_MESSAGE =
  'The sandbox needs Azurite for its blob storage and it is not installed: run `npm install -g azurite` and try again.';

/** Where a global `npm install -g` puts packages, from the environment and the node binary's place. */
function globalModuleDirs(): string[] {
  const prefixes = [
    process.env.npm_config_prefix,
    process.env.PREFIX,
    // <prefix>/bin/node on POSIX (packages in <prefix>/lib/node_modules), <prefix>\node.exe on Windows.
    join(dirname(process.execPath), '..'),
    dirname(process.execPath),
  ].filter((p): p is string => Boolean(p));
  return [
    ...(process.env.NODE_PATH ?? '').split(delimiter).filter(Boolean),
    ...prefixes.flatMap((p) => [join(p, 'lib', 'node_modules'), join(p, 'node_modules')]),
  ];
}

/**
 * The azurite package directory: beside the program (a development checkout), else in a global
 * npm prefix; undefined when it is installed nowhere we look.
 */
export function locateAzurite(
  options: { local?: boolean; moduleDirs?: string[] } = {},
): string | undefined {
  if (options.local ?? true) {
    try {
      return dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
    } catch {
      // not beside the program
    }
  }
  const dirs = options.moduleDirs ?? globalModuleDirs();
  return dirs
    .map((dir) => join(dir, 'azurite'))
    .find((dir) => existsSync(join(dir, 'dist', 'src', 'blob', 'BlobServer.js')));
}

export interface RunningAzurite {
  port: number;
  /** Makes an account (with its shared key) known to the running Azurite. */
  ensureAccount(name: string, key: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** The worker's entry: compiled .js in the package, the .ts itself in development. */
function workerEntry(): URL {
  const js = new URL('./azurite-worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./azurite-worker.ts', import.meta.url);
}

/** Starts Azurite from `dir` in a worker thread (see ./azurite-worker.ts) on a free 127.0.0.1 port. */
export async function startAzurite(
  dir: string,
  tls: { certFile: string; keyFile: string },
): Promise<RunningAzurite> {
  const worker = new Worker(workerEntry(), {
    workerData: { dir, certFile: tls.certFile, keyFile: tls.keyFile },
  });
  const known = new Map<string, Promise<void>>();
  const acks = new Map<number, () => void>();
  let nextId = 0;
  let closed = false;
  worker.on('message', (message: { type: string; id?: number }) => {
    if (message.type === 'ack' && message.id !== undefined) acks.get(message.id)?.();
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: { type: string; port?: number; message?: string }) => {
      if (message.type === 'ready') resolve(message.port ?? 0);
      if (message.type === 'error')
        reject(new Error(`Azurite could not start: ${message.message ?? 'unknown error'}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Azurite's worker exited with code ${code}.`)));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    port,
    ensureAccount(name, key) {
      let done = known.get(name);
      if (!done) {
        const id = nextId++;
        done = new Promise<void>((resolve) =>
          acks.set(id, () => {
            acks.delete(id);
            resolve();
          }),
        );
        known.set(name, done);
        worker.postMessage({ type: 'account', name, key: key.toString('base64'), id });
      }
      return done;
    },
    async close() {
      if (closed) return;
      closed = true;
      const finished = new Promise<void>((resolve) => {
        worker.on('message', (message: { type: string }) => {
          if (message.type === 'closed') resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      // Azurite's close waits for its HTTP server; give it a moment, then end the thread anyway.
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}
