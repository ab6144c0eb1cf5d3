import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../source/ui/keys.js';
import { currentRoute } from '../../source/ui/router.js';
import { activeFilter, appReducer, initialAppState, splitChunk } from '../../source/ui/state.js';
import type { AppState } from '../../source/ui/state.js';
import { account, pool } from './fixtures.js';

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

describe('opening resources and panels', () => {
  const acct = account({ name: 'acct-a' });
  const p1 = pool('p1');

  it('Enter on a row opens a screen about it and makes it the current account / pool', () => {
    const opened = appReducer(start(), {
      type: 'open',
      screen: 'account',
      params: { account: acct },
    });
    expect(currentRoute(opened.router)).toMatchObject({
      screen: 'account',
      params: { account: acct },
    });
    expect(opened.context).toEqual({ account: acct });
    const pools = appReducer(opened, {
      type: 'open',
      screen: 'pools',
      params: { account: acct, pool: p1 },
    });
    expect(pools.context.pool).toBe(p1);
    expect(pools.router.stack.map((r) => r.screen)).toEqual(['accounts', 'account', 'pools']);
  });

  it(':pools and :nodes show the current account and pool, or none when none is chosen', () => {
    expect(currentRoute(type(start(), ':pools\r').router).params).toBeUndefined();
    const withAccount = appReducer(start(), {
      type: 'open',
      screen: 'account',
      params: { account: acct },
    });
    expect(currentRoute(type(withAccount, ':pools\r').router).params).toEqual({ account: acct });
    expect(currentRoute(type(withAccount, ':nodes\r').router).params).toBeUndefined();
    const withPool = appReducer(withAccount, {
      type: 'open',
      screen: 'pools',
      params: { account: acct, pool: p1 },
    });
    expect(currentRoute(type(withPool, ':nodes\r').router).params).toEqual({
      account: acct,
      pool: p1,
    });
  });

  it('Esc closes help, then the panel, then the filter, then the screen', () => {
    let state = appReducer(start(), { type: 'open', screen: 'account', params: { account: acct } });
    state = type(state, '/x\r');
    state = appReducer(state, {
      type: 'panel',
      panel: { kind: 'json', target: { kind: 'account', account: acct } },
    });
    state = type(state, '?');
    const esc = (s: AppState) => type(s, '', { escape: true });
    const steps = [esc(state)];
    for (let i = 0; i < 3; i++) steps.push(esc(steps[i] as AppState));
    expect(
      steps.map((s) => [
        s.help,
        s.panel?.kind,
        currentRoute(s.router).filter,
        currentRoute(s.router).screen,
      ]),
    ).toEqual([
      [false, 'json', 'x', 'account'],
      [false, undefined, 'x', 'account'],
      [false, undefined, '', 'account'],
      [false, undefined, '', 'accounts'],
    ]);
  });

  it('navigating closes the panel; a new subscription starts again from its accounts', () => {
    let state = appReducer(start(), { type: 'open', screen: 'account', params: { account: acct } });
    state = appReducer(state, { type: 'panel', panel: { kind: 'detail', key: 'k', label: 'k' } });
    expect(type(state, ':identities\r').panel).toBeUndefined();
    const switched = type(state, ':sub 11111111-2222-3333-4444-555555555555\r');
    expect(switched.router.stack.map((r) => r.screen)).toEqual(['accounts']);
    expect(switched.context).toEqual({});
    expect(type(switched, ':sub 11111111-2222-3333-4444-555555555555\r').status?.text).toMatch(
      /^Already on/,
    );
  });
});
