/**
 * The Logs screen on the seeded sandbox through the real SDK clients: from the Nodes screen of
 * the pool stuck in Starting (table A3), `l` on a node, upload to a typed container, the files
 * listed once all have arrived, and agent-debug.log opened in the viewer at the line that explains
 * the node, highlighted with its doctor rule. No frame ever shows a token.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startStorageFixture, type StorageFixture } from '../../azure/storage-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { leaked, openPoolNodes, recordTokens, small } from './logs-app.js';

let fx: StorageFixture;
let issued: string[];
let logsUrl: string;

beforeAll(async () => {
  fx = await startStorageFixture();
  issued = recordTokens(fx);
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Reader');
  await fx.sandbox.ensureContainer('stbatchlogs', 'node-logs');
  logsUrl = `${fx.storage('stbatchlogs').blobEndpoint}node-logs`;
}, 120_000);
afterEach(() => {
  cleanup();
});
afterAll(() => fx.embedded.stop());

const WAIT = 20_000;

it(
  'uploads a stuck node’s logs and opens agent-debug.log at the TvmJoinPoolInProgress line (MI003)',
  async () => {
    const app = await openPoolNodes(fx, 'batchnoref', 'packages-no-reference');
    app.press('l');
    await app.until((text) => {
      expect(text.split('\n')[1]).toContain('Logs');
      expect(text).toContain('Window         last hour');
      expect(text).toMatch(/Authorization {2}id-batch-nodes {2}[✓✗?] /);
    });
    // Destination: the typed URL.
    app.press(keys.down);
    await app.until((text) => expect(text).toMatch(/▌ Destination/));
    app.press(keys.enter);
    await app.until((text) => expect(text).toContain('(type it with /)'));
    app.press(`/${logsUrl}\r`);
    await app.until((text) => expect(text).toContain(`URL ${logsUrl}`));
    app.press('u');
    await vi_waitFiles(app);
    expectFits(app.frame(), small);
    app.press(keys.enter);
    await app.until((text) => {
      expect(text).toContain('agent-debug.log');
      expect(text).toContain('TvmJoinPoolInProgress');
      expect(text).toMatch(/MI003 The node never finishes joining the pool/);
    });
    expectFits(app.frame(), small);
    // Search: `/` highlights, n moves on; Esc closes the viewer back to the file list.
    app.press(`/controller\r`);
    await app.until((text) => expect(text).toMatch(/controller|is not in/));
    app.press(keys.escape);
    await app.until((text) => expect(text).toMatch(/4 files in/));
    expect(leaked(app.allFrames(), issued)).toEqual([]);
    expect(issued.length).toBeGreaterThan(0);

    async function vi_waitFiles(a: typeof app) {
      await a.until((text) => {
        expect(text).toMatch(/✓ 4 files in packages-no-reference\//);
        expect(text).toContain('agent-debug.log');
      });
    }
  },
  WAIT * 3,
);
