/**
 * The Token screen on the seeded sandbox through the real SDK clients: `t` on a node, the pool
 * identity's token from that node's IMDS, the four steps as a checklist. Pass for an identity
 * with a data role (A1); ✗ AuthorizationPermissionMismatch with the grant and the flow for one
 * without (A2). No frame ever shows a token the sandbox issued.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStorageFixture, type StorageFixture } from '../../azure/storage-fixture.js';
import { expectFits } from '../render-app.js';
import { leaked, openPoolNodes, recordTokens, small } from './logs-app.js';

let fx: StorageFixture;
let issued: string[];
let url: string;

beforeAll(async () => {
  fx = await startStorageFixture();
  issued = recordTokens(fx);
  await fx.sandbox.ensureContainer('stbatchauto', 'inputs');
  url = `${fx.storage('stbatchauto').blobEndpoint}inputs`;
}, 120_000);
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

/** The checklist as one text: wrapped rows joined back. */
const joined = (frame: string) => frame.replace(/\n\s*/g, ' ');

async function checkOn(account: string, pool: string, identity: string) {
  const app = await openPoolNodes(fx, account, pool);
  app.press('t');
  await app.until((text) => {
    expect(text).toContain(`Token check of pool ${pool}`);
    expect(text).toContain(`Identity  ${identity}`);
  });
  app.press(`/${url}\r`);
  await app.until((text) => expect(text).toContain(`Storage   ${url}`));
  app.press('x');
  await app.until((text) => expect(text).toMatch(/[✓✗] (passed|failed)/));
  expectFits(app.frame(), small);
  return app;
}

describe('token check from a node', () => {
  it('passes every step for an identity with a data role (A1)', async () => {
    const app = await checkOn('batchhealthy', 'packages-same-identity', 'id-batch-nodes');
    const text = app.frame();
    expect(text).toContain('✓ acquire a token for https://storage.azure.com/');
    expect(text).toContain('✓ token claims match the identity');
    expect(text).toContain('✓ storage accepts the token');
    expect(text).toContain('✓ role assignments grant the data actions');
    expect(text).toMatch(/✓ passed · token .{8}…/);
    app.press('G');
    await app.until((frame) =>
      expect(frame.replace(/\n\s*/g, '')).toContain(
        `client_id=${fx.identity('id-batch-nodes').clientId}`,
      ),
    );
    expect(leaked(app.allFrames(), issued)).toEqual([]);
  }, 60_000);

  it('fails with AuthorizationPermissionMismatch, the grant, and the flow, for one without (A2)', async () => {
    const app = await checkOn('batchnorole', 'packages-no-role', 'id-batch-nodes-norole');
    const text = joined(app.frame());
    expect(text).toContain('✗ storage accepts the token');
    expect(text).toContain('403 AuthorizationPermissionMismatch');
    expect(text).toContain('fix (MI005): az role assignment create');
    expect(text).toContain('✗ failed · token');
    expect(text).toContain('f: the autostorage-mi flow fixes it');
    app.press('f');
    await app.until((frame) => expect(frame.split('\n')[1]).toContain('Flows'));
    expect(issued.length).toBeGreaterThan(0);
    expect(leaked(app.allFrames(), issued)).toEqual([]);
  }, 60_000);
});
