/**
 * The screen router: a back stack of routes, each remembering its own filter so that Esc returns
 * to a screen as the operator left it.
 */
import type { ScreenId } from './keys.js';

export interface Route {
  screen: ScreenId;
  /** The committed `/` filter of this screen ('' when none). */
  filter: string;
}

export interface RouterState {
  /** Never empty; the last route is the screen on display. */
  stack: readonly [Route, ...Route[]];
}

export type RouterAction =
  { type: 'navigate'; screen: ScreenId } | { type: 'back' } | { type: 'setFilter'; filter: string };

export function initialRouter(screen: ScreenId = 'accounts'): RouterState {
  return { stack: [{ screen, filter: '' }] };
}

export function currentRoute(state: RouterState): Route {
  return state.stack[state.stack.length - 1] ?? state.stack[0];
}

export function canGoBack(state: RouterState): boolean {
  return state.stack.length > 1;
}

export function routerReducer(state: RouterState, action: RouterAction): RouterState {
  switch (action.type) {
    case 'navigate': {
      const index = state.stack.findIndex((route) => route.screen === action.screen);
      if (index === state.stack.length - 1) {
        return state;
      }
      // Going to a screen already in the trail returns to it (keeping its filter) instead of
      // pushing a duplicate, so the breadcrumb stays a path and the stack stays bounded.
      if (index >= 0) {
        const [first, ...rest] = state.stack;
        return { stack: [first, ...rest.slice(0, index)] };
      }
      return { stack: [...state.stack, { screen: action.screen, filter: '' }] };
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
