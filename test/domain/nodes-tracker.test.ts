/**
 * NodeTracker: polls folded in as they arrive, one copy of the pool held, unchanged rows and
 * arrays handed back as they were, and the same transitions as diffSnapshots.
 */
import { describe, expect, it } from 'vitest';
import type { NodeRow, NodeState } from '../../source/domain/model.js';
import { diffSnapshots, NodeTracker, sameNodeRow, snapshotOf } from '../../source/domain/nodes.js';

const T0 = new Date('2024-05-01T14:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const node = (id: string, state: NodeState, extra: Partial<NodeRow> = {}): NodeRow => ({
  id,
  state,
  errors: [],
  ...extra,
});
/** A fresh copy, as a new listing would give: equal, not the same object. */
const again = (n: NodeRow): NodeRow => ({
  ...n,
  errors: n.errors.map((e) => ({ ...e, details: e.details.map((d) => ({ ...d })) })),
  ...(n.stateTransitionTime ? { stateTransitionTime: new Date(n.stateTransitionTime) } : {}),
});

describe('NodeTracker', () => {
  it('takes the first poll as the baseline, with counts', () => {
    const tracker = new NodeTracker();
    const poll = tracker.track([node('a', 'idle'), node('b', 'unusable')], at(0));
    expect(poll.transitions).toEqual([]);
    expect(poll.changed).toBe(true);
    expect(poll.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(poll.counts).toMatchObject({ idle: 1, unusable: 1, total: 2 });
    expect(poll.errored).toBe(1);
  });

  it('hands back the same array and row objects when nothing changed', () => {
    const tracker = new NodeTracker();
    const rows = [node('a', 'idle', { stateTransitionTime: at(-60) }), node('b', 'running')];
    const first = tracker.track(rows, at(0));
    const second = tracker.track(rows.map(again), at(5));
    expect(second.changed).toBe(false);
    expect(second.nodes).toBe(first.nodes);
    expect(second.transitions).toEqual([]);
    expect(second.observedAt).toEqual(at(5));
  });

  it('replaces only the rows that changed, and logs state changes', () => {
    const tracker = new NodeTracker();
    const first = tracker.track(
      [node('a', 'starting'), node('b', 'idle'), node('c', 'idle', { ipAddress: '10.0.0.4' })],
      at(0),
    );
    const second = tracker.track(
      [
        node('a', 'idle', { stateTransitionTime: at(3) }),
        node('b', 'idle'),
        node('c', 'idle', { ipAddress: '10.0.0.5' }),
      ],
      at(5),
    );
    expect(second.changed).toBe(true);
    expect(second.nodes).not.toBe(first.nodes);
    expect(second.nodes[0]).not.toBe(first.nodes[0]);
    expect(second.nodes[1]).toBe(first.nodes[1]);
    expect(second.nodes[2]?.ipAddress).toBe('10.0.0.5');
    // The new address is a change, not a transition.
    expect(second.transitions).toEqual([{ nodeId: 'a', from: 'starting', to: 'idle', at: at(3) }]);
    expect(second.counts).toMatchObject({ idle: 3, starting: 0, total: 3 });
  });

  it('logs joins and leaves; a shorter listing is a new array', () => {
    const tracker = new NodeTracker();
    tracker.track([node('a', 'idle'), node('b', 'idle'), node('c', 'idle')], at(0));
    const left = tracker.track([node('a', 'idle'), node('b', 'idle')], at(5));
    expect(left.changed).toBe(true);
    expect(left.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(left.transitions).toEqual([{ nodeId: 'c', from: 'idle', to: null, at: at(5) }]);
    const joined = tracker.track(
      [node('a', 'idle'), node('b', 'idle'), node('d', 'creating')],
      at(10),
    );
    expect(joined.transitions).toEqual([{ nodeId: 'd', from: null, to: 'creating', at: at(10) }]);
  });

  it('gives what diffSnapshots gives, over random polls', () => {
    // A small deterministic generator: polls that reorder, change, add and drop nodes.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const states: NodeState[] = ['creating', 'starting', 'idle', 'running', 'unusable'];
    const tracker = new NodeTracker();
    let previous: NodeRow[] = [];
    let previousAt = at(0);
    for (let round = 0; round < 60; round++) {
      const now = at(5 * (round + 1));
      const rows: NodeRow[] = [];
      for (let i = 0; i < 40; i++) {
        if (random() < 0.15) continue;
        const state = states[Math.floor(random() * states.length)] ?? 'idle';
        const since = random() < 0.5 ? new Date(now.getTime() - random() * 10_000) : undefined;
        rows.push(node(`n${i}`, state, since ? { stateTransitionTime: since } : {}));
      }
      if (random() < 0.3) rows.reverse();
      const poll = tracker.track(rows, now);
      if (round > 0) {
        const expected = diffSnapshots(snapshotOf(previous, previousAt), snapshotOf(rows, now));
        expect(poll.transitions).toEqual(expected);
      }
      expect(poll.nodes.map((n) => [n.id, n.state])).toEqual(rows.map((n) => [n.id, n.state]));
      previous = rows;
      previousAt = now;
    }
  });

  it('folds a listing in as it arrives, pages in any size', () => {
    const tracker = new NodeTracker();
    const rows = Array.from({ length: 250 }, (_, i) => node(`n${i}`, 'idle'));
    const poll = tracker.begin();
    for (let i = 0; i < rows.length; i += 37) poll.add(rows.slice(i, i + 37));
    expect(poll.finish(at(0)).nodes).toHaveLength(250);
    const next = tracker.begin();
    expect(next.held('n3')).toBe(rows[3]);
    expect(next.held('nope')).toBeUndefined();
  });

  it('keeps the first of a node listed twice (the pool changed while it was paged)', () => {
    const tracker = new NodeTracker();
    tracker.track([node('a', 'idle'), node('b', 'idle')], at(0));
    const poll = tracker.track([node('a', 'idle'), node('b', 'running'), node('b', 'idle')], at(5));
    expect(poll.nodes.map((n) => [n.id, n.state])).toEqual([
      ['a', 'idle'],
      ['b', 'running'],
    ]);
    expect(poll.counts.total).toBe(2);
    const fresh = new NodeTracker().track([node('x', 'idle'), node('x', 'idle')], at(0));
    expect(fresh.nodes).toHaveLength(1);
  });

  it('a poll abandoned part-way changes nothing; one superseded cannot finish', () => {
    const tracker = new NodeTracker();
    const first = tracker.track([node('a', 'idle'), node('b', 'idle')], at(0));
    const abandoned = tracker.begin();
    abandoned.add([node('a', 'running')]);
    const next = tracker.track([node('a', 'idle'), node('b', 'idle')], at(10));
    expect(next.changed).toBe(false);
    expect(next.nodes).toBe(first.nodes);
    expect(next.transitions).toEqual([]);
    expect(() => abandoned.finish(at(11))).toThrow(/superseded/);
    // The abandoned poll's late pages do not disturb the next one either.
    const late = tracker.begin();
    abandoned.add([node('b', 'running')]);
    late.add([node('a', 'idle'), node('b', 'idle')]);
    expect(late.finish(at(15)).transitions).toEqual([]);
  });

  it('folds 10,000 unchanged nodes without new rows', () => {
    const tracker = new NodeTracker();
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      node(`tvmps_${i}`, i % 7 ? 'idle' : 'running', { stateTransitionTime: at(-i) }),
    );
    const first = tracker.track(rows, at(0));
    const poll = tracker.begin();
    for (let i = 0; i < rows.length; i += 60)
      poll.add(rows.slice(i, i + 60).map((n) => poll.held(n.id) ?? n));
    const second = poll.finish(at(5));
    expect(second.nodes).toBe(first.nodes);
    expect(second.counts.total).toBe(10_000);
  });
});

describe('sameNodeRow', () => {
  const full = node('a', 'unusable', {
    schedulingState: 'enabled',
    stateTransitionTime: at(1),
    allocationTime: at(0),
    ipAddress: '10.0.0.4',
    isDedicated: true,
    errors: [{ code: 'E', message: 'm', details: [{ name: 'n', value: 'v' }] }],
    startTaskFailure: { code: 'F', message: 'exit 1', category: 'usererror' },
  });

  it('is true for an equal copy, false for any field that differs', () => {
    expect(sameNodeRow(full, again(full))).toBe(true);
    const changes: Array<Partial<NodeRow>> = [
      { state: 'idle' },
      { schedulingState: 'disabled' },
      { stateTransitionTime: at(2) },
      { allocationTime: undefined },
      { ipAddress: '10.0.0.5' },
      { isDedicated: false },
      { errors: [] },
      { errors: [{ code: 'E', message: 'm2', details: [{ name: 'n', value: 'v' }] }] },
      { errors: [{ code: 'E', message: 'm', details: [{ name: 'n', value: 'w' }] }] },
      { startTaskFailure: undefined },
      { startTaskFailure: { code: 'F', message: 'exit 2', category: 'usererror' } },
    ];
    for (const change of changes)
      expect(sameNodeRow(full, { ...again(full), ...change })).toBe(false);
  });
});
