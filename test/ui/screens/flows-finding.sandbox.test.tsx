/**
 * From a doctor finding to its flow (the doctor screen's link), on the seeded sandbox: the
 * finding's choices fill the flow in, so the Flows screen goes straight to the plan with nothing
 * to pick; a finding whose fix is not a flow opens nothing.
 */
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
import { stripAnsi } from '../render-app.js';
import { SANDBOX_WAIT } from './sandbox-app.js';
import { startFlowsFixture } from './flows-app.js';
import type { FlowsFixture } from './flows-app.js';

let ff: FlowsFixture;
let snapshot: Snapshot;

beforeAll(async () => {
  ff = await startFlowsFixture();
  const where = { armEndpoint: ff.fx.profile.armEndpoint };
  snapshot = await createCollector(ff.fx.operator, where).collect({ account: 'batchhealthy' });
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
