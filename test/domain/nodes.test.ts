import { describe, expect, it } from 'vitest';
import type { NodeRow, NodeState } from '../../source/domain/model.js';
import {
  appendTransitions,
  countNodeStates,
  diffSnapshots,
  formatTransition,
  isErrored,
  nonZeroStates,
  snapshotOf,
  timeInState,
  type NodeTransition,
} from '../../source/domain/nodes.js';

const T0 = new Date('2024-05-01T14:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const node = (id: string, state: NodeState, extra: Partial<NodeRow> = {}): NodeRow => ({
  id,
  state,
  errors: [],
  ...extra,
});

describe('countNodeStates', () => {
  it.each<[string, NodeState[], Partial<Record<NodeState | 'total', number>>]>([
    ['empty pool', [], { total: 0, idle: 0 }],
    [
      'mixed',
      ['idle', 'idle', 'starting', 'unusable'],
      { total: 4, idle: 2, starting: 1, unusable: 1, running: 0 },
    ],
    ['all one state', ['starttaskfailed', 'starttaskfailed'], { total: 2, starttaskfailed: 2 }],
  ])('%s', (_name, states, expected) => {
    const counts = countNodeStates(states.map((s, i) => node(`tvm-${i}`, s)));
    expect(counts).toMatchObject(expected);
  });

  it('lists non-zero states in life-cycle order', () => {
    const counts = countNodeStates([
      node('a', 'unusable'),
      node('b', 'idle'),
      node('c', 'starting'),
    ]);
    expect(nonZeroStates(counts).map((s) => s.state)).toEqual(['starting', 'idle', 'unusable']);
  });

  it('counts 10,000 nodes quickly', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) =>
      node(`tvm-${i}`, i % 3 ? 'idle' : 'running'),
    );
    const started = performance.now();
    const counts = countNodeStates(nodes);
    expect(performance.now() - started).toBeLessThan(50);
    expect(counts.total).toBe(10_000);
  });
});

describe('diffSnapshots', () => {
  const cases: Array<
    [string, NodeRow[], NodeRow[], Array<Omit<NodeTransition, 'at'> & { at?: Date }>]
  > = [
    ['no change', [node('a', 'idle')], [node('a', 'idle')], []],
    [
      'a state change, dated by Azure when inside the interval',
      [node('a', 'starting')],
      [node('a', 'idle', { stateTransitionTime: at(3) })],
      [{ nodeId: 'a', from: 'starting', to: 'idle', at: at(3) }],
    ],
    [
      'a transition time outside the interval falls back to the poll time',
      [node('a', 'starting')],
      [node('a', 'idle', { stateTransitionTime: at(-100) })],
      [{ nodeId: 'a', from: 'starting', to: 'idle', at: at(5) }],
    ],
    ['a node joined', [], [node('b', 'creating')], [{ nodeId: 'b', from: null, to: 'creating' }]],
    [
      'a node left',
      [node('c', 'leavingpool')],
      [],
      [{ nodeId: 'c', from: 'leavingpool', to: null, at: at(5) }],
    ],
  ];
  it.each(cases)('%s', (_name, before, after, expected) => {
    const transitions = diffSnapshots(snapshotOf(before, T0), snapshotOf(after, at(5)));
    expect(transitions).toEqual(expected.map((e) => ({ at: at(5), ...e })));
  });

  it('orders transitions oldest first', () => {
    const before = [node('a', 'starting'), node('b', 'starting')];
    const after = [
      node('a', 'idle', { stateTransitionTime: at(4) }),
      node('b', 'idle', { stateTransitionTime: at(2) }),
    ];
    expect(
      diffSnapshots(snapshotOf(before, T0), snapshotOf(after, at(5))).map((t) => t.nodeId),
    ).toEqual(['b', 'a']);
  });

  it('diffs two 10,000-node snapshots well inside the refresh budget', () => {
    const before = Array.from({ length: 10_000 }, (_, i) => node(`tvm-${i}`, 'starting'));
    const after = before.map((n, i) => (i % 10 === 0 ? { ...n, state: 'idle' as const } : n));
    const started = performance.now();
    const transitions = diffSnapshots(snapshotOf(before, T0), snapshotOf(after, at(5)));
    expect(performance.now() - started).toBeLessThan(100);
    expect(transitions).toHaveLength(1000);
  });
});

describe('transitions log', () => {
  const t = (id: string): NodeTransition => ({ nodeId: id, from: 'starting', to: 'idle', at: T0 });
  it.each([
    [[], [t('a')], 3, ['a']],
    [[t('a'), t('b')], [t('c'), t('d')], 3, ['b', 'c', 'd']],
    [[t('a')], [], 3, ['a']],
  ])('appends and keeps the newest', (log, added, max, ids) => {
    expect(appendTransitions(log, added, max).map((x) => x.nodeId)).toEqual(ids);
  });

  it('formats as operators read it', () => {
    expect(
      formatTransition({
        nodeId: 'tvm-3',
        from: 'starting',
        to: 'idle',
        at: new Date('2024-05-01T14:02:11Z'),
      }),
    ).toBe('tvm-3 starting → idle 14:02:11');
    expect(
      formatTransition({ nodeId: 'tvm-4', from: null, to: 'waitingforstarttask', at: T0 }),
    ).toBe('tvm-4 (joined) → waitingForStartTask 14:00:00');
  });
});

describe('timeInState and the errored filter', () => {
  it.each([
    [{ stateTransitionTime: at(0) }, at(90), 90_000],
    [{ stateTransitionTime: at(10) }, at(0), 0],
    [{}, at(0), undefined],
  ])('time in state %#', (n, now, expected) => {
    expect(timeInState(n, now)).toBe(expected);
  });

  it.each<[NodeRow, boolean]>([
    [node('a', 'idle'), false],
    [node('a', 'unusable'), true],
    [
      node('a', 'idle', {
        errors: [{ code: 'ApplicationPackageError', message: 'm', details: [] }],
      }),
      true,
    ],
    [node('a', 'idle', { startTaskFailure: { code: 'BlobAccessDenied', message: 'm' } }), true],
  ])('isErrored %#', (n, expected) => {
    expect(isErrored(n)).toBe(expected);
  });
});
