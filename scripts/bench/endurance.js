// SPEC §7 endurance: the Nodes screen left open on the 10,000-node pool, with faults injected,
// keeps its memory flat and keeps working. The program runs alone (`--cloud`) against a standalone
// sandbox, polling every --refresh seconds as an operator would leave it; every few seconds the
// sandbox is told to fail the next listing requests in one of the ways Azure does (429 with
// Retry-After, 503, 500, a dropped connection, a slow answer). The program's RSS is sampled
// throughout; the figures are the series, its slope after warm-up, and proof that polls kept
// completing.
import { openNodesScreen, POOL } from './nodes-screen.js';
import { Session } from './terminal.js';

/** The faults, in turn; each hits the next matching request(s), then disarms itself. */
const FAULTS = [
  { name: '429', rule: { kind: 'throttle', retryAfterSeconds: 1, times: 1 } },
  { name: '503', rule: { kind: 'error', status: 503, times: 2 } },
  { name: 'drop', rule: { kind: 'drop', times: 1 } },
  { name: 'slow', rule: { kind: 'latency', latencyMs: 400, times: 5 } },
  { name: '500', rule: { kind: 'error', status: 500, times: 1 } },
];

/** Least-squares slope of `ys` over `xs` (per unit of x). */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {{ sandbox: Awaited<ReturnType<typeof import('./sandbox.js').startSandbox>>,
 *   minutes: number, sampleSeconds: number, faultSeconds: number, refreshSeconds: number,
 *   log: (line: string) => void }} options
 */
export async function measureEndurance({
  sandbox,
  minutes,
  sampleSeconds,
  faultSeconds,
  refreshSeconds,
  log,
}) {
  const session = new Session({
    args: [
      '--cloud',
      sandbox.profile,
      '--account',
      'batchscale',
      '--refresh',
      String(refreshSeconds),
    ],
    columns: 160,
    rows: 40,
  });
  const samples = [];
  const reads = new Set();
  let retriesSeen = 0;
  let failuresSeen = 0;
  let injected = 0;
  const byKind = new Map();
  try {
    await openNodesScreen(session);
    const started = Date.now();
    const until = started + minutes * 60_000;
    let nextSample = started;
    let nextFault = started + faultSeconds * 1000;
    let wasRetrying = false;
    let wasFailing = false;
    let faultIndex = 0;
    while (Date.now() < until) {
      // Watch the status line: a new "read HH:MM:SS" is a poll completed; "retrying" a fault met.
      const text = session.screen();
      const read = /read (\d\d:\d\d:\d\d)/.exec(text)?.[1];
      if (read) reads.add(read);
      const retrying = text.includes('retrying');
      if (retrying && !wasRetrying) retriesSeen++;
      wasRetrying = retrying;
      const failing = text.includes('showing what was read');
      if (failing && !wasFailing) failuresSeen++;
      wasFailing = failing;
      const now = Date.now();
      if (now >= nextSample) {
        const rss = session.rssMb();
        if (rss === undefined) throw new Error('RSS is not readable here (/proc/PID/status)');
        samples.push({ minute: (now - started) / 60_000, rss });
        nextSample += sampleSeconds * 1000;
      }
      if (now >= nextFault) {
        const fault = FAULTS[faultIndex++ % FAULTS.length];
        await sandbox.faults.add({
          listener: 'batch',
          match: `/pools/${POOL}/nodes`,
          ...fault.rule,
        });
        injected++;
        byKind.set(fault.name, (byKind.get(fault.name) ?? 0) + 1);
        nextFault += faultSeconds * 1000;
      }
      await sleep(200);
    }
    const armed = await sandbox.faults.list();
    await sandbox.faults.clear();
    // Still working: once the faults are gone, the next poll completes and shows the whole pool.
    const final = await session.waitFor(
      (t) => t.includes(`10,000 nodes in ${POOL}`) && /read \d/.test(t) && !t.includes('retrying'),
      { what: 'the Nodes screen after the run', timeout: (refreshSeconds + 30) * 1000 },
    );
    void final;
    return {
      samples,
      polls: reads.size,
      retriesSeen,
      failuresSeen,
      injected,
      byKind: Object.fromEntries(byKind),
      stillArmed: armed.length,
      peakRssMb: session.peakRssMb(),
      screen: session.screen(),
      log,
    };
  } finally {
    await session.quit();
  }
}

/** The figures of a run, printed: the series, its range and slope, and the polls and faults. */
export function reportEndurance(m, { minutes, refreshSeconds, faultSeconds, sampleSeconds }) {
  const print = m.log;
  const rss = m.samples.map((s) => s.rss);
  const warm = m.samples.filter((s) => s.minute >= Math.min(2, minutes / 5));
  const perMinute = slope(
    warm.map((s) => s.minute),
    warm.map((s) => s.rss),
  );
  const half = warm.slice(Math.floor(warm.length / 2));
  const lateSlope = slope(
    half.map((s) => s.minute),
    half.map((s) => s.rss),
  );
  print(
    `endurance: ${minutes} min on ${POOL} (10,000 nodes), --refresh ${refreshSeconds}, a fault every ${faultSeconds} s (${FAULTS.map((f) => f.name).join(', ')}), RSS every ${sampleSeconds} s:`,
  );
  for (let i = 0; i < m.samples.length; i += 10) {
    const row = m.samples.slice(i, i + 10);
    print(
      `  ${row[0].minute.toFixed(1).padStart(5)} min  ${row.map((s) => s.rss.toFixed(0).padStart(4)).join(' ')}`,
    );
  }
  const fmt = (v) => (Number.isNaN(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);
  print(
    `endurance: RSS first ${rss[0]?.toFixed(0)} MB, last ${rss.at(-1)?.toFixed(0)} MB, after warm-up min ${Math.min(...warm.map((s) => s.rss)).toFixed(0)} / max ${Math.max(...warm.map((s) => s.rss)).toFixed(0)} MB, peak (VmHWM) ${m.peakRssMb?.toFixed(0) ?? 'n/a'} MB (bar ≤ 200 MB: ${(m.peakRssMb ?? Infinity) <= 200 ? 'ok' : 'OVER'})`,
  );
  print(
    `endurance: slope after warm-up ${fmt(perMinute)} MB/min, over the second half ${fmt(lateSlope)} MB/min (${Math.abs(perMinute) * minutes < 10 ? 'flat' : 'NOT flat'}: < 10 MB over the run)`,
  );
  print(
    `endurance: ${m.polls} polls completed, ${m.injected} faults injected (${Object.entries(
      m.byKind,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}; ${m.stillArmed} not yet hit), "retrying" shown ${m.retriesSeen} times, failures shown ${m.failuresSeen} times; screen live at the end`,
  );
}
