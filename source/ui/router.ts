/**
 * The screen router: a back stack of routes, each remembering its own filter (and the account or
 * pool it is about) so that Esc returns to a screen as the operator left it.
 */
import type { ScreenId } from './keys.js';
import { SCREEN_INFO } from './screens/info.js';
import type { RouteParams } from './targets.js';

export interface Route {
  screen: ScreenId;
  /** The committed `/` filter of this screen ('' when none). */
  filter: string;
  params?: RouteParams;
}

export interface RouterState {
  /** Never empty; the last route is the screen on display. */
  stack: readonly [Route, ...Route[]];
}

export type RouterAction =
  | { type: 'navigate'; screen: ScreenId; params?: RouteParams }
  | { type: 'back' }
  | { type: 'setFilter'; filter: string };

export function initialRouter(screen: ScreenId = 'accounts'): RouterState {
  return { stack: [{ screen, filter: '' }] };
}

export function currentRoute(state: RouterState): Route {
  return state.stack[state.stack.length - 1] ?? state.stack[0];
}

export function canGoBack(state: RouterState): boolean {
  return state.stack.length > 1;
}

/** Identifies what a route shows: a screen remounts (fresh fetch, fresh table) when it changes. */
export function routeKey(route: Pick<Route, 'screen' | 'params'>): string {
  const { account, pool, node } = route.params ?? {};
  return [route.screen, account?.id.toLowerCase() ?? '', pool?.name ?? '', node ?? ''].join('|');
}

/** The route's crumb in the breadcrumb: the screen, and what it is about. */
export function routeLabel(route: Pick<Route, 'screen' | 'params'>): string {
  const title = SCREEN_INFO[route.screen].title;
  const { account, pool } = route.params ?? {};
  switch (route.screen) {
    case 'account':
      return account ? `${title} ${account.name}` : title;
    case 'pools':
      return account ? `${title} of ${account.name}` : title;
    case 'nodes':
      return pool ? `${title} of ${pool.name}` : title;
    case 'doctor':
      if (account && pool) return `${title} of ${pool.name}`;
      return account ? `${title} of ${account.name}` : title;
    default:
      return title;
  }
}

export function routerReducer(state: RouterState, action: RouterAction): RouterState {
  switch (action.type) {
    case 'navigate': {
      const target = { screen: action.screen, ...(action.params ? { params: action.params } : {}) };
      const index = state.stack.findIndex((route) => route.screen === action.screen);
      const [first, ...rest] = state.stack;
      // A screen appears once in the trail: going to it again returns there (keeping its
      // filter when it shows the same thing), so the breadcrumb stays a path and the stack bounded.
      if (index >= 0) {
        const existing = state.stack[index] ?? first;
        const same = routeKey(existing) === routeKey(target);
        if (same && index === state.stack.length - 1) return state;
        const kept = same ? existing : { ...target, filter: '' };
        return index === 0
          ? { stack: [kept] }
          : { stack: [first, ...rest.slice(0, index - 1), kept] };
      }
      return { stack: [...state.stack, { ...target, filter: '' }] };
    }
    case 'back': {
      if (!canGoBack(state)) {
        return state;
      }
      const [first, ...rest] = state.stack;
      return { stack: [first, ...rest.slice(0, -1)] };
    }
    case 'setFilter': {
      const route = currentRoute(state);
      if (route.filter === action.filter) {
        return state;
      }
      const [first, ...rest] = state.stack;
      const replaced = { ...route, filter: action.filter };
      return { stack: rest.length === 0 ? [replaced] : [first, ...rest.slice(0, -1), replaced] };
    }
  }
}
