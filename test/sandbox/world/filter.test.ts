import { describe, expect, it } from 'vitest';
import { compileFilter, FilterSyntaxError } from '../../../source/sandbox/batch/filter.js';

const nodes = [
  { id: 'n1', state: 'idle', ipAddress: '10.0.0.1', isDedicated: true, stateTransitionTime: '2024-01-01T00:00:00.0000000Z' },
  { id: 'n2', state: 'starting', ipAddress: '10.0.0.2', isDedicated: false, stateTransitionTime: '2024-01-02T00:00:00.0000000Z' },
  { id: 'n3', state: 'unusable', ipAddress: '10.0.0.3', isDedicated: true, stateTransitionTime: '2024-01-03T00:00:00.0000000Z' },
];
const ids = (filter: string) => nodes.filter(compileFilter(filter)).map((n) => n.id);

describe('compileFilter', () => {
  it.each([
    ["state eq 'idle'", ['n1']],
    ["state eq 'unusable' or state eq 'starting'", ['n2', 'n3']],
    ["(state eq 'unusable') or (state eq 'starting')", ['n2', 'n3']],
    ["state ne 'idle' and isDedicated eq true", ['n3']],
    ["id eq 'n2' or ipAddress eq '10.0.0.3'", ['n2', 'n3']],
    ["not (state eq 'idle')", ['n2', 'n3']],
    ["stateTransitionTime gt datetime'2024-01-01T12:00:00Z'", ['n2', 'n3']],
    ["startswith(id,'n')", ['n1', 'n2', 'n3']],
    ["STATE EQ 'IDLE'", []],
    ["state eq 'IDLE'", ['n1']],
    ['', ['n1', 'n2', 'n3']],
  ])('%s', (filter, expected) => expect(ids(filter)).toEqual(expected));

  it.each(["state eq", "state 'idle'", "state eq 'idle' or", "(state eq 'idle'", "state eq 'idle"])('rejects %s', (filter) => {
    expect(() => compileFilter(filter)).toThrow(FilterSyntaxError);
  });
});
