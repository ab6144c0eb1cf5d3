/**
 * Drives the built program in a pseudo-terminal and reads its screen through a headless xterm,
 * so tests see what an operator sees (including which buffer, normal or alternate, is shown).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import headless from '@xterm/headless';
import * as pty from 'node-pty';
import { expect, vi } from 'vitest';

/** The built entry point; BATCH_MI_TUI_E2E_ENTRY may point elsewhere while developing. */
export const ENTRY = process.env['BATCH_MI_TUI_E2E_ENTRY'] ?? path.resolve('dist/cli.js');

export const ENTER_ALTERNATE = '\u001B[?1049h';
export const LEAVE_ALTERNATE = '\u001B[?1049l';
export const SHOW_CURSOR = '\u001B[?25h';
export const HIDE_CURSOR = '\u001B[?25l';

// Under CI=true Ink renders non-interactively (no alternate screen, no input), so a test that
// passes locally would fail in CI. These are the variables its is-in-ci check reads.
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'];

export interface Exit {
  exitCode: number;
  signal: number | undefined;
}

export interface SpawnOptions {
  args?: string[];
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  /** Node options placed before the entry, e.g. ['--import', file]. */
  nodeArgs?: string[];
  /** Another build of the program (e.g. an installed package's); default ENTRY. */
  entry?: string;
}

export class PtySession {
  readonly terminal: headless.Terminal;
  readonly process: pty.IPty;
  readonly exited: Promise<Exit>;
  readonly home: string;
  /** Every byte the program wrote, for checks on escape sequences. */
  output = '';

  constructor(options: SpawnOptions = {}) {
    const columns = options.columns ?? 80;
    const rows = options.rows ?? 24;
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-e2e-'));
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && !CI_VARIABLES.includes(name)) {
        env[name] = value;
      }
    }
    Object.assign(env, {
      TERM: 'xterm-256color',
      LANG: 'en_US.UTF-8',
      // Keep the operator's real settings and temp files out of reach of the test.
      BATCH_MI_TUI_CONFIG_DIR: path.join(this.home, 'config'),
      TMPDIR: this.home,
      ...options.env,
    });
    this.terminal = new headless.Terminal({ cols: columns, rows, allowProposedApi: true });
    // process.execPath is the pinned Node 24 that runs the tests, not whatever `node` is on PATH.
    this.process = pty.spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), options.entry ?? ENTRY, ...(options.args ?? [])],
      {
        name: 'xterm-256color',
        cols: columns,
        rows,
        cwd: process.cwd(),
        env,
      },
    );
    this.process.onData((data) => {
      this.output += data;
      this.terminal.write(data);
    });
    this.exited = new Promise((resolve) => {
      this.process.onExit(({ exitCode, signal }) => {
        resolve({ exitCode, signal: signal === 0 ? undefined : signal });
      });
    });
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let row = 0; row < this.terminal.rows; row++) {
      rows.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return rows;
  }

  screen(): string {
    return this.lines().join('\n');
  }

  bufferType(): 'normal' | 'alternate' {
    return this.terminal.buffer.active.type;
  }

  async waitFor(check: (lines: string[]) => void, timeout = 15_000): Promise<void> {
    await vi.waitFor(
      () => {
        check(this.lines());
      },
      { timeout, interval: 25 },
    );
  }

  type(text: string): void {
    this.process.write(text);
  }

  resize(columns: number, rows: number): void {
    this.terminal.resize(columns, rows);
    this.process.resize(columns, rows);
  }

  /** Waits for the exit and for the last bytes to reach the headless terminal. */
  async exit(timeout = 15_000): Promise<Exit> {
    const result = await Promise.race([
      this.exited,
      new Promise<never>((_resolve, reject) => {
        setTimeout(() => {
          reject(
            new Error(`the program did not exit within ${timeout} ms; screen:\n${this.screen()}`),
          );
        }, timeout).unref();
      }),
    ]);
    await new Promise<void>((resolve) => {
      this.terminal.write('', resolve);
    });
    return result;
  }

  dispose(): void {
    try {
      this.process.kill('SIGKILL');
    } catch {
      // Already gone.
    }
    this.terminal.dispose();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/** The terminal is back as it was: primary buffer, alternate screen left after it was entered, cursor shown. */
export function expectRestored(session: PtySession): void {
  const { output } = session;
  expect(output).toContain(ENTER_ALTERNATE);
  expect(output.lastIndexOf(LEAVE_ALTERNATE)).toBeGreaterThan(output.lastIndexOf(ENTER_ALTERNATE));
  expect(output.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(output.lastIndexOf(HIDE_CURSOR));
  expect(session.bufferType()).toBe('normal');
}
