/**
 * The built program on its embedded sandbox, driven as an operator would: accounts → an account
 * → its pool → the live nodes of the 10,000-node pool, values read off the screen.
 */
import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY, PtySession, expectRestored } from './pty.js';

const sessions: PtySession[] = [];

beforeAll(() => {
  if (!fs.existsSync(ENTRY)) {
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  }
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

// Starting the sandbox (Azurite included) and reading 10,000 nodes take a few seconds.
const WAIT = 20_000;

describe('browsing the sandbox in a terminal', () => {
  it('goes from accounts to an account, its pool and its live nodes', async () => {
    const session = new PtySession({ args: ['--sandbox'], columns: 100, rows: 30 });
    sessions.push(session);
    const screen = () => session.screen();

    await session.waitFor((lines) => {
      expect(lines.join('\n')).toMatch(/\d+ accounts · read/);
    }, WAIT);
    expect(screen()).toContain('batchhealthy');
    // Health (…, then ✗ from the doctor: two of its pools are broken) follows the name; at 100
    // columns the key source and location give way.
    expect(screen()).toMatch(
      /› batchhealthy +[…✗] +id-batch-account +stbatchauto +MI +id-batch-nodes +7$/m,
    );

    session.type('/batchscale\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts  /batchscale');
      expect(lines.join('\n')).toMatch(/› batchscale /);
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts › Account batchscale');
      expect(lines.join('\n')).toContain('pools (1)');
    }, WAIT);
    expect(screen()).toMatch(/identity +None/);
    expect(screen()).toContain('› render-farm');

    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts › Account batchscale › Pools of batchscale');
      expect(lines.join('\n')).toMatch(/› render-farm .*10000\/10000 idle 10,000/);
    }, WAIT);

    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Nodes of render-farm$/);
      expect(lines.join('\n')).toContain('10,000 nodes: idle 10,000');
    }, WAIT);
    const rows = session.lines().filter((line) => /^[› ] tvmps_\w+…\w+_d +idle /.test(line));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toMatch(/^› tvmps_/);
    expect(rows[0]).toMatch(/ 10\.\d+\.\d+\.\d+ /);
    expect(screen()).toMatch(/transitions since \d\d:\d\d:\d\d/);

    session.type('q');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  }, 120_000);
});
