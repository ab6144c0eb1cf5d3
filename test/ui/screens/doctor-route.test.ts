/**
 * Where the doctor is opened from decides its scope: `:doctor` checks what the current screen is
 * about (a pool from its nodes, an account from its detail or pools, else the subscription);
 * `d` on Accounts / Pools and `c` on Doctor are registered keys.
 */
import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../source/ui/keys.js';
import type { ScreenId } from '../../../source/ui/keys.js';
import { currentRoute, routeLabel } from '../../../source/ui/router.js';
import type { Route } from '../../../source/ui/router.js';
import { appReducer, doctorScope, initialAppState } from '../../../source/ui/state.js';
import type { AppState } from '../../../source/ui/state.js';
import { account, pool } from '../fixtures.js';

const a = account({ name: 'acct' });
const p = pool('p1');
const route = (screen: ScreenId, params?: Route['params']): Route => ({
  screen,
  filter: '',
  ...(params ? { params } : {}),
});

describe('the doctor’s scope', () => {
  it.each<[string, Route, Route['params']]>([
    ['Accounts: the subscription', route('accounts'), undefined],
    ['Identities: the subscription', route('identities', { account: a }), undefined],
    ['Account detail: the account', route('account', { account: a }), { account: a }],
    [
      'Pools (a pool selected): the account',
      route('pools', { account: a, pool: p }),
      { account: a },
    ],
    ['Nodes: the pool', route('nodes', { account: a, pool: p }), { account: a, pool: p }],
    [
      'Doctor: the same scope again',
      route('doctor', { account: a, pool: p }),
      { account: a, pool: p },
    ],
  ])('%s', (_name, from, scope) => {
    expect(doctorScope(from)).toEqual(scope);
  });

  it(':doctor on the Nodes of a pool opens the doctor of that pool', () => {
    let state: AppState = initialAppState({ readOnly: false });
    state = appReducer(state, { type: 'open', screen: 'nodes', params: { account: a, pool: p } });
    state = appReducer(state, { type: 'input', input: ':doctor\r', key: {} });
    const shown = currentRoute(state.router);
    expect(shown).toMatchObject({ screen: 'doctor', params: { account: a, pool: p } });
    expect(routeLabel(shown)).toBe('Doctor of p1');
    expect(routeLabel(route('doctor', { account: a }))).toBe('Doctor of acct');
    expect(routeLabel(route('doctor'))).toBe('Doctor');
  });

  it.each<[ScreenId, string, string | undefined]>([
    ['accounts', 'd', 'doctor'],
    ['pools', 'd', 'doctor'],
    ['nodes', 'd', undefined],
    ['doctor', 'c', 'copy'],
    ['doctor', 'r', 'refresh'],
    ['doctor', 's', undefined],
  ])('on %s, %s means %s', (screen, key, command) => {
    expect(resolveCommand(screen, key, {})).toBe(command);
  });
});
