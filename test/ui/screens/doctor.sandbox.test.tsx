/**
 * The Doctor screen on the seeded sandbox, through the real SDK clients: it shows what the
 * collector and the rules find when run directly, grouped as the command prints it; Enter shows
 * a finding's evidence and its whole az command; c copies exactly that command with OSC 52; a
 * pool fixed through ARM leaves the findings after r; leaving the screen mid-run aborts the run's
 * calls, and nothing rejects unheard.
 */
import { Buffer } from 'node:buffer';
import { cleanup } from 'ink-testing-library';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector } from '../../../source/azure/collector.js';
import { groupFindings, runDoctor } from '../../../source/domain/doctor/engine.js';
import type { DoctorReport, Finding } from '../../../source/domain/doctor/types.js';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { openOnSandbox, SANDBOX_WAIT } from './sandbox-app.js';

let fx: Fixture;
let seeded: DoctorReport;
let seededAccounts: number;
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
  const collector = createCollector(fx.operator, { armEndpoint: fx.profile.armEndpoint });
  const snapshot = await collector.collect();
  seeded = runDoctor(snapshot);
  seededAccounts = snapshot.accounts.length;
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
    await app.until((text) =>
      expect(text).toMatch(
        new RegExp(` · checked \\d\\d:\\d\\d:\\d\\d · ${seededAccounts} accounts`),
      ),
    );
    expect(seeded.findings.length).toBeGreaterThanOrEqual(13);
    expect(shownFindings(app.frame())).toEqual(inOrder(seeded));
    for (const g of groupFindings(seeded.findings)) {
      const n = g.resources.reduce((sum, r) => sum + r.findings.length, 0);
      expect(app.frame()).toContain(`${g.severity.toUpperCase()} (${n})`);
    }
    const counts = groupFindings(seeded.findings).map(({ severity, resources }) => {
      const n = resources.reduce((sum, r) => sum + r.findings.length, 0);
      return severity === 'critical' || severity === 'info'
        ? `${n} ${severity}`
        : `${n} ${severity}${n === 1 ? '' : 's'}`;
    });
    expect(app.lines()[2]?.startsWith(`${counts.join(', ')} · checked`)).toBe(true);
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
    expect(app.frame()).toContain('press f to fix with the guided flow');
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

  it('leaving while it collects aborts the run: its calls stop and nothing rejects unheard', async () => {
    // Requests of the operator's ARM clients in flight, and those that ended in an abort.
    const inFlight = new Set<object>();
    let sentToAuthorization = 0;
    const aborted: string[] = [];
    const track = (client: { pipeline: { addPolicy(policy: PipelinePolicy): void } }) => {
      client.pipeline.addPolicy({
        name: 'test-in-flight',
        async sendRequest(request, next) {
          inFlight.add(request);
          try {
            return await next(request);
          } catch (error) {
            if (request.abortSignal?.aborted) aborted.push(request.url);
            throw error;
          } finally {
            inFlight.delete(request);
          }
        },
      });
    };
    track(fx.operator.batchManagement());
    const authorization = fx.operator.authorization();
    track(authorization);
    authorization.pipeline.addPolicy({
      name: 'test-authorization-sent',
      sendRequest(request, next) {
        sentToAuthorization++;
        return next(request);
      },
    });
    const unheard: unknown[] = [];
    const onUnhandled = (reason: unknown) => {
      unheard.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const slow = fx.embedded.sandbox.faults.add({
      listener: 'arm',
      kind: 'latency',
      latencyMs: 300,
    });
    try {
      const app = await openDoctor();
      app.press(':doctor\r');
      await app.until((text) => expect(text).toContain('Checking subscription'));
      // Past the listings, into the role assignments: where an abort once left the
      // role-definition read rejected with nobody listening.
      await vi.waitFor(
        () => {
          expect(sentToAuthorization).toBeGreaterThan(0);
        },
        { timeout: SANDBOX_WAIT, interval: 10 },
      );
      const doctorCalls = [...inFlight];
      expect(doctorCalls.length).toBeGreaterThan(0);
      const left = Date.now();
      app.press(keys.escape);
      // The run's calls end, aborted, without waiting out their latency (Accounts, shown
      // again, reads afresh: those calls are its own).
      await vi.waitFor(
        () => {
          expect(doctorCalls.filter((request) => inFlight.has(request))).toEqual([]);
        },
        { timeout: 1_000, interval: 5 },
      );
      expect(Date.now() - left).toBeLessThan(300);
      expect(aborted.length).toBeGreaterThan(0);
      await app.until((text) => expect(text.split('\n')[1]).toBe('Accounts'));
      // Rejections are reported after the microtasks of the turn that made them.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unheard).toEqual([]);
    } finally {
      fx.embedded.sandbox.faults.remove(slow);
      process.off('unhandledRejection', onUnhandled);
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
