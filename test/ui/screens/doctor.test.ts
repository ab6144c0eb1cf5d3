/**
 * The Doctor screen's pure parts: the reducer (runs, stale news, selection), the grouped list,
 * a finding's detail with its command rows, the health column, the OSC 52 sequence.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { groupFindings, healthByResource } from '../../../source/domain/doctor/engine.js';
import type {
  DoctorReport,
  Finding,
  NotChecked,
  Severity,
  Snapshot,
} from '../../../source/domain/doctor/types.js';
import { osc52 } from '../../../source/ui/clipboard.js';
import {
  COMMAND_HEADING,
  commandRows,
  findingDetailRows,
  FLOW_NAMES,
  FLOW_FROM_FLOWS,
  FLOW_KEY_HINT,
  notCheckedDetailRows,
} from '../../../source/ui/screens/doctor/detail.js';
import { findingCounts } from '../../../source/ui/screens/doctor/DoctorStatus.js';
import { healthIndex, healthOf, healthText } from '../../../source/ui/screens/doctor/health.js';
import {
  coverageOf,
  doctorReducer,
  initialDoctor,
} from '../../../source/ui/screens/doctor/reducer.js';
import type { DoctorAction, DoctorState } from '../../../source/ui/screens/doctor/reducer.js';
import { doctorList, selectableOf } from '../../../source/ui/screens/doctor/rows.js';
import { makeTheme } from '../../../source/ui/theme.js';

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';
const accountId = (name: string) =>
  `${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/${name}`;
const poolId = (account: string, pool: string) => `${accountId(account)}/pools/${pool}`;

function finding(
  rule: Finding['rule'],
  severity: Severity,
  resource: string,
  more: Partial<Finding> = {},
): Finding {
  const name = resource.split('/batchAccounts/')[1]?.replace('/pools/', '/') ?? resource;
  return {
    rule,
    severity,
    resource,
    resourceName: name,
    symptom: `${rule} symptom on ${name}`,
    evidence: { 'pool.identity.userAssignedIdentities': ['id-workload'], nodes: '2 unusable' },
    fix: { az: `az fix ${rule} ${name}` },
    ...more,
  };
}

const FINDINGS: Finding[] = [
  finding('MI024', 'warning', poolId('a1', 'certs')),
  finding('MI004', 'error', poolId('a1', 'p-other')),
  finding('MI021', 'critical', accountId('cmk')),
  finding('MI002', 'error', accountId('a2')),
  finding('MI005', 'error', poolId('a2', 'p-norole')),
  finding('MI028', 'info', poolId('a3', 'net')),
];
const GAP: NotChecked = {
  rules: ['MI019', 'MI021'],
  resource: accountId('cmk2'),
  reason: 'the key vault could not be read (403)',
};

function report(findings = FINDINGS, notChecked: NotChecked[] = [GAP]): DoctorReport {
  return {
    scope: { subscriptionId: '11111111-2222-3333-4444-555555555555' },
    checkedAt: new Date(0),
    findings,
    notChecked,
  };
}

const snapshot = (pools: number[]): Snapshot =>
  ({
    accounts: pools.map((nodes, i) => ({
      account: { name: `a${i}` },
      pools: [{ pool: { name: 'p' }, nodes: Array.from({ length: nodes }, () => ({})) }],
    })),
  }) as unknown as Snapshot;

describe('doctorReducer', () => {
  const started = doctorReducer(initialDoctor(), { type: 'start', run: 1, at: 100 });
  const done = doctorReducer(started, {
    type: 'done',
    run: 1,
    snapshot: snapshot([2]),
    report: report(),
    at: 200,
  });
  const retry = { attempt: 1, delayMs: 2000, reason: '429' } as unknown as Extract<
    DoctorAction,
    { type: 'retry' }
  >['event'];

  it.each<[string, DoctorState, DoctorAction, Partial<DoctorState>]>([
    [
      'a first run starts',
      initialDoctor(),
      { type: 'start', run: 1, at: 100 },
      { run: 1, running: true, startedAt: 100 },
    ],
    [
      'an older run cannot start again',
      started,
      { type: 'start', run: 1, at: 150 },
      { startedAt: 100 },
    ],
    [
      'a retry of the run in flight is shown',
      started,
      { type: 'retry', run: 1, event: retry },
      { retry },
    ],
    [
      'a retry of an abandoned run is not',
      started,
      { type: 'retry', run: 0, event: retry },
      { retry: undefined },
    ],
    [
      'the run in flight finishing brings its report',
      started,
      { type: 'done', run: 1, snapshot: snapshot([2]), report: report(), at: 200 },
      { running: false, finishedAt: 200, report: report() },
    ],
    [
      'an abandoned run finishing is dropped',
      doctorReducer(started, { type: 'start', run: 2, at: 120 }),
      { type: 'done', run: 1, snapshot: snapshot([2]), report: report([]), at: 200 },
      { running: true, report: undefined },
    ],
    [
      'a failure keeps the last report beside the error',
      doctorReducer(done, { type: 'start', run: 2, at: 300 }),
      { type: 'failed', run: 2, error: new Error('503') },
      { running: false, error: new Error('503'), report: report() },
    ],
    [
      'a new run clears the last failure, keeps the report on screen',
      { ...done, error: new Error('503') },
      { type: 'start', run: 2, at: 300 },
      { error: undefined, running: true, report: report() },
    ],
    [
      'a failure of an abandoned run is dropped',
      done,
      { type: 'failed', run: 1, error: new Error('late') },
      { error: undefined },
    ],
  ])('%s', (_name, state, action, expected) => {
    expect(doctorReducer(state, action)).toMatchObject(expected);
  });

  it('moves over findings and not-checked entries only, never past the ends', () => {
    const list = doctorList(report());
    const move = (state: DoctorState, by: number | 'top' | 'bottom') =>
      doctorReducer(state, {
        type: 'move',
        by,
        keys: list.keys,
        positions: list.positions,
        total: list.rows.length,
        height: 5,
      });
    let state = move(done, 1);
    expect(state.selection.selected).toBe(list.keys[1]);
    state = move(state, 'bottom');
    expect(state.selection.selected).toBe(list.keys.at(-1));
    expect(state.offset).toBe(list.rows.length - 5);
    state = move(state, 100);
    expect(state.selection.selected).toBe(list.keys.at(-1));
    // Back to the first finding: its headings come into view with it.
    state = move(state, 'top');
    expect(state.selection.selected).toBe(list.keys[0]);
    expect(state.offset).toBe(0);
    expect(
      doctorReducer(done, { type: 'move', by: 1, keys: [], positions: [], total: 0, height: 5 }),
    ).toBe(done);
  });

  it('counts what a run read', () => {
    expect(coverageOf(snapshot([2, 0, 10]))).toEqual({ accounts: 3, pools: 3, nodes: 12 });
  });
});

describe('doctorList', () => {
  it('groups by severity then resource in the order of groupFindings, then what was not checked', () => {
    const list = doctorList(report());
    const expected = groupFindings(FINDINGS).flatMap((g) => [
      `severity ${g.severity}`,
      ...g.resources.flatMap((r) => [
        `resource ${r.resourceName}`,
        ...r.findings.map((f) => `finding ${f.rule}`),
      ]),
    ]);
    const shown = list.rows.map((row) => {
      switch (row.kind) {
        case 'severity':
          return `severity ${row.severity}`;
        case 'resource':
          return `resource ${row.resourceName}`;
        case 'finding':
          return `finding ${row.finding.rule}`;
        case 'notCheckedHeading':
          return 'not checked';
        case 'notChecked':
          return `gap ${row.entry.rules.join(',')}`;
      }
    });
    expect(shown).toEqual([...expected, 'not checked', 'gap MI019,MI021']);
    expect(list.keys).toHaveLength(FINDINGS.length + 1);
    expect(list.positions.map((p) => list.rows[p]?.kind)).toEqual([
      ...FINDINGS.map(() => 'finding'),
      'notChecked',
    ]);
    expect(shown[0]).toBe('severity critical');
  });

  it.each([
    ['MI004', ['MI004'], 6],
    ['!error', ['MI021', 'MI024', 'MI028'], 3],
    ['a2', ['MI002', 'MI005'], 5],
    ['key vault', [], 6],
  ])('filters on %j', (filter, rules, hidden) => {
    const list = doctorList(report(), filter);
    const kept = list.keys
      .map((k) => selectableOf(list, k))
      .flatMap((r) => (r?.kind === 'finding' ? [r.finding.rule] : []));
    expect(kept.sort()).toEqual([...rules].sort());
    expect(list.hidden).toBe(hidden);
    // No heading without something under it.
    expect(list.rows.filter((r) => r.kind === 'severity').length).toBe(
      new Set(kept.map((k) => FINDINGS.find((f) => f.rule === k)?.severity)).size,
    );
  });

  it('keeps keys unique when a rule fires twice on one resource', () => {
    const twice = [
      finding('MI009', 'error', poolId('a1', 'p')),
      finding('MI009', 'error', poolId('a1', 'p')),
    ];
    const list = doctorList(report(twice, []));
    expect(new Set(list.keys).size).toBe(2);
  });

  it('is empty without a report', () => {
    expect(doctorList(undefined)).toMatchObject({ rows: [], keys: [] });
  });
});

describe('a finding in full', () => {
  const theme = makeTheme('plain', { LANG: 'en_US.UTF-8' }, 'linux');
  const az = `az rest --method patch --url "https://management.azure.com${poolId('a1', 'p-other')}?api-version=2023-11-01" --body '{"identity":{"type":"UserAssigned"}}'`;
  const full = finding('MI004', 'error', poolId('a1', 'p-other'), {
    fix: { az, flow: 'pool-identity', note: 'resize the pool to 0 and back' },
  });

  it.each([80, 100, 37])(
    'shows the command whole at %i columns: rows of exactly the width, nothing added',
    (width) => {
      const rows = findingDetailRows(full, width, theme).map((r) => r.text);
      const at = rows.findIndex((row) => row.startsWith('az rest'));
      expect(rows.slice(0, at).join(' ')).toContain(COMMAND_HEADING);
      const command = rows.slice(at, rows.indexOf('', at));
      expect(command.join('')).toBe(az);
      for (const [i, row] of command.slice(0, -1).entries()) {
        // Full rows, but for one cut short so that the space at the cut starts the next row.
        const next = command[i + 1] ?? '';
        expect([...row].length + (next.startsWith(' ') ? 1 : 0)).toBeGreaterThanOrEqual(width);
        expect(row).not.toMatch(/\s$/);
      }
      for (const row of rows) expect([...row].length).toBeLessThanOrEqual(width);
    },
  );

  it('shows the symptom, the evidence as property → value, the flow by name and the note', () => {
    const text = findingDetailRows(full, 120, theme).map((r) => r.text);
    expect(text[0]).toBe('✗ ERROR: MI004 symptom on a1/p-other');
    expect(text).toContain('  pool.identity.userAssignedIdentities → id-workload');
    expect(text).toContain('  nodes → 2 unusable');
    expect(text).toContain(`  in the program: the "${FLOW_NAMES['pool-identity']}" flow`);
    expect(text).toContain(`    (${FLOW_KEY_HINT})`);
    // Without what the flow needs (an older run's snapshot), it says how else to get there.
    const without = findingDetailRows(full, 120, theme, false).map((r) => r.text);
    expect(without).toContain(`    (${FLOW_FROM_FLOWS})`);
    expect(without).not.toContain(`    (${FLOW_KEY_HINT})`);
    expect(text).toContain('  then: resize the pool to 0 and back');
    const ascii = findingDetailRows(full, 120, makeTheme('plain', { LANG: 'C' }, 'linux'));
    expect(ascii.map((r) => r.text)).toContain('  nodes -> 2 unusable');
    expect(ascii[0]?.text.startsWith('x ERROR')).toBe(true);
  });

  it.each([
    ['', 10, []],
    ['abc', 10, ['abc']],
    ['abcdefghij', 5, ['abcde', 'fghij']],
    ['abcdefghijk', 5, ['abcde', 'fghij', 'k']],
    ['ab\ncd', 10, ['ab', 'cd']],
    ['✓✓✓', 2, ['✓✓', '✓']],
    ['ab cd', 3, ['ab', ' cd']],
    ['abc  d', 4, ['abc', '  d']],
    ['a  ', 2, ['a', '  ']],
  ])('commandRows(%j, %i)', (text, width, rows) => {
    expect(commandRows(text, width)).toEqual(text === '' ? [''] : rows);
  });

  it('says why an entry was not checked', () => {
    const text = notCheckedDetailRows(GAP, 80, theme).map((r) => r.text);
    expect(text[0]).toBe('– NOT CHECKED MI019, MI021');
    expect(text).toContain('  the key vault could not be read (403)');
  });

  it('counts findings by severity, worst first', () => {
    expect(findingCounts(report())).toBe('1 critical, 3 errors, 1 warning, 1 info');
    expect(findingCounts(report([]))).toBe('no findings');
  });
});

describe('health', () => {
  const index = healthIndex(report());
  const worst = healthByResource(FINDINGS);
  const symbols = makeTheme('plain', { LANG: 'en_US.UTF-8' }, 'linux').symbols;

  it.each([
    [poolId('a1', 'p-other'), false, 'error'],
    [poolId('a1', 'certs'), false, 'warning'],
    [poolId('a3', 'net'), false, 'info'],
    [accountId('a1'), false, undefined],
    [accountId('a2'), false, 'error'],
    [accountId('cmk'), false, 'critical'],
  ])('%s is what healthByResource says', (id, withPools, severity) => {
    expect(worst.get(id.toLowerCase())).toBe(severity);
    expect(healthOf(index, id, withPools)).toEqual({ kind: 'checked', severity, unchecked: false });
  });

  it.each([
    [accountId('a1'), 'error', '✗'],
    [accountId('A1'), 'error', '✗'],
    [accountId('a3'), 'info', '·'],
    [accountId('batchscale'), undefined, '✓'],
  ])('an account rolls up its pools: %s', (id, severity, text) => {
    const health = healthOf(index, id, true);
    expect(health).toMatchObject({ severity });
    expect(healthText(health, symbols)).toBe(text);
  });

  it('says … while unknown, ? when the doctor failed, – when not fully checked', () => {
    expect(healthText(healthOf(undefined, accountId('a1')), symbols)).toBe('…');
    expect(healthText(healthOf('failed', accountId('a1')), symbols)).toBe('?');
    expect(healthText(healthOf(index, accountId('cmk2')), symbols)).toBe('–');
  });
});

describe('OSC 52', () => {
  it.each(['az group list', 'ünïcödé ✓', ''])('puts %j on the clipboard', (text) => {
    expect(osc52(text)).toBe(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  });
});
