/**
 * The built program on its embedded sandbox, driven as an operator would: accounts → the account
 * → its pools → the A4 pool, `i`, pick the identity, and read the plan off the screen (the
 * identity diff, the permission pre-check and the question). Nothing is applied here.
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

// Starting the sandbox (Azurite included) takes a few seconds.
const WAIT = 20_000;

describe('a guided flow in a terminal', () => {
  it('goes from a pool to the plan of attaching an identity to it', async () => {
    const session = new PtySession({ args: ['--sandbox'], columns: 100, rows: 40 });
    sessions.push(session);
    const screen = () => session.screen();

    await session.waitFor((lines) => {
      expect(lines.join('\n')).toMatch(/\d+ accounts · read/);
    }, WAIT);
    session.type('/batchhealthy\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts  /batchhealthy');
      expect(lines.join('\n')).toMatch(/› batchhealthy /);
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts › Account batchhealthy');
      expect(lines.join('\n')).toMatch(/pools \(\d+\)/);
    }, WAIT);
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Pools of batchhealthy$/);
      expect(lines.join('\n')).toContain('packages-other-identity');
    }, WAIT);
    session.type('/packages-other\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Pools of batchhealthy {2}\/packages-other$/);
      expect(lines.join('\n')).toMatch(/› packages-other-identity /);
    });

    session.type('i');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Pools of batchhealthy › Flows$/);
      expect(lines.join('\n')).toMatch(/› id-batch-nodes .*node identity reference/);
    }, WAIT);
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines.join('\n')).toContain('? Apply step to Azure now');
    }, WAIT);
    expect(screen()).toContain(
      'Attach a user-assigned identity to a pool: id-batch-nodes → batchhealthy/packages-other-identity',
    );
    expect(screen()).toContain(
      '1. Pool batchhealthy/packages-other-identity: attach id-batch-nodes',
    );
    expect(screen()).toContain('identity.userAssignedIdentities');
    expect(screen()).toMatch(/^ +- id-workload$/m);
    expect(screen()).toMatch(/^ +\+ id-workload, id-batch-nodes$/m);
    expect(screen()).toMatch(/2\. \(optional, confirmed on its own\) Resize pool/);
    expect(screen()).toContain('hold every permission this plan needs');

    // Esc leaves the flow without applying anything.
    session.type('\u001B');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Pools of batchhealthy {2}\/packages-other$/);
    });
    session.type('q');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  }, 120_000);
});
