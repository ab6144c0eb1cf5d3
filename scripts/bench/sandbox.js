// A standalone sandbox (`batch-mi-tui sandbox --profile-out FILE`, the built program) for the
// figures that are about the program alone: run in its own process, the sandbox's memory and CPU
// are not counted against the program measured through `--cloud FILE`.
//
// It is started with `--port P`, so its listeners are P (ARM), P+1 (Entra), P+2 (storage), P+3
// (IMDS) and P+4, the control listener whose GET/POST/DELETE /faults inject faults from this
// process (source/sandbox/server.ts), over the sandbox's TLS (the profile's CA).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ENTRY } from './terminal.js';

/** Whether 127.0.0.1:port can be listened on now. */
function free(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** A base port with the next four free too (the sandbox's five fixed listeners). */
async function freePorts(count = 5) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error('no five consecutive free ports for the sandbox');
}

export async function startSandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-bench-sandbox-'));
  const profile = path.join(dir, 'profile.json');
  const port = await freePorts();
  const child = spawn(
    process.execPath,
    [ENTRY, 'sandbox', '--profile-out', profile, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the sandbox did not start:\n${output}`)),
      60_000,
    );
    const poll = setInterval(() => {
      if (output.includes('sandbox is running')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code}):\n${output}`));
    });
  });
  const { caCertFile } = JSON.parse(fs.readFileSync(profile, 'utf8'));
  const ca = caCertFile ? fs.readFileSync(caCertFile) : undefined;
  const control = (method, body) =>
    new Promise((resolve, reject) => {
      const request = https.request(
        `https://127.0.0.1:${port + 4}/faults`,
        { method, ca, headers: body ? { 'content-type': 'application/json' } : {} },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          response.on('end', () => {
            if ((response.statusCode ?? 0) >= 300)
              reject(new Error(`${method} /faults: ${response.statusCode} ${text}`));
            else resolve(text ? JSON.parse(text) : undefined);
          });
        },
      );
      request.on('error', reject);
      request.end(body ? JSON.stringify(body) : undefined);
    });
  return {
    profile,
    /** The sandbox process, e.g. to check it is not the one measured. */
    pid: child.pid,
    faults: {
      /** Adds a rule (source/sandbox/faults.ts FaultRule; `match` as a regex source). */
      add: (rule) => control('POST', rule),
      /** The rules still armed, with their hits. */
      list: () => control('GET'),
      clear: () => control('DELETE'),
    },
    async stop() {
      child.kill('SIGINT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
