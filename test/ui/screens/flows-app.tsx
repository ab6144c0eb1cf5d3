/**
 * The shell on the seeded sandbox for the flow screens: real SDK clients (as cloud/ builds them)
 * for the Owner operator or the Reader-only one, who is signed in read from their own token, an
 * audit log in a temporary directory, and a log of the ARM requests each principal sends (a
 * pipeline policy: instrumentation only), so a test can say "no write left the program".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { callerFromCredential } from '../../../source/azure/flows/caller.js';
import { createCredential } from '../../../source/cloud/credential.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import type { AppProps } from '../../../source/ui/app.js';
import { AuditLog } from '../../../source/flows-audit.js';
import { countRequests, startFixture } from '../../azure/sandbox-fixture.js';
import type { Fixture, RequestLog } from '../../azure/sandbox-fixture.js';
import { renderApp } from '../render-app.js';
import type { Size } from '../render-app.js';
import { SANDBOX_WAIT } from './sandbox-app.js';

export type Who = 'operator' | 'reader';

export interface FlowsFixture {
  fx: Fixture;
  audit: AuditLog;
  /** ARM requests (management and authorization) of each principal's clients. */
  logs: Record<Who, RequestLog>;
  stop(): Promise<void>;
}

/** Requests that change something (anything but GET). */
export const writes = (log: RequestLog): string[] =>
  log.entries.map((e) => e.what).filter((w) => !w.startsWith('GET '));

function logOf(fx: Fixture, who: Who): RequestLog {
  const log = countRequests(fx[who].batchManagement());
  // One list for both ARM clients.
  countRequests(fx[who].authorization()).entries = log.entries;
  return log;
}

export async function startFlowsFixture(): Promise<FlowsFixture> {
  const fx = await startFixture();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flows-ui-audit-'));
  return {
    fx,
    audit: new AuditLog(path.join(dir, 'audit.jsonl')),
    logs: { operator: logOf(fx, 'operator'), reader: logOf(fx, 'reader') },
    async stop() {
      await fx.embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function openFlowsApp(
  ff: FlowsFixture,
  size: Size,
  props: Partial<AppProps> & { as?: Who } = {},
) {
  const { as = 'operator', ...rest } = props;
  const { fx } = ff;
  const who = as === 'reader' ? SEED.reader : SEED.operator;
  const credential = createCredential(
    { ...fx.profile, clientId: who.clientId, clientSecret: who.clientSecret },
    fx.trust,
  );
  const app = await renderApp(size, {
    session: {
      cloudLabel: `sandbox ${fx.profile.armEndpoint}`,
      credentialLabel: as,
      ...(fx.profile.subscriptionId ? { subscriptionId: fx.profile.subscriptionId } : {}),
    },
    connection: {
      status: undefined,
      services: {
        clients: fx[as],
        armEndpoint: fx.profile.armEndpoint,
        flows: {
          caller: (signal) => callerFromCredential(credential, fx.profile.armScope, signal),
          audit: ff.audit,
          runner: { now: () => new Date(fx.embedded.sandbox.clock.now()) },
        },
      },
    },
    refreshSeconds: 60,
    ...rest,
  });
  const until = (check: (text: string) => void) => app.waitFrame(check, SANDBOX_WAIT);
  /** Waits for the frame to show `text`. */
  const see = (text: string | RegExp) =>
    until((frame) => {
      if (typeof text === 'string') expect(frame).toContain(text);
      else expect(frame).toMatch(text);
    });
  return { ...app, until, see };
}

export type FlowsApp = Awaited<ReturnType<typeof openFlowsApp>>;

/** Accounts → the account → its Pools → the pool selected (filtered to it). */
export async function openPool(app: FlowsApp, account: string, pool: string): Promise<void> {
  await app.see(`› ${account}`);
  app.press('\r');
  await app.see(/pools \(\d+\)/);
  app.press('\r');
  await app.until((text) => expect(text.split('\n')[1]).toContain(`Pools of ${account}`));
  app.press(`/${pool}\r`);
  // At 80 columns a long pool id is cut short with …
  await app.see(`› ${pool.slice(0, 16)}`);
}

/**
 * Narrows the picker on screen to `name` and picks it. A picker opens unfiltered: the filter that
 * narrowed the one before it went with the pick.
 */
export async function pick(app: FlowsApp, name: string): Promise<void> {
  await app.until((text) => {
    expect(text).toContain('Enter picks');
    expect(text.split('\n')[1]).not.toMatch(/ {2}\/\S/);
  });
  app.press(`/${name}\r`);
  await app.until((text) => expect(text).toMatch(new RegExp(`› ${name} `)));
  app.press('\r');
}
