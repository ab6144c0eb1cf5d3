import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/index.js';
import { ENTRY, PtySession, expectRestored } from './pty.js';

// The published package as a user gets it: packed, then installed into an empty project.
// Azurite is a dev dependency, so it must not come along; without it --sandbox says in one
// sentence what to install, and everything else still works (here: against a sandbox that the
// test runs in its own process, reached through a profile file).
let work: string;
let installed: string;
let sandbox: RunningSandbox | undefined;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
}

beforeAll(() => {
  if (!fs.existsSync(ENTRY))
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-packed-'));
  // dist/ is already built by `npm test`; --ignore-scripts skips prepack's second build.
  const tarball =
    npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', work], process.cwd())
      .trim()
      .split('\n')
      .pop() ?? '';
  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "packed-check", "private": true }\n');
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      path.join(work, tarball),
    ],
    app,
  );
  installed = path.join(app, 'node_modules', 'batch-mi-tui', 'dist', 'cli.js');
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function runInstalled(args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_prefix: path.join(work, 'empty-prefix'),
    NODE_PATH: '',
  };
  delete env.CI;
  return spawnSync(process.execPath, [installed, ...args], {
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
}

describe('the packed package', () => {
  it('installs without Azurite', () => {
    expect(fs.existsSync(installed)).toBe(true);
    expect(fs.existsSync(path.join(work, 'app', 'node_modules', 'azurite'))).toBe(false);
  });

  it('answers --version', () => {
    const result = runInstalled(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('says in one sentence what to install when the sandbox is asked for', () => {
    const result = runInstalled(['sandbox']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('npm install -g azurite');
  });

  it('opens the interactive program against a running sandbox through a profile file', async () => {
    sandbox = await startSandbox();
    const profileFile = path.join(work, 'profile.json');
    fs.writeFileSync(profileFile, JSON.stringify(sandbox.profile), { mode: 0o600 });
    const session = new PtySession({
      entry: installed,
      args: ['--cloud', profileFile],
      columns: 160,
    });
    try {
      await session.waitFor((lines) => {
        // At 160 columns the header is whole but for the client id in brackets, which the
        // principal names again (components/header-text.ts).
        expect(lines[0]).toContain(`sandbox ${sandbox?.profile.armEndpoint ?? ''}`);
        expect(lines[0]).toContain(`sub ${sandbox?.profile.subscriptionId ?? ''}`);
        expect(lines[0]).toContain(
          `ClientSecretCredential as app ${sandbox?.profile.clientId ?? ''}`,
        );
      });
      session.type('q');
      expect((await session.exit()).exitCode).toBe(0);
      expectRestored(session);
    } finally {
      session.dispose();
    }
  });
});
