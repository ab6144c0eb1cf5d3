import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { loadProfile } from '../../source/cloud/profile.js';

// `batch-mi-tui sandbox --profile-out FILE`, run as a user runs it, then used by an SDK client
// through nothing but the profile it wrote.
const cli = path.resolve('dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-sandbox-cmd-'));

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('batch-mi-tui sandbox', () => {
  it('runs until Ctrl+C, writes a usable profile without printing its secret, and leaves nothing listening', async () => {
    const profileFile = path.join(work, 'profile.json');
    const env = { ...process.env };
    delete env.CI;
    const child = spawn(process.execPath, [cli, 'sandbox', '--profile-out', profileFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      await vi.waitFor(() => expect(stdout).toContain('Ctrl+C stops it'), {
        timeout: 30_000,
        interval: 50,
      });
      expect(stdout).toContain(profileFile);
      expect((fs.statSync(profileFile).mode & 0o777).toString(8)).toBe('600');

      const profile = await loadProfile(profileFile);
      expect(profile.clientSecret).toBeTruthy();
      expect(stdout).not.toContain(profile.clientSecret ?? '');
      const trust = await trustProfileCa(profile);
      const clients = createClients(profile, createCredential(profile, trust), trust);
      const accounts = [];
      for await (const account of clients.batchManagement().batchAccountOperations.list())
        accounts.push(account);
      expect(accounts.length).toBeGreaterThan(0);

      const armPort = Number(new URL(profile.armEndpoint).port);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(await refuses(armPort)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
