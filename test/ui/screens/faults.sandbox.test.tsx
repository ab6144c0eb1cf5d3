/**
 * Throttling and 5xx injected by the sandbox: the screens say they are retrying (and why, and for
 * how long), keep what they showed, recover by themselves, and after a failure recover on r.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../azure/sandbox-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { openOnSandbox } from './sandbox-app.js';

let fx: Fixture;
const small = { columns: 80, rows: 24 };

beforeAll(async () => {
  fx = await startFixture();
});
afterEach(() => {
  cleanup();
  fx.embedded.sandbox.faults.clear();
});
afterAll(() => fx.embedded.stop());

describe('faults', () => {
  it('a throttled account listing says "retrying (429, 2s)…", then shows the accounts', async () => {
    fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\?/i,
      kind: 'throttle',
      retryAfterSeconds: 2,
      times: 1,
    });
    const app = await openOnSandbox(fx, small);
    await app.until((text) => expect(text).toContain('retrying (429, 2s)… Batch accounts'));
    expectFits(app.frame(), small);
    await app.until((text) => expect(text).toMatch(/\d+ accounts · read/));
  });

  it('503s on a read are retried with backoff and said so', async () => {
    fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\?/i,
      kind: 'error',
      status: 503,
      times: 2,
    });
    const app = await openOnSandbox(fx, small);
    await app.until((text) => expect(text).toMatch(/retrying \(503, [\d.]+m?s\)…/));
    await app.until((text) => expect(text).toMatch(/\d+ accounts · read/));
  });

  it('a failure that outlasts the retries is explained; r reads again once Azure answers', async () => {
    const fault = fx.embedded.sandbox.faults.add({
      listener: 'arm',
      match: /batchAccounts\?/i,
      kind: 'error',
      status: 503,
    });
    const app = await openOnSandbox(fx, small);
    await app.until((text) => expect(text).toContain('Azure answered 503'));
    expect(app.frame()).toContain("This is on Azure's side");
    expectFits(app.frame(), small);
    fx.embedded.sandbox.faults.remove(fault);
    app.press('r');
    await app.until((text) => expect(text).toMatch(/\d+ accounts · read/));
    expect(app.frame()).not.toContain('503');
  });

  it('the live nodes screen keeps its rows while a poll is throttled, says so, and goes on', async () => {
    const app = await openOnSandbox(fx, small, { initialAccount: 'batchhealthy' });
    // The health columns' doctor runs read nodes too: let them finish (a run the screen no longer
    // needs is left to end unobserved) so that the one throttled answer goes to the nodes poll.
    await app.until((text) => expect(text).toMatch(/› batchhealthy +✗ /));
    app.press(keys.enter);
    await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
    app.press(keys.enter);
    await app.until((text) => expect(text.split('\n')[1]).toMatch(/Pools of batchhealthy$/));
    await app.until((text) => expect(text).toMatch(/› packages-same-ide\S* +✓ /));
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain('2 nodes: idle 2'));
    fx.embedded.sandbox.faults.add({
      listener: 'batch',
      match: /\/nodes/i,
      kind: 'throttle',
      retryAfterSeconds: 1,
      times: 1,
    });
    await app.until((text) =>
      expect(text).toContain('retrying (429, 1s)… nodes of packages-same-identity'),
    );
    // The rows of the last poll stay on screen while the next one waits.
    expect(app.frame()).toContain('2 nodes: idle 2');
    expect(app.frame()).toMatch(/› tvmps_/);
    await app.until((text) => expect(text).toMatch(/2 nodes in packages-same-identity every/));
    expectFits(app.frame(), small);
  });
});
