import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './built-program.js';

// `--sandbox` from the bundled program: the sandbox's chunk loads on demand, finds Azurite
// (external, located at run time) and its worker (dist/azurite-worker.js, beside the chunk).
// test/cli/sandbox-command.test.ts covers the standalone `sandbox` command, which waits for Azurite.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-sandbox-built-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the built program with its own sandbox', () => {
  it('`nodes --sandbox` reads the seeded 10,000-node pool from a sandbox started in-process', async () => {
    const result = await run(
      ['nodes', '--sandbox', '--account', 'batchscale', '--pool', 'render-farm', '--json'],
      { BATCH_MI_TUI_CONFIG_DIR: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { counts: { total: number; idle: number } };
    expect(doc.counts).toMatchObject({ total: 10_000, idle: 10_000 });
  }, 90_000);
});
