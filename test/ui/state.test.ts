import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../source/ui/keys.js';
import { currentRoute } from '../../source/ui/router.js';
import { activeFilter, appReducer, initialAppState, splitChunk } from '../../source/ui/state.js';
import type { AppState } from '../../source/ui/state.js';

const start = () => initialAppState({ readOnly: false });
const type = (state: AppState, input: string, key: KeyEvent = {}) =>
  appReducer(state, { type: 'input', input, key });

describe('splitChunk', () => {
  it('splits a chunk into keys, keeping Enter and Tab as keys', () => {
    expect(splitChunk(':po\t\r', {})).toEqual([
      { input: ':', key: {} },
      { input: 'p', key: {} },
      { input: 'o', key: {} },
      { input: '', key: { tab: true } },
      { input: '', key: { return: true } },
    ]);
  });

  it('leaves single keys and named keys alone', () => {
    expect(splitChunk('q', {})).toEqual([{ input: 'q', key: {} }]);
    expect(splitChunk('', { escape: true })).toEqual([{ input: '', key: { escape: true } }]);
  });
});

describe('appReducer', () => {
  it('applies every key of one chunk against the latest state', () => {
    const state = type(start(), ':pools\r/gpu\r');
    expect(currentRoute(state.router)).toEqual({ screen: 'pools', filter: 'gpu' });
    expect(state.mode.kind).toBe('normal');
  });

  it('types q into a prompt instead of quitting, but Ctrl+C always quits', () => {
    const typing = type(start(), '/q');
    expect(typing.quit).toBe(false);
    expect(activeFilter(typing)).toBe('q');
    expect(type(typing, 'c', { ctrl: true }).quit).toBe(true);
  });

  it('closes the palette when erasing past the colon', () => {
    const open = type(start(), ':');
    expect(open.mode).toEqual({ kind: 'palette', text: '' });
    expect(type(open, '', { backspace: true }).mode).toEqual({ kind: 'normal' });
  });

  it('reports a Tab that completes nothing', () => {
    const state = type(start(), ':zz\t');
    expect(state.mode).toEqual({ kind: 'palette', text: 'zz' });
    expect(state.status?.tone).toBe('error');
  });

  it('clears the previous message on the next key', () => {
    const withError = type(start(), ':nope\r');
    expect(withError.status?.tone).toBe('error');
    expect(type(withError, 'j').status).toBeUndefined();
  });

  it('Esc closes help before it goes back', () => {
    const state = type(start(), ':pools\r?');
    expect(state.help).toBe(true);
    const closed = type(state, '', { escape: true });
    expect(closed.help).toBe(false);
    expect(currentRoute(closed.router).screen).toBe('pools');
    expect(currentRoute(type(closed, '', { escape: true }).router).screen).toBe('accounts');
  });

  it('ignores everything once quitting', () => {
    const quitting = type(start(), 'q');
    expect(type(quitting, ':pools\r')).toBe(quitting);
  });
});
