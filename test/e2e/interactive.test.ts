import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY, PtySession, expectRestored } from './pty.js';

const sessions: PtySession[] = [];

function start(options: ConstructorParameters<typeof PtySession>[0] = {}): PtySession {
  const session = new PtySession({ args: ['--sandbox'], ...options });
  sessions.push(session);
  return session;
}

/** The shell is up and listening: breadcrumb on the second row, key reminder on the last. */
async function ready(session: PtySession): Promise<void> {
  await session.waitFor((lines) => {
    expect(session.bufferType()).toBe('alternate');
    expect(lines[1]).toMatch(/^Accounts/);
  });
}

beforeAll(() => {
  if (!fs.existsSync(ENTRY)) {
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  }
});

afterEach(() => {
  for (const session of sessions.splice(0)) {
    session.dispose();
  }
});

describe('the built program in a terminal', () => {
  it('opens full screen, answers :, ? and Esc, and q restores the terminal with exit code 0', async () => {
    const session = start();
    await ready(session);

    session.type(':');
    await session.waitFor((lines) => {
      expect(lines.join('\n')).toContain(':sub ID');
    });
    session.type('po\t');
    await session.waitFor((lines) => {
      expect(lines.at(-1)).toMatch(/^:pools/);
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe('Accounts › Pools');
    });
    session.type('?');
    await session.waitFor((lines) => {
      expect(lines.join('\n')).toContain('Keys — Pools');
    });
    session.type('\u001B');
    await session.waitFor((lines) => {
      expect(lines.join('\n')).not.toContain('Keys — Pools');
    });

    session.type('q');
    const { exitCode } = await session.exit();
    expect(exitCode).toBe(0);
    expectRestored(session);
    // The primary screen holds nothing of the program's frames.
    expect(session.screen()).not.toContain('Accounts');
  });

  it('re-lays out on resize without leftovers', async () => {
    const session = start({ columns: 200, rows: 60 });
    await ready(session);
    session.type(':pools\r?');
    await session.waitFor((lines) => {
      expect(lines.join('\n')).toContain('Keys — Pools');
    });
    for (const [columns, rows] of [
      [80, 24],
      [200, 60],
      [60, 12],
    ] as const) {
      session.resize(columns, rows);
      await session.waitFor((lines) => {
        expect(lines).toHaveLength(rows);
        expect(lines[1]).toMatch(/^Accounts › Pools/);
        expect(lines.at(-1)).toMatch(/\? keys/);
      });
      const text = session.screen();
      // Each part appears once: an old frame left behind would repeat it.
      expect(text.match(/Accounts › Pools/g)).toHaveLength(1);
      expect(text.match(/\? keys/g)).toHaveLength(1);
      expect(text.match(/│ sub /g)).toHaveLength(1);
    }
    session.type('q');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('restores the terminal on Ctrl+C with exit code 0', async () => {
    const session = start();
    await ready(session);
    session.type('\u0003');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('restores the terminal on Ctrl+C while a prompt is open', async () => {
    const session = start();
    await ready(session);
    session.type('/pool');
    await session.waitFor((lines) => {
      expect(lines.at(-1)).toMatch(/^\/pool/);
    });
    session.type('\u0003');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  });

  it.each([
    ['SIGTERM', 143, 15],
    ['SIGHUP', 129, 1],
  ] as const)('restores the terminal on %s', async (signal, code, number) => {
    const session = start();
    await ready(session);
    session.process.kill(signal);
    const exit = await session.exit();
    // 128 + signal number, as shells report a program ended by a signal.
    expect(exit.exitCode === code || exit.signal === number).toBe(true);
    expectRestored(session);
  });

  it.each([
    ['an uncaught exception', 'exception', 'e2e: simulated crash'],
    ['an unhandled rejection', 'rejection', 'e2e: simulated unhandled rejection'],
  ])('restores the terminal on %s and names the debug file', async (_what, mode, message) => {
    const session = start({
      nodeArgs: ['--import', path.resolve('test/e2e/crash.ts')],
      env: { E2E_CRASH: mode },
    });
    await ready(session);
    session.process.kill('SIGCONT');
    const exit = await session.exit();
    expect(exit.exitCode).toBe(1);
    expectRestored(session);
    const said = /the details are in (\S+)/.exec(session.screen().replaceAll('\n', ''));
    expect(said, session.screen()).not.toBeNull();
    const file = said?.[1] ?? '';
    expect(file.startsWith(session.home)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain(message);
    // Nothing of the error reached the screen but that one sentence.
    expect(session.screen()).not.toContain(message);
  });
});
