/**
 * The Doctor screen on the seeded sandbox, through the real SDK clients: it shows what the
 * collector and the rules find when run directly, grouped as the command prints it; Enter shows
 * a finding's evidence and its whole az command; c copies exactly that command with OSC 52; a
 * pool fixed through ARM leaves the findings after r.
 */
import { Buffer } from 'node:buffer';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../../source/azure/collector.js';
import { groupFindings, runDoctor } from '../../../source/domain/doctor/engine.js';
import type { DoctorReport, Finding } from '../../../source/domain/doctor/types.js';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { openOnSandbox } from './sandbox-app.js';

let fx: Fixture;
let seeded: DoctorReport;
const BIG = { columns: 120, rows: 60 };
const HEADING = 'az command (c copies it; the rows below are all of it):';

/** The collector and the rules, run directly (as `batch-mi-tui doctor` runs them). */
async function direct(scope: { account?: string; pool?: string } = {}): Promise<DoctorReport> {
  const collector = createCollector(fx.operator, { armEndpoint: fx.profile.armEndpoint });
  return runDoctor(await collector.collect(scope));
}

/** `resource rule` for every finding on screen, in screen order. */
function shownFindings(frame: string): string[] {
  let resource = '';
  const shown: string[] = [];
  for (const line of frame.split('\n')) {
    const finding = /^(?:› | {2}) {2}[✗⚠·] (MI\d{3}) {2}/.exec(line);
    if (finding) shown.push(`${resource} ${finding[1] ?? ''}`);
    const heading = /^ {2}(\S+)$/.exec(line);
    if (heading) resource = heading[1] ?? '';
  }
  return shown;
}

const inOrder = (report: DoctorReport) =>
  groupFindings(report.findings).flatMap((g) =>
    g.resources.flatMap((r) => r.findings.map((f) => `${f.resourceName} ${f.rule}`)),
  );

/** The rows after the command's heading, up to the blank row that ends it, joined. */
function commandOnScreen(frame: string): string {
  const lines = frame.split('\n');
  const at = lines.indexOf(HEADING);
  expect(at, frame).toBeGreaterThan(0);
  const end = lines.indexOf('', at + 1);
  return lines.slice(at + 1, end < 0 ? undefined : end).join('');
}

function findingOf(report: DoctorReport, rule: string, name: string): Finding {
  const found = report.findings.find((f) => f.rule === rule && f.resourceName === name);
  if (!found) throw new Error(`no ${rule} on ${name}`);
  return found;
}

beforeAll(async () => {
  fx = await startFixture();
  seeded = await direct();
}, 60_000);
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

async function openDoctor(size = BIG, initialAccount?: string) {
  const app = await openOnSandbox(fx, size, initialAccount === undefined ? {} : { initialAccount });
  await app.until((text) => expect(text).toMatch(/\d+ accounts · read/));
  return app;
}

describe('Doctor', () => {
  it(':doctor shows the subscription findings the collector and rules find, grouped', async () => {
    const app = await openDoctor();
    app.press(':doctor\r');
    await app.until((text) => expect(text.split('\n')[1]).toBe('Accounts › Doctor'));
    await app.until((text) => expect(text).toMatch(/ · checked \d\d:\d\d:\d\d · 8 accounts/));
    expect(seeded.findings.length).toBeGreaterThanOrEqual(13);
    expect(shownFindings(app.frame())).toEqual(inOrder(seeded));
    for (const g of groupFindings(seeded.findings)) {
      const n = g.resources.reduce((sum, r) => sum + r.findings.length, 0);
      expect(app.frame()).toContain(`${g.severity.toUpperCase()} (${n})`);
    }
    expect(app.lines()[2]).toMatch(/^1 critical, 9 errors, 3 warnings · checked/);
  });

  it('d on an account checks that account; Enter shows evidence and the whole az command', async () => {
    const app = await openDoctor({ columns: 80, rows: 24 }, 'batchhealthy');
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press('d');
    await app.until((text) =>
      expect(text.split('\n')[1]).toBe('Accounts › Doctor of batchhealthy'),
    );
    await app.until((text) => expect(text).toMatch(/ · checked \d\d:\d\d:\d\d/));
    const report = await direct({ account: 'batchhealthy' });
    expect(shownFindings(app.frame())).toEqual(
      inOrder(report).slice(0, shownFindings(app.frame()).length),
    );
    expectFits(app.frame(), { columns: 80, rows: 24 });

    const finding = findingOf(report, 'MI004', 'batchhealthy/packages-other-identity');
    expect(finding.fix.az.length).toBeGreaterThan(160);
    app.press('/packages-other\r');
    await app.until((text) =>
      expect(shownFindings(text)).toEqual(['batchhealthy/packages-other-identity MI004']),
    );
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain('Evidence'));
    expect(app.lines()[1]).toContain(
      'Doctor of batchhealthy › MI004 batchhealthy/packages-other-identity',
    );
    expect(app.frame()).toContain(finding.symptom.slice(0, 40));
    for (const property of Object.keys(finding.evidence)) {
      expect(app.frame()).toContain(`  ${property} →`);
    }
    // The command is below the fold at 80x24: scroll to the end, read it off the screen whole.
    app.press('G');
    await app.until((text) => expect(text).toContain(HEADING));
    expect(commandOnScreen(app.frame())).toBe(finding.fix.az);
    expect(app.frame()).toContain('attach a user-assigned identity to a pool');
    expect(app.frame()).toContain('guided flow arrives with the set-up flows');
    expectFits(app.frame(), { columns: 80, rows: 24 });

    app.press('c');
    const sequence = `\u001B]52;c;${Buffer.from(finding.fix.az, 'utf8').toString('base64')}\u0007`;
    await app.until((text) => expect(text).toContain('copied (OSC 52)'));
    expect(app.stdout.frames.filter((f) => f.includes('\u001B]52;'))).toEqual([sequence]);
    // The frame after it is whole: the sequence took no room.
    expect(app.frame()).toContain(HEADING);
    expectFits(app.frame(), { columns: 80, rows: 24 });
    app.press(keys.escape);
    await app.until((text) =>
      expect(text.split('\n')[1]).toBe('Accounts › Doctor of batchhealthy  /packages-other'),
    );
  });

  it('a pool fixed through ARM leaves the findings after r (nothing cached)', async () => {
    const client = fx.operator.batchManagement();
    const pool = await client.poolOperations.get(
      'rg-batch',
      'batchhealthy',
      'packages-other-identity',
    );
    const original = pool.identity;
    const account = await client.batchAccountOperations.get('rg-batch', 'batchhealthy');
    const reference = account.autoStorage?.nodeIdentityReference?.resourceId ?? '';
    expect(reference).toMatch(/id-batch-nodes$/);

    const app = await openDoctor(BIG, 'batchhealthy');
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press('d');
    await app.until((text) =>
      expect(shownFindings(text)).toContain('batchhealthy/packages-other-identity MI004'),
    );
    try {
      await client.poolOperations.update('rg-batch', 'batchhealthy', 'packages-other-identity', {
        identity: { type: 'UserAssigned', userAssignedIdentities: { [reference]: {} } },
      });
      app.press('r');
      await app.until((text) =>
        expect(shownFindings(text)).not.toContain('batchhealthy/packages-other-identity MI004'),
      );
      await app.until((text) => expect(text).toMatch(/ · checked \d\d:\d\d:\d\d/));
      const after = await direct({ account: 'batchhealthy' });
      expect(shownFindings(app.frame())).toEqual(inOrder(after));
    } finally {
      await client.poolOperations.update('rg-batch', 'batchhealthy', 'packages-other-identity', {
        identity: original ?? { type: 'None' },
      });
    }
  });

  it('d on a pool checks that pool; Enter on a healthy pool says there is nothing', async () => {
    const app = await openDoctor(BIG, 'batchhealthy');
    await app.until((text) => expect(text).toContain('› batchhealthy'));
    app.press(keys.enter);
    await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
    app.press(keys.enter);
    await app.until((text) => expect(text.split('\n')[1]).toMatch(/Pools of batchhealthy$/));
    await app.until((text) => expect(text).toContain('› packages-same-identity'));
    app.press('d');
    await app.until((text) =>
      expect(text.split('\n')[1]).toMatch(
        /Pools of batchhealthy › Doctor of packages-same-identity$/,
      ),
    );
    await app.until((text) =>
      expect(text).toContain(
        'No findings: nothing the doctor checks is wrong in pool batchhealthy/packages-same-identity.',
      ),
    );
  });
});
