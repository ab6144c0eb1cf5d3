import { beforeEach, describe, expect, it } from 'vitest';
import { countNodeStates, NodeTracker } from '../../../source/domain/nodes.js';
import { errorCodes, shortNodeId } from '../../../source/ui/screens/nodes/columns.js';
import { nodeDetailRows } from '../../../source/ui/screens/nodes/detail.js';
import { logRows } from '../../../source/ui/screens/nodes/NodesScreen.js';
import {
  TRANSITIONS_KEPT,
  initialNodes,
  nodesReducer,
} from '../../../source/ui/screens/nodes/reducer.js';
import type { NodesAction, NodesState } from '../../../source/ui/screens/nodes/reducer.js';
import { barSegments } from '../../../source/ui/screens/nodes/StateBar.js';
import { node } from '../fixtures.js';

const run = (actions: NodesAction[], state: NodesState = initialNodes()) =>
  actions.reduce(nodesReducer, state);
// One tracker per test, as one screen holds one: polls are folded in as the screen does.
let tracker = new NodeTracker();
beforeEach(() => {
  tracker = new NodeTracker();
});
const poll = (at: number, ...nodes: ReturnType<typeof node>[]): NodesAction => ({
  type: 'polled',
  poll: tracker.track(nodes, new Date(at)),
});
const packageError = {
  code: 'ApplicationPackageError',
  message: 'One or more application packages could not be downloaded',
  details: [{ name: 'Message', value: 'AuthorizationPermissionMismatch' }],
};

describe('nodesReducer', () => {
  it('takes the first poll as the baseline: nothing "joined"', () => {
    const state = run([poll(1000, node('a', 'idle'), node('b', 'starting'))]);
    expect(state.transitions).toEqual([]);
    expect(state.counts).toMatchObject({ idle: 1, starting: 1, total: 2 });
    expect(state.since).toBe(1000);
  });

  it('logs state changes, joins and leaves between polls, oldest first', () => {
    const state = run([
      poll(1000, node('a', 'starting'), node('b', 'idle')),
      poll(2000, node('a', 'idle'), node('c', 'creating')),
    ]);
    expect(state.transitions.map((t) => [t.nodeId, t.from, t.to])).toEqual([
      ['a', 'starting', 'idle'],
      ['c', null, 'creating'],
      ['b', 'idle', null],
    ]);
    expect(state.since).toBe(1000);
    expect(state.observedAt).toBe(2000);
  });

  it('counts errored nodes and toggles the e filter', () => {
    const state = run([
      poll(
        1,
        node('a', 'unusable', { errors: [packageError] }),
        node('b', 'idle'),
        node('c', 'starttaskfailed'),
      ),
      { type: 'toggleErrors' },
    ]);
    expect(state.errored).toBe(2);
    expect(state.errorsOnly).toBe(true);
    expect(nodesReducer(state, { type: 'toggleErrors' }).errorsOnly).toBe(false);
  });

  it('keeps the newest transitions only, so memory stays flat', () => {
    const many = Array.from({ length: TRANSITIONS_KEPT + 50 }, (_, i) => node(`n${i}`, 'idle'));
    const state = run([poll(1), poll(2, ...many)]);
    expect(state.transitions).toHaveLength(TRANSITIONS_KEPT);
    expect(state.transitions.at(-1)?.nodeId).toBe(`n${TRANSITIONS_KEPT + 49}`);
  });
});

describe('nodes screen pieces', () => {
  it('sizes the state bar to the width, one cell at least per state present', () => {
    const counts = countNodeStates([
      ...Array.from({ length: 9998 }, () => ({ state: 'idle' as const })),
      { state: 'unusable' },
      { state: 'starting' },
    ]);
    const segments = barSegments(counts, 80);
    expect(segments.map((s) => s.state)).toEqual(['starting', 'idle', 'unusable']);
    expect(segments.reduce((sum, s) => sum + s.width, 0)).toBe(80);
    expect(segments.every((s) => s.width >= 1)).toBe(true);
    expect(barSegments(countNodeStates([]), 80)).toEqual([]);
  });

  it('keeps the head and tail of long node ids, and lists error codes', () => {
    const id = `tvmps_${'a'.repeat(60)}1234_d`;
    expect(shortNodeId(id)).toBe(`tvmps_${'a'.repeat(9)}…34_d`);
    expect(shortNodeId(id)).toHaveLength(20);
    expect(shortNodeId('short')).toBe('short');
    expect(errorCodes(node('a', 'idle'))).toBe('-');
    expect(
      errorCodes(
        node('a', 'starttaskfailed', {
          errors: [packageError],
          startTaskFailure: { code: 'FailureExitCode', message: 'exit 1' },
        }),
      ),
    ).toBe('ApplicationPackageError, startTask:FailureExitCode');
  });

  it('shows a node in full: state and time, every error with message and details, the start task', () => {
    const rows = nodeDetailRows(
      node('tvm-1', 'unusable', {
        stateTransitionTime: new Date(0),
        ipAddress: '10.0.0.4',
        isDedicated: true,
        errors: [packageError],
        startTaskFailure: { code: 'BlobAccessDenied', message: 'denied', category: 'usererror' },
      }),
      125_000,
      40,
    );
    const text = rows.map((r) => r.text);
    expect(text[0]).toBe('tvm-1');
    expect(text[1]).toMatch(/^state unusable for 2m05s/);
    expect(text.find((t) => t.startsWith('IP '))).toMatch(/^IP 10\.0\.0\.4 · dedicated/);
    expect(text).toContain('Errors (1)');
    expect(rows.find((r) => r.text === '  ApplicationPackageError')?.tone).toBe('error');
    // Wrapped, not cut: every word is there, in order.
    const words = text.join(' ').replace(/\s+/g, ' ');
    expect(words).toContain('One or more application packages could not be downloaded');
    expect(words).toContain('Message: AuthorizationPermissionMismatch');
    expect(text).toContain('  BlobAccessDenied (usererror)');
    expect(text.every((t) => t.length <= 40)).toBe(true);
  });

  it('gives the transitions log a quarter of the body, 3 to 10 rows', () => {
    expect(logRows(8)).toBe(3);
    expect(logRows(21)).toBe(5);
    expect(logRows(100)).toBe(10);
  });
});
