// The built program in a pseudo-terminal, read through a headless xterm: what an operator sees,
// and when. Times are taken when a chunk of output has been applied to the screen, so a figure
// is "until the screen showed it", not "until the program decided to draw it".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import headless from '@xterm/headless';
import * as pty from 'node-pty';

export const ENTRY = path.resolve(process.env.BENCH_ENTRY ?? 'dist/cli.js');

function environment(home) {
  const env = {
    ...process.env,
    TERM: 'xterm-256color',
    LANG: 'en_US.UTF-8',
    // Fresh settings per run: a remembered account or subscription must not change the path.
    BATCH_MI_TUI_CONFIG_DIR: path.join(home, 'config'),
  };
  // Under CI=true Ink renders non-interactively: no alternate screen, no input.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return env;
}

/**
 * Peak resident set size of a process in MB: the kernel's high-water mark (VmHWM) on Linux,
 * else the current RSS from `ps` (the caller samples it; undefined when neither is readable).
 */
export function peakRssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux, or the process is gone
  }
  return undefined;
}

/** Current resident set size of a process in MB (VmRSS), or undefined off Linux. */
export function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux, or the process is gone
  }
  return undefined;
}

/**
 * CPU time a process has used, user + system, in ms (/proc/PID/stat, in USER_HZ = 100 ticks a
 * second), or undefined off Linux: a figure that machine load does not inflate as it does
 * wall-clock times.
 */
export function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "(comm)", which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export class Session {
  /** @param {{ args: string[], columns?: number, rows?: number, entry?: string }} options */
  constructor({ args, columns = 200, rows = 30, entry = ENTRY }) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-bench-'));
    this.rows = rows;
    this.terminal = new headless.Terminal({ cols: columns, rows, allowProposedApi: true });
    this.waiters = new Set();
    this.started = performance.now();
    this.child = pty.spawn(process.execPath, [entry, ...args], {
      name: 'xterm-256color',
      cols: columns,
      rows,
      cwd: process.cwd(),
      env: environment(this.home),
    });
    this.lastOutput = 0;
    this.child.onData((data) => {
      this.lastOutput = this.now();
      this.terminal.write(data, () => this.check());
    });
    this.exited = new Promise((resolve) => {
      this.child.onExit((e) => {
        for (const w of this.waiters)
          w.reject(new Error(`the program exited (${e.exitCode}); screen:\n${this.screen()}`));
        this.terminal.dispose();
        fs.rmSync(this.home, { recursive: true, force: true });
        resolve(e);
      });
    });
  }

  /** ms since launch. */
  now() {
    return performance.now() - this.started;
  }

  screen() {
    const buffer = this.terminal.buffer.active;
    const lines = [];
    for (let row = 0; row < this.rows; row++)
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  check() {
    const text = this.screen();
    const at = this.now();
    for (const w of [...this.waiters]) {
      if (w.probe(text)) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(at);
      }
    }
  }

  /** Resolves with the time (ms since launch) of the first screen on which `probe` holds. */
  waitFor(probe, { timeout = 20_000, what = 'the screen' } = {}) {
    if (probe(this.screen())) return Promise.resolve(this.now());
    return new Promise((resolve, reject) => {
      const waiter = { probe, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`));
      }, timeout);
      this.waiters.add(waiter);
    });
  }

  /**
   * Types `keys` and resolves with the ms until a screen on which `probe` holds (by default: any
   * screen that differs from the one before the key).
   */
  async press(keys, probe, options) {
    const before = this.screen();
    const waiting = this.waitFor(probe ?? ((text) => text !== before), options);
    const sent = this.now();
    this.child.write(keys);
    return (await waiting) - sent;
  }

  /**
   * Resolves once the program has written nothing for `ms`: a frame arrives in several chunks,
   * and a key timed while the last one is still arriving would be credited with its change.
   */
  async quiet(ms = 150, timeout = 10_000) {
    const until = this.now() + timeout;
    while (this.now() - this.lastOutput < ms) {
      if (this.now() > until)
        throw new Error(`the screen did not settle; screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, ms - (this.now() - this.lastOutput) + 1));
    }
  }

  peakRssMb() {
    return peakRssMb(this.child.pid);
  }

  rssMb() {
    return rssMb(this.child.pid);
  }

  cpuMs() {
    return cpuMs(this.child.pid);
  }

  async quit() {
    this.child.write('q');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
