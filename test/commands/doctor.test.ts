/**
 * `batch-mi-tui doctor` against a sandbox reached through a profile file (`--cloud FILE`), as an
 * operator would point it at `batch-mi-tui sandbox --profile-out FILE`: exit codes (SPEC §2) and
 * the --json document (issue 5). In-process for the details; the built program for the contract.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../source/commands/doctor.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/index.js';

let sandbox: RunningSandbox;
let dir: string;
let profileFile: string;
const cli = path.resolve('dist/cli.js');

function writeProfile(name: string, overrides: Record<string, string> = {}): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ ...sandbox.profile, ...overrides }), { mode: 0o600 });
  return file;
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const values: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const name = (args[i] ?? '').replace(/^--/, '');
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      values[name] = next;
      i++;
    } else values[name] = true;
  }
  const code = await runDoctorCommand(values, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** The built program in a child process (async: the sandbox answers from this process). */
function runBuilt(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.CI;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ clockSpeed: 0 });
  sandbox.clock.advance(5 * 60_000);
  dir = mkdtempSync(path.join(os.tmpdir(), 'doctor-command-'));
  profileFile = writeProfile('profile.json');
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('doctor --json', () => {
  it('the seeded subscription: exit 1, one JSON document with scope, checkedAt, findings and notChecked', async () => {
    const { code, stdout, stderr } = await run(['--cloud', profileFile, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as {
      scope: unknown;
      checkedAt: string;
      findings: Array<Record<string, unknown>>;
      notChecked: unknown[];
    };
    expect(Object.keys(doc)).toEqual(['scope', 'checkedAt', 'findings', 'notChecked']);
    expect(doc.scope).toEqual({ subscriptionId: sandbox.profile.subscriptionId });
    expect(Number.isNaN(Date.parse(doc.checkedAt))).toBe(false);
    expect(doc.notChecked).toEqual([]);
    expect(doc.findings.map((f) => f.rule)).toEqual([
      'MI021',
      'MI019',
      'MI017',
      'MI004',
      'MI004',
      // The seed's MI009 account (batchidreference) and MI001 account (batchnoaccountidentity).
      'MI009',
      'MI001',
      'MI003',
      'MI003',
      'MI002',
      'MI005',
      'MI005',
      // The seed's MI007 pool (batchsystemidentity/starttask-no-identity): no identity on the
      // pool, and its account's managed-identity autostorage has no node identity reference.
      'MI003',
      'MI007',
      'MI024',
      'MI010',
      'MI008',
    ]);
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual([
        'rule',
        'severity',
        'resource',
        'resourceName',
        'symptom',
        'evidence',
        'fix',
      ]);
      expect(String(f.rule)).toMatch(/^MI\d{3}$/);
      expect(String(f.severity)).toMatch(/^(critical|error|warning|info)$/);
      expect(String(f.resource)).toMatch(/^\/subscriptions\//);
      expect(typeof f.symptom).toBe('string');
      expect(typeof f.evidence).toBe('object');
      const fix = f.fix as { flow: unknown; az: unknown };
      expect(typeof fix.az).toBe('string');
      expect(['pool-identity', 'autostorage-mi', 'account-identity', null]).toContain(fix.flow);
    }
  });

  it('a healthy pool (Table A row 1): exit 0, no findings', async () => {
    const { code, stdout } = await run([
      '--cloud',
      profileFile,
      '--account',
      'batchhealthy',
      '--pool',
      'packages-same-identity',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      scope: { account: 'batchhealthy', pool: 'packages-same-identity' },
      findings: [],
      notChecked: [],
    });
  });

  it('warnings alone exit 0', async () => {
    const { code, stdout } = await run([
      '--cloud',
      profileFile,
      '--account',
      'batchhealthy',
      '--pool',
      'two-identities',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(
      (JSON.parse(stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule),
    ).toEqual(['MI008']);
  });
});

describe('exit 2: bad input, sign-in, permission', () => {
  it.each([
    [['--account', 'nosuchaccount'], "There is no Batch account named 'nosuchaccount'"],
    [
      ['--account', 'batchhealthy', '--pool', 'nosuchpool'],
      "Batch account 'batchhealthy' has no pool 'nosuchpool'",
    ],
  ])('%j: one sentence on stderr, nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await run(['--cloud', profileFile, '--json', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a wrong client secret is a sign-in failure', async () => {
    const { code, stdout, stderr } = await run([
      '--cloud',
      writeProfile('bad-secret.json', { clientSecret: 'wrong' }),
      '--json',
    ]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^batch-mi-tui: Could not sign in/);
  });

  it('a principal with no role on the subscription is a permission failure', async () => {
    const who = { clientId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', clientSecret: 'no-roles' };
    const objectId = '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f';
    sandbox.world.principals.set(objectId, {
      objectId,
      displayName: 'nobody',
      principalType: 'ServicePrincipal',
      appId: who.clientId,
      secret: who.clientSecret,
    });
    const { code, stdout, stderr } = await run([
      '--cloud',
      writeProfile('no-roles.json', who),
      '--json',
    ]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/may not perform Microsoft\.Batch\/batchAccounts\/read/);
  });
});

describe('human output', () => {
  it('groups by severity then resource, with evidence and each fix command whole on its own line', async () => {
    const { code, stdout } = await run(['--cloud', profileFile, '--account', 'batchnorole']);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => /^[A-Z]+ \(\d+\)$/.test(l))).toEqual(['ERROR (3)']);
    expect(lines).toContain(
      '  batchnorole/packages-no-role  ' +
        `/subscriptions/${sandbox.profile.subscriptionId ?? ''}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts/batchnorole/pools/packages-no-role`,
    );
    expect(
      lines.some((l) =>
        /^az role assignment create --assignee-object-id [0-9a-f-]{36} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope \/subscriptions\/.+\/storageAccounts\/stbatchauto$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(stdout).toContain('evidence  autoStorage.nodeIdentityReference.resourceId = ');
    expect(lines.at(-2)).toBe('0 critical, 3 errors, 0 warnings, 0 info.');
  });
});

describe.skipIf(!existsSync(cli))('the built program (npm test builds dist/ first)', () => {
  it('doctor --cloud FILE --json: exit 1, stdout is exactly one JSON document', async () => {
    const { code, stdout, stderr } = await runBuilt(['doctor', '--cloud', profileFile, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    // 13, and the seed's MI001, MI007 (with MI003 on the same pool) and MI009 configurations.
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toHaveLength(17);
  });

  it('doctor on a healthy pool exits 0; a usage error exits 2', async () => {
    expect(
      (
        await runBuilt([
          'doctor',
          '--cloud',
          profileFile,
          '--account',
          'batchhealthy',
          '--pool',
          'starttask-same-identity',
        ])
      ).code,
    ).toBe(0);
    const usage = await runBuilt(['doctor', '--pool', 'p']);
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toContain('doctor --pool needs --account NAME too');
  });
});
