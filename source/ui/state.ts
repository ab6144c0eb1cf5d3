/**
 * The shell's state and its one reducer. Keys are applied here, one at a time, so a chunk of
 * several keys (typed fast, or over a slow SSH link) is folded over the latest state instead of
 * each key seeing the state of the previous render.
 */
import { completePalette, keyId, parsePalette, resolveCommand } from './keys.js';
import type { KeyEvent, PaletteResult, ScreenId } from './keys.js';
import { canGoBack, currentRoute, initialRouter, routerReducer } from './router.js';
import type { Route, RouterState } from './router.js';
import type { Panel, RouteParams } from './targets.js';

export type Mode =
  { kind: 'normal' } | { kind: 'palette'; text: string } | { kind: 'filter'; text: string };

export interface Status {
  tone: 'info' | 'error';
  text: string;
}

export interface AppState {
  router: RouterState;
  mode: Mode;
  help: boolean;
  readOnly: boolean;
  subscriptionId: string | undefined;
  status: Status | undefined;
  /** The account and pool last opened: what `:pools` and `:nodes` show. */
  context: RouteParams;
  /** A panel over the current screen (JSON view, a row's detail); Esc closes it first. */
  panel: Panel | undefined;
  /** Set by q, Ctrl+C or :quit; the program's one exit path acts on it. */
  quit: boolean;
}

export type AppAction =
  | { type: 'input'; input: string; key: KeyEvent }
  | { type: 'status'; status: Status | undefined }
  /** Enter on a row: go to a screen about it, and make it the current account / pool. */
  | { type: 'open'; screen: ScreenId; params: RouteParams }
  | { type: 'panel'; panel: Panel | undefined }
  /** The current screen's `/` filter is spent (a flow's picker picked): drop it. */
  | { type: 'clearFilter' }
  /** The session finished opening (or failed): adopt its subscription unless one was chosen. */
  | { type: 'connected'; subscriptionId: string | undefined; status: Status | undefined };

export interface InitialState {
  screen?: ScreenId;
  readOnly: boolean;
  subscriptionId?: string | undefined;
  status?: Status | undefined;
}

export function initialAppState(init: InitialState): AppState {
  return {
    router: initialRouter(init.screen),
    mode: { kind: 'normal' },
    help: false,
    readOnly: init.readOnly,
    subscriptionId: init.subscriptionId,
    status: init.status,
    context: {},
    panel: undefined,
    quit: false,
  };
}

/** The filter the current screen shows: the one being typed, else the committed one. */
export function activeFilter(state: AppState): string {
  return state.mode.kind === 'filter' ? state.mode.text : currentRoute(state.router).filter;
}

/**
 * Ink hands a multi-character chunk to useInput as one string (a paste, or keys typed faster than
 * it reads). Split it into single keys; Enter and Tab inside a chunk are still keys.
 */
export function splitChunk(input: string, key: KeyEvent): Array<{ input: string; key: KeyEvent }> {
  if (input.length <= 1 || key.ctrl === true || key.meta === true) {
    return [{ input, key }];
  }
  return [...input].map((char) => {
    if (char === '\r' || char === '\n') {
      return { input: '', key: { return: true } };
    }
    if (char === '\t') {
      return { input: '', key: { tab: true } };
    }
    return { input: char, key: {} };
  });
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'status':
      return { ...state, status: action.status };
    case 'open':
      return {
        ...state,
        help: false,
        panel: undefined,
        context: action.params,
        router: routerReducer(state.router, {
          type: 'navigate',
          screen: action.screen,
          params: action.params,
        }),
      };
    case 'panel':
      return { ...state, panel: action.panel };
    case 'clearFilter':
      return { ...state, router: routerReducer(state.router, { type: 'setFilter', filter: '' }) };
    case 'connected':
      return {
        ...state,
        subscriptionId: state.subscriptionId ?? action.subscriptionId,
        status: action.status ?? state.status,
      };
    case 'input':
      return splitChunk(action.input, action.key).reduce(
        (current, event) => applyKey(current, event.input, event.key),
        state,
      );
  }
}

function applyKey(previous: AppState, input: string, key: KeyEvent): AppState {
  if (previous.quit) {
    return previous;
  }
  // A key press acknowledges the last message; the action below may set a new one.
  const state = previous.status === undefined ? previous : { ...previous, status: undefined };
  if (keyId(input, key) === 'ctrl+c') {
    return { ...state, quit: true };
  }
  switch (state.mode.kind) {
    case 'palette':
      return applyPaletteKey(state, state.mode.text, input, key);
    case 'filter':
      return applyFilterKey(state, state.mode.text, input, key);
    case 'normal':
      return applyNormalKey(state, input, key);
  }
}

function info(text: string): Status {
  return { tone: 'info', text };
}

function applyNormalKey(state: AppState, input: string, key: KeyEvent): AppState {
  const route = currentRoute(state.router);
  switch (resolveCommand(route.screen, input, key)) {
    case 'quit':
      return { ...state, quit: true };
    case 'help':
      return { ...state, help: !state.help };
    case 'palette':
      return { ...state, help: false, mode: { kind: 'palette', text: '' } };
    case 'filter':
      return { ...state, help: false, mode: { kind: 'filter', text: route.filter } };
    case 'back':
      // Esc peels one layer at a time: the overlay, then the filter, then the screen.
      if (state.help) {
        return { ...state, help: false };
      }
      if (state.panel !== undefined) {
        return { ...state, panel: undefined };
      }
      if (route.filter !== '') {
        return { ...state, router: routerReducer(state.router, { type: 'setFilter', filter: '' }) };
      }
      if (!canGoBack(state.router)) {
        return { ...state, status: info('This is the first screen; q quits.') };
      }
      return { ...state, router: routerReducer(state.router, { type: 'back' }) };
    default:
      // Movement, open, JSON and refresh belong to the screens' own tables.
      return state;
  }
}

/** Printable text a key adds to a prompt, or undefined for control keys. */
function typedText(input: string, key: KeyEvent): string | undefined {
  const isControl = [...input].some((char) => char.charCodeAt(0) < 0x20 || char === '\u007f');
  if (key.ctrl === true || key.meta === true || input === '' || isControl) {
    return undefined;
  }
  return input;
}

function isErase(key: KeyEvent): boolean {
  return key.backspace === true || key.delete === true;
}

function applyPaletteKey(state: AppState, text: string, input: string, key: KeyEvent): AppState {
  const normal: Mode = { kind: 'normal' };
  if (key.escape === true) {
    return { ...state, mode: normal };
  }
  if (key.return === true) {
    return runPalette({ ...state, mode: normal }, parsePalette(text));
  }
  if (key.tab === true) {
    const completion = completePalette(text);
    if (completion.candidates.length === 0) {
      return {
        ...state,
        status: { tone: 'error', text: `No command starts with ":${text.trim()}".` },
      };
    }
    return { ...state, mode: { kind: 'palette', text: completion.text } };
  }
  if (isErase(key)) {
    // Erasing past the ':' closes the prompt, as in vim.
    return text === ''
      ? { ...state, mode: normal }
      : { ...state, mode: { kind: 'palette', text: text.slice(0, -1) } };
  }
  const typed = typedText(input, key);
  return typed === undefined ? state : { ...state, mode: { kind: 'palette', text: text + typed } };
}

function runPalette(state: AppState, result: PaletteResult): AppState {
  switch (result.kind) {
    case 'screen':
      return {
        ...state,
        help: false,
        panel: undefined,
        router: routerReducer(state.router, {
          type: 'navigate',
          screen: result.screen,
          params: paramsFor(result.screen, state.context, currentRoute(state.router)),
        }),
      };
    case 'subscription':
      if (result.subscriptionId === state.subscriptionId) {
        return { ...state, status: info(`Already on subscription ${result.subscriptionId}.`) };
      }
      // Accounts and pools belong to a subscription: start again from its accounts.
      return {
        ...state,
        subscriptionId: result.subscriptionId,
        context: {},
        panel: undefined,
        router: initialRouter(),
        status: info(`Subscription ${result.subscriptionId}.`),
      };
    case 'toggleReadOnly':
      return {
        ...state,
        readOnly: !state.readOnly,
        status: info(
          state.readOnly
            ? 'Read-only off: writes are offered again, each after a confirmation.'
            : 'Read-only on: nothing will be changed in Azure; flows hide their apply step.',
        ),
      };
    case 'quit':
      return { ...state, quit: true };
    case 'error':
      return { ...state, status: { tone: 'error', text: result.message } };
  }
}

/**
 * What a palette command's screen is about: pools need the current account, nodes its pool; the
 * doctor checks what the screen it was called from is about.
 */
function paramsFor(screen: ScreenId, context: RouteParams, from: Route): RouteParams | undefined {
  switch (screen) {
    case 'pools':
      return context.account ? context : undefined;
    case 'nodes':
      return context.account && context.pool ? context : undefined;
    case 'doctor':
      return doctorScope(from);
    // The node (and pool) last opened with l / t on the Nodes screen.
    case 'logs':
    case 'token':
      return context.account && context.pool ? context : undefined;
    default:
      return undefined;
  }
}

/**
 * The doctor's scope from a screen: a pool from its nodes, an account from its detail or its
 * pools, the same scope again from the doctor itself, else the whole subscription.
 */
export function doctorScope(from: Route): RouteParams | undefined {
  const { account, pool } = from.params ?? {};
  if (account === undefined) return undefined;
  switch (from.screen) {
    case 'nodes':
    case 'doctor':
      return pool === undefined ? { account } : { account, pool };
    case 'account':
    case 'pools':
      return { account };
    default:
      return undefined;
  }
}

function applyFilterKey(state: AppState, text: string, input: string, key: KeyEvent): AppState {
  if (key.escape === true) {
    return { ...state, mode: { kind: 'normal' } };
  }
  if (key.return === true) {
    return {
      ...state,
      mode: { kind: 'normal' },
      router: routerReducer(state.router, { type: 'setFilter', filter: text.trim() }),
    };
  }
  if (isErase(key)) {
    return { ...state, mode: { kind: 'filter', text: text.slice(0, -1) } };
  }
  const typed = typedText(input, key);
  return typed === undefined ? state : { ...state, mode: { kind: 'filter', text: text + typed } };
}
