/**
 * Runs the built program (dist/cli.js) as a child process, the way a script would: stdout and
 * stderr piped, no terminal. Asynchronous on purpose: the tests run the sandbox in their own
 * process, and a synchronous spawn would block the very event loop that has to answer the child.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningSandbox } from '../../source/sandbox/index.js';

export const ENTRY = path.resolve('dist/cli.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  done: Promise<Result>;
}

/** A scratch directory with the sandbox's profile (mode 600: it holds a client secret) and settings. */
export function scratch(sandbox: RunningSandbox, settings: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-commands-'));
  const profile = path.join(dir, 'profile.json');
  fs.writeFileSync(profile, JSON.stringify(sandbox.profile), { mode: 0o600 });
  const config = path.join(dir, 'config');
  fs.mkdirSync(config);
  // conf keeps the settings in <dir>/config.json; BATCH_MI_TUI_CONFIG_DIR points the program at it.
  fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify(settings));
  return { dir, profile, config, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function start(args: string[], env: Record<string, string> = {}): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // Keep the child's environment neutral: no CI switch, no subscription from the developer's shell.
  delete childEnv.CI;
  delete childEnv.AZURE_SUBSCRIPTION_ID;
  delete childEnv.NO_COLOR;
  const child = spawn(process.execPath, [ENTRY, ...args], { env: childEnv, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Result>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export async function run(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Result> {
  const running = start(args, env);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/** One line, ending in a full stop: SPEC §2's "one clear sentence". */
export const oneSentence = (text: string): boolean =>
  text.trim().split('\n').length === 1 && /[.)]$/.test(text.trim());
