/**
 * The built program's doctor in a terminal at 80x24: the header still says who is signed in,
 * `:doctor` lists the findings, Enter on one shows its az command whole, read off the screen it
 * is exactly what `batch-mi-tui doctor --json` prints, and `c` sends it as OSC 52.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY, PtySession, expectRestored } from './pty.js';

const sessions: PtySession[] = [];
const WAIT = 20_000;
const HEADING = 'az command (c copies it; the rows below are all of it):';
const POOL = 'batchhealthy/packages-other-identity';

beforeAll(() => {
  if (!fs.existsSync(ENTRY)) {
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  }
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

/** The command as `doctor --json` prints it, on a sandbox of its own (another port). */
function commandFromJson(): string {
  const env = { ...process.env };
  delete env['CI'];
  const result = spawnSync(
    process.execPath,
    [ENTRY, 'doctor', '--sandbox', '--account', 'batchhealthy', '--json'],
    { encoding: 'utf8', env, timeout: 60_000 },
  );
  const report = JSON.parse(result.stdout) as {
    findings: Array<{ rule: string; resourceName: string; fix: { az: string } }>;
  };
  const finding = report.findings.find((f) => f.rule === 'MI004' && f.resourceName === POOL);
  if (!finding) throw new Error(`doctor --json has no MI004 on ${POOL}:\n${result.stdout}`);
  return finding.fix.az;
}

const withoutPort = (command: string) => command.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

describe('the doctor in a terminal', () => {
  it('shows a finding’s az command whole at 80x24, and copies it with OSC 52', async () => {
    const session = new PtySession({ args: ['--sandbox'], columns: 80, rows: 24 });
    sessions.push(session);
    await session.waitFor((lines) => {
      expect(lines.join('\n')).toMatch(/\d+ accounts · read/);
    }, WAIT);
    // Who is signed in, at 80 columns.
    expect(session.lines()[0]).toMatch(/^sandbox :\d+ │ sub [0-9a-f]{8}… │ as app [0-9a-f-]{36}$/);

    session.type(':doctor\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts › Doctor');
      // The counts follow the seed (test/ui/screens/doctor.sandbox.test.tsx checks them exactly).
      expect(lines[2]).toMatch(/^1 critical, \d+ errors, 3 warnings · checked \d\d:\d\d:\d\d/);
    }, WAIT);
    expect(session.screen()).toMatch(/^› {3}✗ MI021 {2}/m);

    session.type('/packages-other\r');
    await session.waitFor((lines) => {
      expect(lines).toContain(`  ${POOL}`);
      expect(lines.join('\n')).toMatch(/^› {3}✗ MI004 {2}Nodes Unusable/m);
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Doctor › MI004 batchhealthy\/packages-other-identity/);
      expect(lines).toContain('Evidence');
    });
    // Scrolled to the end: the whole command and what follows it are on screen.
    session.type('G');
    await session.waitFor((lines) => {
      const [, last, total] = / \d+-(\d+) of (\d+) /.exec(lines[2] ?? '') ?? [];
      expect(last).toBe(total);
      expect(lines).toContain(HEADING);
    });
    const lines = session.lines();
    const at = lines.indexOf(HEADING);
    const end = lines.indexOf('', at + 1);
    const rows = lines.slice(at + 1, end);
    // Rows of the command start at the first column and are nothing but the command.
    expect(rows[0]).toMatch(
      /^az rest --method patch --url "https:\/\/127\.0\.0\.1:\d+\/subscriptions\//,
    );
    const command = rows.join('');
    expect(command).toMatch(
      /^az rest --method patch --url "https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^"]+\/pools\/packages-other-identity\?api-version=[\d-]+" --body '\{.*\}'$/,
    );
    const body = JSON.parse(/--body '(.*)'$/.exec(command)?.[1] ?? '{}') as {
      identity: { userAssignedIdentities: Record<string, unknown> };
    };
    expect(
      Object.keys(body.identity.userAssignedIdentities).map((id) => id.split('/').pop()),
    ).toEqual(['id-workload', 'id-batch-nodes']);
    expect(withoutPort(command)).toBe(withoutPort(commandFromJson()));

    session.type('c');
    await session.waitFor((shown) => {
      expect(shown[23]).toContain('copied (OSC 52)');
    });
    expect(session.output).toContain(
      `\u001B]52;c;${Buffer.from(command, 'utf8').toString('base64')}\u0007`,
    );
    expect(session.lines().slice(at, end)).toEqual(lines.slice(at, end));

    session.type('q');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  }, 120_000);
});
