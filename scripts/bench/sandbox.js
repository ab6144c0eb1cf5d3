// A standalone sandbox (`batch-mi-tui sandbox --profile-out FILE`, the built program) for the
// figures that are about the program alone: run in its own process, the sandbox's memory and CPU
// are not counted against the program measured through `--cloud FILE`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENTRY } from './terminal.js';

export async function startSandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-bench-sandbox-'));
  const profile = path.join(dir, 'profile.json');
  const child = spawn(process.execPath, [ENTRY, 'sandbox', '--profile-out', profile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return {
    profile,
    async stop() {
      child.kill('SIGINT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
