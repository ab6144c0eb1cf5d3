/**
 * From a doctor finding to its flow (the doctor screen's link), on the seeded sandbox: the
 * finding's choices fill the flow in, so the Flows screen goes straight to the plan with nothing
 * to pick; a finding whose fix is not a flow opens nothing. In the program: `f` on a finding (in
 * the list or its detail) opens the flow from the doctor's last snapshot.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { callerFromCredential } from '../../../source/azure/flows/caller.js';
import { createCollector, createGateways } from '../../../source/azure/index.js';
import { createCredential } from '../../../source/cloud/credential.js';
import { runDoctor } from '../../../source/domain/doctor/engine.js';
import type { Snapshot } from '../../../source/domain/doctor/types.js';
import { FlowsScreen } from '../../../source/ui/screens/flows/FlowsScreen.js';
import { flowStartForFinding, openFlowForFinding } from '../../../source/ui/screens/flows/start.js';
import type { Session } from '../../../source/ui/session.js';
import { SessionContext } from '../../../source/ui/session.js';
import { makeTheme, ThemeContext } from '../../../source/ui/theme.js';
import { expectFits, keys, stripAnsi } from '../render-app.js';
import { SANDBOX_WAIT } from './sandbox-app.js';
import { openFlowsApp, startFlowsFixture, writes } from './flows-app.js';
import type { FlowsFixture } from './flows-app.js';

let ff: FlowsFixture;
let snapshot: Snapshot;

beforeAll(async () => {
  ff = await startFlowsFixture();
  const where = { armEndpoint: ff.fx.profile.armEndpoint };
  snapshot = await createCollector(ff.fx.operator, where).collect({ account: 'batchhealthy' });
});
afterEach(() => {
  cleanup();
});
afterAll(() => ff.stop());

const finding = (rule: string, pool: string) => {
  const found = runDoctor(snapshot).findings.find(
    (f) => f.rule === rule && f.resourceName === `batchhealthy/${pool}`,
  );
  if (!found) throw new Error(`no ${rule} on ${pool}`);
  return found;
};

function session(open: Session['open']): Session {
  const { fx } = ff;
  const where = { armEndpoint: fx.profile.armEndpoint };
  const credential = createCredential(fx.profile, fx.trust);
  return {
    connection: {
      phase: 'ready',
      gateways: createGateways(fx.operator, where),
      collect: (scope, run) => createCollector(fx.operator, where).collect(scope, run),
      services: {
        clients: fx.operator,
        armEndpoint: fx.profile.armEndpoint,
        flows: {
          caller: () => callerFromCredential(credential, fx.profile.armScope),
          audit: ff.audit,
        },
      },
      readOnly: false,
    },
    refreshMs: 60_000,
    open,
    showPanel: () => undefined,
    clearFilter: () => undefined,
    say: () => undefined,
  };
}

describe('a doctor finding whose fix is a flow', () => {
  it('opens the flow with its choices filled in, straight to the plan', async () => {
    const mi004 = finding('MI004', 'starttask-other-identity');
    const start = flowStartForFinding(mi004, snapshot);
    expect(start).toMatchObject({
      flow: 'pool-identity',
      needs: [],
      draft: { pool: 'starttask-other-identity' },
      origin: 'doctor MI004 on batchhealthy/starttask-other-identity',
    });
    expect(start?.draft.identityId).toMatch(/\/id-batch-nodes$/);

    const open = vi.fn<Session['open']>();
    expect(openFlowForFinding({ open }, mi004, snapshot)).toBe(true);
    expect(open).toHaveBeenCalledWith('flows', {
      account: expect.objectContaining({ name: 'batchhealthy' }) as unknown,
      pool: expect.objectContaining({ name: 'starttask-other-identity' }) as unknown,
      flow: start,
    });

    const params = open.mock.calls[0]?.[1];
    const screen = render(
      <ThemeContext value={makeTheme('plain', { LANG: 'en_US.UTF-8' }, 'linux')}>
        <SessionContext value={session(open)}>
          <FlowsScreen
            route={{ screen: 'flows', filter: '', ...(params ? { params } : {}) }}
            filter=""
            active
            panel={undefined}
            width={80}
            height={22}
          />
        </SessionContext>
      </ThemeContext>,
    );
    await vi.waitFor(
      () => {
        const frame = stripAnsi(screen.lastFrame() ?? '');
        expect(frame).toContain('opened from doctor MI004 on');
        expect(frame).toContain('1. Pool batchhealthy/starttask-other-identity: attach');
        expect(frame).toContain('? Apply step to Azure now');
      },
      { timeout: SANDBOX_WAIT, interval: 20 },
    );
    expect(stripAnsi(screen.lastFrame() ?? '')).not.toContain('Enter picks');
    screen.unmount();
  });

  it('opens nothing for a finding whose fix is not a flow', () => {
    const other = runDoctor(snapshot).findings.find((f) => f.fix.flow === undefined);
    expect(other).toBeDefined();
    const open = vi.fn<Session['open']>();
    if (other) expect(openFlowForFinding({ open }, other, snapshot)).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });
});

describe('f on the doctor screen', () => {
  const SIZE = { columns: 80, rows: 24 };
  const PLAN = '1. Pool batchhealthy/starttask-other-identity: attach';

  /** Accounts → d on batchhealthy → its findings, narrowed to the MI004 of the start-task pool. */
  async function doctorOnMi004() {
    const app = await openFlowsApp(ff, SIZE, { initialAccount: 'batchhealthy' });
    await app.see('› batchhealthy');
    app.press('d');
    await app.see(/ · checked \d\d:\d\d:\d\d/);
    app.press('/starttask-other\r');
    await app.until((text) => expect(text).toMatch(/› {3}✗ MI004 /));
    return app;
  }

  it('opens the MI004 finding’s flow from the list, straight to the plan', async () => {
    ff.logs.operator.reset();
    const app = await doctorOnMi004();
    app.press('f');
    await app.until((text) =>
      expect(text.split('\n')[1]).toBe('Accounts › Doctor of batchhealthy › Flows'),
    );
    await app.see('opened from doctor MI004 on');
    await app.see(PLAN);
    await app.see('? Apply step to Azure now');
    expect(app.frame()).not.toContain('Enter picks');
    expectFits(app.frame(), SIZE);
    // Nothing is written before the operator says yes.
    expect(writes(ff.logs.operator)).toEqual([]);
    // Esc goes back to the findings, filtered as they were.
    app.press(keys.escape);
    await app.until((text) =>
      expect(text.split('\n')[1]).toBe('Accounts › Doctor of batchhealthy  /starttask-other'),
    );
  });

  it('opens it from the finding’s detail, which says so', async () => {
    const app = await doctorOnMi004();
    app.press(keys.enter);
    await app.see('Evidence');
    app.press('G');
    await app.see('press f to fix with the guided flow');
    app.press('f');
    await app.see(PLAN);
    expect(app.frame().split('\n')[1]).toBe('Accounts › Doctor of batchhealthy › Flows');
  });

  it('says why when the selected finding has no flow', async () => {
    const app = await openFlowsApp(
      ff,
      { columns: 120, rows: 50 },
      { initialAccount: 'batchhealthy' },
    );
    await app.see('› batchhealthy');
    app.press('d');
    await app.see(/ · checked \d\d:\d\d:\d\d/);
    const report = runDoctor(snapshot);
    const other = report.findings.find((f) => f.fix.flow === undefined);
    expect(other, 'a finding without a flow on batchhealthy').toBeDefined();
    app.press(`/${other?.resourceName.split('/').pop() ?? ''}\r`);
    await app.until((text) => expect(text).toMatch(new RegExp(`› {3}. ${other?.rule ?? ''} `)));
    app.press('f');
    await app.see('No guided flow fixes this');
    expect(app.frame().split('\n')[1]).toMatch(/^Accounts › Doctor of batchhealthy {2}\//);
  });
});
