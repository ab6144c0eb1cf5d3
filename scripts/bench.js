// Benchmarks (npm run bench): figures of speed and memory, printed, never asserted. Each figure is
// the median of several runs of the built program in a pseudo-terminal, as an operator runs it.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import headless from '@xterm/headless';
import * as pty from 'node-pty';

const ENTRY = path.resolve('dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function env(home) {
  const result = { ...process.env, TERM: 'xterm-256color', LANG: 'en_US.UTF-8', BATCH_MI_TUI_CONFIG_DIR: path.join(home, 'config') };
  delete result.CI;
  delete result.CONTINUOUS_INTEGRATION;
  return result;
}

/** Launches the program and resolves with the times (ms after spawn) at which each probe first held. */
function launch(args, probes, { columns = 200, rows = 30, timeout = 20_000 } = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-bench-'));
  const terminal = new headless.Terminal({ cols: columns, rows, allowProposedApi: true });
  const started = performance.now();
  const child = pty.spawn(process.execPath, [ENTRY, ...args], { name: 'xterm-256color', cols: columns, rows, cwd: process.cwd(), env: env(home) });
  const times = {};
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; seen: ${Object.keys(times).join(', ') || 'nothing'}`));
    }, timeout);
    const screen = () => {
      const buffer = terminal.buffer.active;
      const lines = [];
      for (let row = 0; row < rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
      return lines.join('\n');
    };
    child.onData((data) => {
      terminal.write(data, () => {
        const text = screen();
        const now = performance.now() - started;
        for (const [name, probe] of Object.entries(probes)) if (times[name] === undefined && probe(text)) times[name] = now;
        if (Object.keys(times).length === Object.keys(probes).length && !child.quitting) {
          child.quitting = true;
          child.write('q');
        }
      });
    });
    child.onExit(() => {
      clearTimeout(timer);
      terminal.dispose();
      fs.rmSync(home, { recursive: true, force: true });
      resolve(times);
    });
  });
}

async function startUp() {
  const firstFrame = [];
  const signedIn = [];
  for (let i = 0; i < RUNS; i++) {
    const times = await launch(['--sandbox'], {
      firstFrame: (text) => text.includes('Accounts'),
      signedIn: (text) => text.includes(' as '),
    });
    firstFrame.push(times.firstFrame);
    signedIn.push(times.signedIn);
  }
  return { firstFrame: median(firstFrame), signedIn: median(signedIn) };
}

const start = await startUp();
console.log(`start: first frame ${start.firstFrame.toFixed(0)} ms after launch (median of ${RUNS}, --sandbox)`);
console.log(`start: sandbox up and signed in ${start.signedIn.toFixed(0)} ms after launch (median of ${RUNS})`);
