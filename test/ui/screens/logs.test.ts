/** The Logs and Token screens' pure parts: reducers, the time window, spans, wrapping, masking. */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../source/domain/logs/search.js';
import { matchLine } from '../../../source/domain/logs/signatures.js';
import { describeFilter, hideSecrets } from '../../../source/ui/filter.js';
import {
  initialLogs,
  logsReducer,
  windowStart,
  type LogsAction,
  type LogsState,
} from '../../../source/ui/screens/logs/form.js';
import { initialViewer, lineSpans, viewerReducer } from '../../../source/ui/screens/logs/viewer.js';
import { initialToken, tokenReducer } from '../../../source/ui/screens/token/state.js';
import { wrapText } from '../../../source/ui/screens/token/TokenScreen.js';

const run = (actions: LogsAction[], from: LogsState = initialLogs()) =>
  actions.reduce(logsReducer, from);
const file = (name: string) => ({ name, size: 1 });

describe('logsReducer', () => {
  it.each<[string, LogsAction[], Partial<LogsState>]>([
    ['Enter cycles the window', [{ type: 'cycle', choices: 2 }], { window: 'day' }],
    [
      'the window wraps round',
      Array.from({ length: 4 }, () => ({ type: 'cycle', choices: 2 }) as const),
      { window: 'hour' },
    ],
    [
      'Enter on the destination toggles the typed URL',
      [
        { type: 'move', by: 1 },
        { type: 'cycle', choices: 2 },
      ],
      { field: 1, typedDestination: true },
    ],
    [
      'Enter on the authorization picks the next choice, round',
      [
        { type: 'move', by: 5 },
        { type: 'cycle', choices: 2 },
        { type: 'cycle', choices: 2 },
      ],
      { field: 2, authorization: 0 },
    ],
    ['moving stops at the first field', [{ type: 'move', by: -3 }], { field: 0 }],
  ])('%s', (_name, actions, expected) => {
    expect(run(actions)).toMatchObject(expected);
  });

  it('follows the upload, then selects agent-debug.log among the files', () => {
    const s = run([
      { type: 'started', text: 'asking' },
      { type: 'progress', text: 'uploading', listed: 2, expected: 4 },
      {
        type: 'uploaded',
        directory: 'p/n/x/',
        files: ['p/n/x/agent.log', 'p/n/x/agent-debug.log'].map(file),
        complete: true,
      },
    ]);
    expect(s.phase).toMatchObject({ kind: 'files', selected: 1, complete: true });
    expect(run([{ type: 'select', by: 'top' }], s).phase).toMatchObject({ selected: 0 });
    expect(run([{ type: 'select', by: 9 }], s).phase).toMatchObject({ selected: 1 });
    // The form no longer changes once the upload started.
    expect(run([{ type: 'cycle', choices: 2 }], s).window).toBe('hour');
  });

  it('a failure returns to the form on reset', () => {
    const s = run([
      { type: 'started', text: '' },
      { type: 'failed', message: 'no' },
    ]);
    expect(s.phase).toEqual({ kind: 'failed', message: 'no' });
    expect(run([{ type: 'reset' }], s).phase).toEqual({ kind: 'form' });
  });
});

describe('windowStart', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  it.each([
    ['hour', {}, '2026-01-02T11:00:00.000Z', false],
    ['day', {}, '2026-01-01T12:00:00.000Z', false],
    [
      'allocation',
      { allocationTime: new Date('2025-12-30T00:00:00Z') },
      '2025-12-30T00:00:00.000Z',
      true,
    ],
    ['boot', { lastBootTime: new Date('2026-01-02T10:00:00Z') }, '2026-01-02T10:00:00.000Z', false],
  ] as const)('%s', (preset, node, start, overDay) => {
    expect(windowStart(preset, now, node)).toEqual({ ok: true, start: new Date(start), overDay });
  });
  it('says why when the node reports no time', () => {
    expect(windowStart('boot', now, {})).toMatchObject({ ok: false });
  });
});

describe('viewerReducer', () => {
  const counted = viewerReducer(initialViewer, {
    type: 'counted',
    lineCount: 100,
    complete: true,
    rows: 10,
  });
  it.each([
    [{ type: 'scroll', by: 5, rows: 10 }, 5],
    [{ type: 'scroll', by: -5, rows: 10 }, 0],
    [{ type: 'scroll', by: 'bottom', rows: 10 }, 90],
    [{ type: 'jump', line: 50, rows: 9 }, 47],
    [{ type: 'jump', line: 99, rows: 10 }, 90],
  ] as const)('%o → top %i', (action, top) => {
    expect(viewerReducer(counted, action).top).toBe(top);
  });
  it('a jump marks the line', () => {
    expect(viewerReducer(counted, { type: 'jump', line: 7, rows: 10 }).current).toBe(7);
  });
});

describe('lineSpans', () => {
  const line = 'INFO pool not fully joined yet, health=Status.TvmJoinPoolInProgress';
  it('marks the signature, and a search match over it', () => {
    const spans = lineSpans(line, parseQuery('pool'), matchLine(line, 0));
    expect(spans.filter((s) => s.kind === 'signature').map((s) => s.text)).toEqual([
      'TvmJoin',
      'InProgress',
    ]);
    expect(spans.filter((s) => s.kind === 'match').map((s) => s.text)).toEqual(['pool', 'Pool']);
    expect(spans.map((s) => s.text).join('')).toBe(line);
  });
});

describe('token state', () => {
  it('keeps no more than 8 characters of the token', () => {
    const s = tokenReducer(initialToken(), {
      type: 'done',
      passed: true,
      steps: [],
      token: 'eyJ0eXAiOiJKV1Qi.abc.def',
    });
    expect(s.run).toMatchObject({ token: 'eyJ0eXAi' });
  });
  it('cycles identities only when not running', () => {
    expect(tokenReducer(initialToken(), { type: 'cycle', choices: 2 }).identity).toBe(1);
    const running = tokenReducer(initialToken(), { type: 'started' });
    expect(tokenReducer(running, { type: 'cycle', choices: 2 }).identity).toBe(0);
  });
});

describe('wrapText', () => {
  it.each([
    ['a b c', 3, ['a b', '  c']],
    ['  abcdefgh', 6, ['  abcd', '    ef', '    gh']],
  ])('%s at %i', (text, width, rows) => {
    expect(wrapText(text, width)).toEqual(rows);
  });
});

describe('hideSecrets', () => {
  it('never shows a SAS signature back', () => {
    const url = 'https://st.blob.core.windows.net/c?sv=2022&sig=SECRETSIG%3D&se=1';
    expect(hideSecrets(url)).toBe('https://st.blob.core.windows.net/c?sv=2022&sig=<hidden>&se=1');
    expect(describeFilter(url)).not.toContain('SECRETSIG');
  });
});
