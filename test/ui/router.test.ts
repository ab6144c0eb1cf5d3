import { describe, expect, it } from 'vitest';
import { canGoBack, currentRoute, initialRouter, routerReducer } from '../../source/ui/router.js';
import type { RouterAction, RouterState } from '../../source/ui/router.js';

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
