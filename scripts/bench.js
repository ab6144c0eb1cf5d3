// Benchmarks (npm run bench): figures of speed and memory, printed, never asserted. Each figure is
// the median of several runs of the built program in a pseudo-terminal, as an operator runs it,
// beside its SPEC §7 bar.
//
//   node scripts/bench.js [start] [nodes] [endurance]   sections (default: start, nodes)
//   BENCH_RUNS=N                               runs per figure (default 10)
//   BENCH_ENTRY=path/to/cli.js                 another build (e.g. an older one, to compare)
//   BENCH_ENDURANCE_MINUTES=M                  length of the endurance run (default 30, SPEC §7)
//   BENCH_SAMPLE_SECONDS=S / BENCH_FAULT_SECONDS=F / BENCH_REFRESH_SECONDS=R
//                                              endurance: RSS sample, fault and poll intervals
//                                              (default 10, 15, 5)
//
// Sections:
// - start: launch → first frame, and → sandbox up and signed in, with `--sandbox` (SPEC §7 start:
//   first frame ≤ 300 ms); peak RSS of that process (program + in-process sandbox + Azurite).
// - nodes: the Nodes screen on the 10,000-node pool, the program alone against a standalone
//   sandbox: refresh (fetch + diff + render) ≤ 250 ms, key press → frame ≤ 50 ms, RSS ≤ 200 MB.
// - endurance (only when asked for: it takes BENCH_ENDURANCE_MINUTES): the Nodes screen left open
//   on the 10,000-node pool, polling, with faults injected; RSS sampled throughout (SPEC §7
//   endurance: memory flat, still working). Prints the series, its slope, polls and faults.
import os from 'node:os';
import { measureEndurance, reportEndurance } from './bench/endurance.js';
import { measureNodesScreen } from './bench/nodes-screen.js';
import { startSandbox } from './bench/sandbox.js';
import { ENTRY, Session } from './bench/terminal.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const wanted = process.argv.slice(2);
const sections = wanted.length ? wanted : ['start', 'nodes'];
const SECTIONS = { start: startUp, nodes: nodesScreen, endurance };

function median(values) {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `name  value unit  (bar …, ok/OVER)  detail`, aligned for reading. */
function report(name, value, unit, bar, detail) {
  const figure = Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} ${unit}`;
  const verdict =
    bar === undefined || Number.isNaN(value)
      ? ''
      : `  (bar ≤ ${bar} ${unit}: ${value <= bar ? 'ok' : 'OVER'})`;
  console.log(`${name.padEnd(34)}${figure.padStart(9)}${verdict}${detail ? `  ${detail}` : ''}`);
}

async function startUp() {
  const firstFrame = [];
  const signedIn = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const session = new Session({ args: ['--sandbox'] });
    try {
      // The probes of the first benchmark, kept so that figures stay comparable over time.
      firstFrame.push(
        await session.waitFor((text) => text.includes('Accounts'), { what: 'the first frame' }),
      );
      signedIn.push(
        await session.waitFor((text) => text.includes(' as '), { what: 'the signed-in header' }),
      );
      rss.push(session.peakRssMb());
    } finally {
      await session.quit();
    }
  }
  report('start: first frame', median(firstFrame), 'ms', 300, `median of ${RUNS}, --sandbox`);
  report('start: sandbox up and signed in', median(signedIn), 'ms', undefined, `median of ${RUNS}`);
  report(
    'start: peak RSS at signed in',
    median(rss),
    'MB',
    undefined,
    'program + in-process sandbox',
  );
}

async function nodesScreen() {
  const sandbox = await startSandbox();
  try {
    const m = await measureNodesScreen({ profile: sandbox.profile, runs: RUNS });
    report('nodes: open, 10,000 nodes', m.open, 'ms', undefined, 'Enter on the pool → table shown');
    report(
      'nodes: refresh (fetch+diff+render)',
      median(m.refresh),
      'ms',
      250,
      `median of ${m.refresh.length}, r → "read"`,
    );
    report(
      'nodes: program CPU per refresh',
      m.refreshCpuMs ?? NaN,
      'ms',
      undefined,
      'user + system, mean of the refreshes: what load does not inflate',
    );
    report('nodes: key → frame (j/k)', median(m.move), 'ms', 50, `median of ${m.move.length}`);
    report('nodes: key → frame (G/g)', median(m.jump), 'ms', 50, `median of ${m.jump.length}`);
    if (m.lost)
      console.log(`nodes: ${m.lost} key press(es) changed nothing within 2 s (lost keys?)`);
    report('nodes: peak RSS', m.peakRssMb ?? NaN, 'MB', 200, 'program alone, after the runs above');
    const mb = (v) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
    console.log(
      `nodes: RSS when the screen opened ${mb(m.rss.open)}, after ${m.refresh.length} refreshes ${mb(m.rss.refreshed)}, after the keys ${mb(m.rss.end)}`,
    );
  } finally {
    await sandbox.stop();
  }
}

async function endurance() {
  const number = (name, fallback) => Number(process.env[name] ?? fallback);
  const settings = {
    minutes: number('BENCH_ENDURANCE_MINUTES', 30),
    sampleSeconds: number('BENCH_SAMPLE_SECONDS', 10),
    faultSeconds: number('BENCH_FAULT_SECONDS', 15),
    refreshSeconds: number('BENCH_REFRESH_SECONDS', 5),
  };
  const sandbox = await startSandbox();
  try {
    const m = await measureEndurance({ sandbox, ...settings, log: (line) => console.log(line) });
    reportEndurance(m, settings);
  } finally {
    await sandbox.stop();
  }
}

console.log(
  `batch-mi-tui bench: ${ENTRY}; Node ${process.version}; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
);
let failed = false;
for (const section of sections) {
  const run = SECTIONS[section];
  if (!run) {
    console.error(
      `unknown section '${section}'; the sections are ${Object.keys(SECTIONS).join(', ')}`,
    );
    process.exit(2);
  }
  try {
    await run();
  } catch (error) {
    // One section failing (e.g. a screen still being built) must not hide the others' figures.
    failed = true;
    console.log(
      `${section}: not measured: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
process.exitCode = failed ? 1 : 0;
