/**
 * The built program's Logs screen in a terminal, on its own sandbox (`--sandbox`): from the Nodes
 * screen of the pool stuck in Starting (table A3: batchnoref/packages-no-reference), `l` on the
 * first node, upload to the default destination (the `batch-logs` container of the account's
 * autostorage, which the seeded operator may read and the node identity may write), the four
 * files listed, and agent-debug.log opened at the TvmJoinPoolInProgress line: the cursor row,
 * the signature drawn bold, and MI003 with its explanation read off the screen.
 */
import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY, PtySession, expectRestored } from './pty.js';

const sessions: PtySession[] = [];
// Starting the sandbox (Azurite included) takes a few seconds.
const WAIT = 20_000;
const ACCOUNT = 'batchnoref';
const POOL = 'packages-no-reference';
const SIGNATURE = 'TvmJoinPoolInProgress';

beforeAll(() => {
  if (!fs.existsSync(ENTRY)) {
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  }
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

/** The cells of a screen row drawn with an attribute, as runs of text. */
function styledText(session: PtySession, row: number, is: 'bold' | 'inverse'): string[] {
  const buffer = session.terminal.buffer.active;
  const line = buffer.getLine(buffer.viewportY + row);
  const runs: string[] = [];
  let run = '';
  for (let x = 0; x < session.terminal.cols; x++) {
    const cell = line?.getCell(x);
    const on = cell ? (is === 'bold' ? cell.isBold() : cell.isInverse()) !== 0 : false;
    if (on) run += cell?.getChars() || ' ';
    else if (run) {
      runs.push(run.trimEnd());
      run = '';
    }
  }
  if (run) runs.push(run.trimEnd());
  return runs;
}

describe('the Logs screen in a terminal', () => {
  it('uploads a stuck node’s logs to autostorage and shows MI003 at the TvmJoinPoolInProgress line', async () => {
    const session = new PtySession({ args: ['--sandbox'], columns: 100, rows: 30 });
    sessions.push(session);
    const screen = () => session.screen();

    await session.waitFor((lines) => {
      expect(lines.join('\n')).toMatch(/\d+ accounts · read/);
    }, WAIT);
    // Each filter is waited on until it is applied (the prompt gone from the bottom row), so that
    // the next Enter reaches the list, not the prompt.
    session.type(`/${ACCOUNT}\r`);
    await session.waitFor((lines) => {
      expect(lines[1]).toBe(`Accounts  /${ACCOUNT}`);
      expect(lines.at(-1)).not.toContain('Enter apply');
      expect(lines.join('\n')).toMatch(new RegExp(`› ${ACCOUNT} `));
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toBe(`Accounts › Account ${ACCOUNT}`);
      expect(lines.join('\n')).toMatch(/pools \(\d+\)/);
    }, WAIT);
    session.type(`/${POOL}\r`);
    await session.waitFor((lines) => {
      expect(lines[1]).toBe(`Accounts › Account ${ACCOUNT}  /${POOL}`);
      expect(lines.at(-1)).not.toContain('Enter apply');
      expect(lines.join('\n')).toContain(`› ${POOL}`);
    });
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(/Pools of batchnoref/);
      expect(lines.join('\n')).toMatch(new RegExp(`› ${POOL.slice(0, 12)}`));
    }, WAIT);
    session.type('\r');
    await session.waitFor((lines) => {
      expect(lines[1]).toMatch(new RegExp(`Nodes of ${POOL}$`));
      expect(lines.join('\n')).toMatch(/^› tvm/m);
    }, WAIT);

    // `l` on the selected node: the form, with autostorage's logs container as the destination
    // and the node identity reference (id-batch-nodes) as the writer, allowed to write there.
    session.type('l');
    await session.waitFor((lines) => {
      const text = lines.join('\n');
      expect(lines[1]).toMatch(/ › Logs$/);
      expect(text).toMatch(/^▌ Window {9}last hour$/m);
      expect(text).toMatch(/^ {2}Destination {4}autostorage .*stbatchauto.*batch-logs/m);
      expect(text).toMatch(/^ {2}Authorization {2}id-batch-nodes {2}✓ may write$/m);
    }, WAIT);

    session.type('u');
    await session.waitFor((lines) => {
      const text = lines.join('\n');
      expect(text).not.toMatch(/^✗ /m);
      expect(text).toMatch(new RegExp(`^✓ 4 files in ${POOL}/tvm`, 'm'));
      for (const name of ['agent-debug.log', 'agent.log', 'controller.log', 'watchdog.log'])
        expect(text).toMatch(new RegExp(`^ {2}${name.replace('.', '\\.')} {2}\\d`, 'm'));
    }, WAIT);

    // agent-debug.log is the first file: Enter opens it at the line that explains the node.
    session.type('\r');
    await session.waitFor((lines) => {
      const text = lines.join('\n');
      expect(lines[2]).toMatch(/^agent-debug\.log {2}\d+-\d+ of \d+ /);
      expect(text).toContain(SIGNATURE);
      expect(text).toMatch(/^MI003 The node never finishes joining the pool/m);
    }, WAIT);
    const lines = session.lines();
    const row = lines.findIndex((l) => /^\s*\d+ /.test(l) && l.includes(SIGNATURE));
    expect(row).toBeGreaterThan(2);
    // The signature's line is the cursor, and the signature in it is drawn bold.
    expect(styledText(session, row, 'inverse').join('')).toContain(SIGNATURE);
    expect(styledText(session, row, 'bold')).toContain(SIGNATURE);
    // Every rule the viewer names is MI003 (the footer and the note).
    const named = lines.flatMap((l) => /^(MI\d{3}):? /.exec(l)?.[1] ?? []);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named)).toEqual(new Set(['MI003']));
    expect(screen()).toMatch(/^MI003 .*\(d: doctor\)$|^MI003 .*…$/m);

    // Esc back to the files, q quits and restores the terminal.
    session.type('\u001B');
    await session.waitFor((shown) => {
      expect(shown.join('\n')).toMatch(/^✓ 4 files in /m);
    });
    session.type('q');
    expect((await session.exit()).exitCode).toBe(0);
    expectRestored(session);
  }, 120_000);
});
