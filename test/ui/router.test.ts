import { describe, expect, it } from 'vitest';
import {
  canGoBack,
  currentRoute,
  initialRouter,
  routeKey,
  routeLabel,
  routerReducer,
} from '../../source/ui/router.js';
import type { RouterAction, RouterState } from '../../source/ui/router.js';
import { account, pool } from './fixtures.js';

const run = (actions: RouterAction[], state: RouterState = initialRouter()) =>
  actions.reduce(routerReducer, state);
const screens = (state: RouterState) => state.stack.map((route) => route.screen);

describe('routerReducer', () => {
  it('starts on accounts with nothing to go back to', () => {
    const state = initialRouter();
    expect(screens(state)).toEqual(['accounts']);
    expect(canGoBack(state)).toBe(false);
  });

  it('pushes new screens and pops them with back', () => {
    const state = run([
      { type: 'navigate', screen: 'pools' },
      { type: 'navigate', screen: 'nodes' },
    ]);
    expect(screens(state)).toEqual(['accounts', 'pools', 'nodes']);
    expect(screens(routerReducer(state, { type: 'back' }))).toEqual(['accounts', 'pools']);
  });

  it('ignores back on the first screen (same state object)', () => {
    const state = initialRouter();
    expect(routerReducer(state, { type: 'back' })).toBe(state);
  });

  it('ignores navigating to the current screen', () => {
    const state = run([{ type: 'navigate', screen: 'pools' }]);
    expect(routerReducer(state, { type: 'navigate', screen: 'pools' })).toBe(state);
  });

  it('returns to a screen already in the trail instead of pushing a duplicate', () => {
    const state = run([
      { type: 'navigate', screen: 'pools' },
      { type: 'setFilter', filter: 'gpu' },
      { type: 'navigate', screen: 'nodes' },
      { type: 'navigate', screen: 'doctor' },
      { type: 'navigate', screen: 'pools' },
    ]);
    expect(screens(state)).toEqual(['accounts', 'pools']);
    expect(currentRoute(state).filter).toBe('gpu');
    expect(screens(routerReducer(state, { type: 'navigate', screen: 'accounts' }))).toEqual([
      'accounts',
    ]);
  });

  it('keeps a filter per screen, restored when going back', () => {
    const state = run([
      { type: 'setFilter', filter: 'prod' },
      { type: 'navigate', screen: 'pools' },
      { type: 'setFilter', filter: '!idle' },
    ]);
    expect(currentRoute(state).filter).toBe('!idle');
    const back = routerReducer(state, { type: 'back' });
    expect(currentRoute(back)).toEqual({ screen: 'accounts', filter: 'prod' });
  });

  it('does not mutate the state it is given', () => {
    const state = run([{ type: 'navigate', screen: 'pools' }]);
    const copy = structuredClone(state);
    run(
      [{ type: 'setFilter', filter: 'x' }, { type: 'back' }, { type: 'navigate', screen: 'logs' }],
      state,
    );
    expect(state).toEqual(copy);
  });
});

describe('routes about resources', () => {
  const a = account({ name: 'acct-a' });
  const b = account({ name: 'acct-b', id: `${account().id}-b` });

  it('labels crumbs with what they show', () => {
    expect(routeLabel({ screen: 'accounts' })).toBe('Accounts');
    expect(routeLabel({ screen: 'account', params: { account: a } })).toBe('Account acct-a');
    expect(routeLabel({ screen: 'pools', params: { account: a } })).toBe('Pools of acct-a');
    expect(routeLabel({ screen: 'pools' })).toBe('Pools');
    expect(routeLabel({ screen: 'nodes', params: { account: a, pool: pool('p1') } })).toBe(
      'Nodes of p1',
    );
  });

  it('keys a route by screen and resources, so a screen about something else starts afresh', () => {
    expect(routeKey({ screen: 'pools', params: { account: a } })).not.toBe(
      routeKey({ screen: 'pools', params: { account: b } }),
    );
    expect(routeKey({ screen: 'nodes', params: { account: a, pool: pool('p1') } })).toBe(
      routeKey({
        screen: 'nodes',
        params: { account: { ...a, location: 'elsewhere' }, pool: pool('p1') },
      }),
    );
  });

  it('going to a screen in the trail about something else replaces it (and its filter)', () => {
    const state = run([
      { type: 'navigate', screen: 'pools', params: { account: a } },
      { type: 'setFilter', filter: 'gpu' },
      { type: 'navigate', screen: 'identities' },
      { type: 'navigate', screen: 'pools', params: { account: b } },
    ]);
    expect(screens(state)).toEqual(['accounts', 'pools']);
    expect(currentRoute(state)).toEqual({ screen: 'pools', filter: '', params: { account: b } });
    const same = run([
      { type: 'navigate', screen: 'pools', params: { account: a } },
      { type: 'setFilter', filter: 'gpu' },
      { type: 'navigate', screen: 'identities' },
      { type: 'navigate', screen: 'pools', params: { account: a } },
    ]);
    expect(currentRoute(same).filter).toBe('gpu');
  });
});
