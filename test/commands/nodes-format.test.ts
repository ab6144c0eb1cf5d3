import { describe, expect, it } from 'vitest';
import {
  formatCounts,
  formatTable,
  localClock,
  nodesDocument,
  transitionJson,
  truncateEnd,
  truncateMiddle,
} from '../../source/commands/nodes-format.js';
import type { NodeRow } from '../../source/domain/model.js';
import { countNodeStates } from '../../source/domain/nodes.js';

const now = new Date('2026-03-01T12:00:00Z');
const id = (n: number, kind = 'd') => `tvmps_${String(n).repeat(64).slice(0, 64)}_${kind}`;

const nodes: NodeRow[] = [
  {
    id: id(1),
    state: 'idle',
    stateTransitionTime: new Date('2026-03-01T11:00:00Z'),
    ipAddress: '10.0.0.1',
    errors: [],
  },
  {
    id: id(2, 'p'),
    state: 'unusable',
    stateTransitionTime: new Date('2026-03-01T11:59:30Z'),
    ipAddress: '10.0.0.2',
    errors: [{ code: 'ApplicationPackageError', message: 'm', details: [] }],
  },
  {
    id: id(3),
    state: 'starttaskfailed',
    errors: [],
    startTaskFailure: { code: 'ResourceContainerAccessDenied', message: 'm' },
  },
];

describe('nodes output', () => {
  it('counts states in the order of a node life, with the portal names', () => {
    expect(formatCounts(countNodeStates(nodes))).toBe(
      '3 nodes: startTaskFailed 1, idle 1, unusable 1',
    );
    expect(formatCounts(countNodeStates([]))).toBe('no nodes');
    expect(formatCounts(countNodeStates([{ state: 'idle' }]))).toBe('1 node: idle 1');
  });

  it('shortens ids in the middle, keeping the dedicated/Spot suffix', () => {
    expect(truncateMiddle(id(7), 20)).toMatch(/^tvmps_7{7}…7{4}_d$/);
    expect(truncateMiddle(id(7), 20)).toHaveLength(20);
    expect(truncateMiddle('short', 20)).toBe('short');
    expect(truncateEnd('ResourceContainerAccessDenied', 10)).toBe('ResourceC…');
  });

  it('in a pipe: whole cells, no colour', () => {
    const lines = formatTable(nodes, now, { colour: false });
    expect(lines[0]).toMatch(/^NODE {70}STATE {12}IN STATE {2}ERRORS {25}IP$/);
    expect(lines[1]).toBe(
      `${id(1)}  ${'idle'.padEnd(15)}  ${'1h'.padEnd(8)}  ${'-'.padEnd(29)}  10.0.0.1`,
    );
    expect(lines[2]).toContain('unusable         30s       ApplicationPackageError');
    expect(lines[3]).toMatch(/startTaskFailed {2}- {9}ResourceContainerAccessDenied {2}-$/);
    expect(lines.join('')).not.toContain('\u001B[');
  });

  it.each([80, 100, 60])('on a %i-column terminal every line fits', (columns) => {
    const lines = formatTable(nodes, now, { colour: false, columns });
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
    expect(lines[1]).toContain('10.0.0.1');
    expect(lines[1]).toMatch(/_d {2}/);
  });

  it('colours states and errors without changing the layout', () => {
    const plain = formatTable(nodes, now, { colour: false, columns: 80 });
    const coloured = formatTable(nodes, now, { colour: true, columns: 80 });
    // eslint-disable-next-line no-control-regex
    const strip = (s: string) => s.replace(/\u001B\[\d+m/g, '');
    expect(coloured.map(strip)).toEqual(plain);
    expect(coloured[2]).toContain('\u001B[31munusable');
  });

  it('--json: wire states, ISO dates, every error', () => {
    const doc = nodesDocument('acct', 'pool', nodes, countNodeStates(nodes), now);
    expect(doc.counts).toMatchObject({
      total: 3,
      idle: 1,
      unusable: 1,
      starttaskfailed: 1,
      running: 0,
    });
    expect(doc.nodes[0]).toEqual({
      id: id(1),
      state: 'idle',
      stateTransitionTime: '2026-03-01T11:00:00.000Z',
      timeInStateSeconds: 3600,
      ipAddress: '10.0.0.1',
      errors: [],
    });
    expect(doc.nodes[2]).toMatchObject({
      startTaskFailure: { code: 'ResourceContainerAccessDenied' },
    });
  });

  it('--watch --json: one object per transition, joined and left as null', () => {
    const at = new Date('2026-03-01T12:00:05Z');
    expect(
      JSON.parse(transitionJson('a', 'p', { nodeId: 'n', from: null, to: 'creating', at })),
    ).toEqual({
      account: 'a',
      pool: 'p',
      nodeId: 'n',
      from: null,
      to: 'creating',
      at: '2026-03-01T12:00:05.000Z',
    });
    expect(localClock(new Date(2026, 2, 1, 9, 5, 7))).toBe('09:05:07');
  });
});
