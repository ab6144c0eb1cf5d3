// The Nodes screen on the seeded 10,000-node pool (SPEC §7 scale: refresh ≤ 250 ms, key press →
// frame ≤ 50 ms, RSS ≤ 200 MB). The program runs alone against a standalone sandbox, so the
// figures are the program's; `--refresh 3600` keeps the timed refreshes the only ones.
import { Session } from './terminal.js';

export const ACCOUNT = 'batchscale';
export const POOL = 'render-farm';

/** Accounts → account → pools → nodes, with Enter, as an operator would get there. */
export async function openNodesScreen(session) {
  await session.waitFor((t) => t.includes(`› ${ACCOUNT}`), {
    what: `the ${ACCOUNT} row on Accounts`,
    timeout: 30_000,
  });
  await session.press('\r', (t) => t.includes(`Account ${ACCOUNT}`) && t.includes(`› ${POOL}`), {
    what: 'the account screen',
  });
  await session.press('\r', (t) => t.includes(`Pools of ${ACCOUNT}`) && t.includes(`› ${POOL}`), {
    what: 'the pools screen',
  });
  const loaded = (t) =>
    t.includes(`nodes in ${POOL}`) && /read \d/.test(t) && !t.includes('refreshing');
  return session.press('\r', loaded, { what: 'the nodes screen with its nodes', timeout: 30_000 });
}

/**
 * Presses `r` and times the refresh as the operator sees it: from the key until the status line
 * no longer says "refreshing…" — fetch (10 pages), diff, render.
 */
async function timeRefresh(session) {
  await session.quiet();
  const sent = session.now();
  const refreshing = session.waitFor((t) => t.includes('refreshing'), {
    what: '"refreshing…" after r',
  });
  session.child.write('r');
  await refreshing;
  const done = await session.waitFor((t) => !t.includes('refreshing') && /read \d/.test(t), {
    what: 'the refresh to finish',
  });
  return done - sent;
}

/** The line the selection marker is on: what a move or jump must change. */
const selected = (text) => text.split('\n').find((line) => line.startsWith('›'));

/**
 * Presses the keys in turn on a settled screen; each time is until the selected row changed. A
 * key that changes nothing within 2 s is counted as lost (the operator would press it again).
 */
async function timeKeys(session, keys, count) {
  const times = [];
  let lost = 0;
  for (let i = 0; i < count; i++) {
    await session.quiet();
    const before = selected(session.screen());
    try {
      times.push(
        await session.press(keys[i % keys.length], (t) => selected(t) !== before, {
          timeout: 2_000,
        }),
      );
    } catch {
      lost += 1;
    }
  }
  return { times, lost };
}

/**
 * @param {{ profile: string, runs: number }} options
 * @returns {Promise<{ open: number, refresh: number[], move: number[], jump: number[], lost: number, peakRssMb?: number, refreshCpuMs?: number, rss: { open?: number, refreshed?: number, end?: number } }>}
 */
export async function measureNodesScreen({ profile, runs }) {
  const session = new Session({
    args: ['--cloud', profile, '--account', ACCOUNT, '--refresh', '3600'],
    columns: 160,
    rows: 40,
  });
  try {
    const open = await openNodesScreen(session);
    const rss = { open: session.rssMb() };
    const refresh = [];
    await session.quiet();
    const cpuBefore = session.cpuMs();
    for (let i = 0; i < runs; i++) refresh.push(await timeRefresh(session));
    const cpuAfter = session.cpuMs();
    rss.refreshed = session.rssMb();
    // j/k: the selection moves one row; G/g: to the last of 10,000 rows and back (the window moves).
    const move = await timeKeys(session, ['j', 'k'], runs * 2);
    const jump = await timeKeys(session, ['G', 'g'], runs * 2);
    const peakRssMb = session.peakRssMb();
    rss.end = session.rssMb();
    return {
      rss,
      ...(cpuBefore === undefined || cpuAfter === undefined
        ? {}
        : { refreshCpuMs: (cpuAfter - cpuBefore) / runs }),
      open,
      refresh,
      move: move.times,
      jump: jump.times,
      lost: move.lost + jump.lost,
      ...(peakRssMb === undefined ? {} : { peakRssMb }),
    };
  } finally {
    await session.quit();
  }
}
