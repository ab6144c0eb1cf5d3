/**
 * The shell: header, breadcrumb, the current screen, status line; the router, prompts and the
 * session (gateways) around them. Sized to the terminal exactly, so a frame never scrolls the
 * alternate screen.
 */
import { Box, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { createCollector, createGateways } from '../azure/index.js';
import type { SessionInfo } from '../options.js';
import { Breadcrumb } from './components/Breadcrumb.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { PaletteHints } from './components/PaletteHints.js';
import { StatusLine } from './components/StatusLine.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { PALETTE_COMMANDS } from './keys.js';
import type { ScreenId } from './keys.js';
import { currentRoute, routeKey } from './router.js';
import { ScreenView } from './screens/ScreenView.js';
import type { Connection, Session, SessionServices } from './session.js';
import { SessionContext } from './session.js';
import { activeFilter, appReducer, initialAppState } from './state.js';
import type { Status } from './state.js';
import { makeTheme, ThemeContext } from './theme.js';
import type { Theme } from './theme.js';

export interface AppProps {
  session: SessionInfo;
  readOnly: boolean;
  initialScreen?: ScreenId;
  /** A message for the status line at start, e.g. the settings file was unusable. */
  initialStatus?: Status;
  theme?: Theme;
  /** Called once when the operator quits (q, Ctrl+C, :quit). */
  onQuit: () => void;
  /** Called when `:sub` picks another subscription, so it can be remembered. */
  onSubscriptionChange?: (subscriptionId: string) => void;
  /** Called when the operator opens an account, so it can be remembered. */
  onAccountChange?: (accountName: string) => void;
  /** Called with any error thrown while rendering; the caller owns restoring the terminal. */
  onError?: (error: unknown) => void;
  /** Set once the session has opened (with its services) or failed to (sign-in, sandbox start). */
  connection?: { status: Status | undefined; services?: SessionServices };
  /** What the screens say until the session is open. */
  connectingText?: string;
  /** Live views refresh this often (default 5 s). */
  refreshSeconds?: number;
  /** The account selected first on Accounts. */
  initialAccount?: string;
}

// Header, breadcrumb and status line.
const CHROME_ROWS = 3;

export function App(props: AppProps) {
  const theme = props.theme ?? makeTheme();
  const body = (
    <ThemeContext value={theme}>
      <Shell {...props} unicode={theme.unicode} />
    </ThemeContext>
  );
  return props.onError === undefined ? (
    body
  ) : (
    <ErrorBoundary onError={props.onError}>{body}</ErrorBoundary>
  );
}

function Shell({
  session,
  readOnly,
  initialScreen,
  initialStatus,
  onQuit,
  onSubscriptionChange,
  onAccountChange,
  connection,
  connectingText = 'Signing in…',
  refreshSeconds = 5,
  initialAccount,
  unicode,
}: AppProps & { unicode: boolean }) {
  const { columns, rows } = useTerminalSize();
  const [state, dispatch] = useReducer(
    appReducer,
    {
      screen: initialScreen,
      readOnly,
      subscriptionId: session.subscriptionId,
      status: initialStatus,
    },
    initialAppState,
  );

  useInput((input, key) => {
    dispatch({ type: 'input', input, key });
  });

  // The session opens after the first frame (a sandbox or a sign-in takes a while): an event
  // from outside, handed to the reducer once.
  useEffect(() => {
    if (connection !== undefined) {
      dispatch({
        type: 'connected',
        subscriptionId: session.subscriptionId,
        status: connection.status,
      });
    }
  }, [connection, session.subscriptionId]);

  useEffect(() => {
    if (state.quit) {
      onQuit();
    }
  }, [state.quit, onQuit]);

  // Remember a subscription the operator switched to, not the one the session opened with (a
  // sandbox's must not become the default for the next run against Azure).
  const lastSeen = useRef(session.subscriptionId);
  useEffect(() => {
    const id = state.subscriptionId;
    if (id === undefined || id === lastSeen.current) return;
    lastSeen.current = id;
    if (id !== session.subscriptionId) onSubscriptionChange?.(id);
  }, [state.subscriptionId, session.subscriptionId, onSubscriptionChange]);

  const accountName = state.context.account?.name;
  useEffect(() => {
    if (accountName !== undefined) onAccountChange?.(accountName);
  }, [accountName, onAccountChange]);

  const services = connection?.services;
  const link = useMemo((): Connection => {
    if (connection === undefined) return { phase: 'connecting', text: connectingText };
    if (services === undefined) {
      return {
        phase: 'failed',
        message: connection.status?.text ?? 'the session did not open.',
        next: 'Fix what is named above and start again; q quits.',
      };
    }
    // Until the reducer has adopted the opened session's subscription, the prop already has it.
    const subscriptionId = state.subscriptionId ?? session.subscriptionId;
    if (subscriptionId === undefined) {
      return {
        phase: 'failed',
        message: 'no subscription chosen.',
        next: 'Type :sub and a subscription id (az account list shows yours), or start with --subscription ID.',
      };
    }
    try {
      const where = { armEndpoint: services.armEndpoint, subscriptionId };
      // Read-only is enforced by the gateways, where writes are made (SPEC §7 safety); `:ro`
      // builds new ones. Screens keep their data: their fetches are keyed by what they show.
      const options = { readOnly: state.readOnly };
      return {
        phase: 'ready',
        gateways: createGateways(services.clients, where, options),
        // A collector per run, so that its retries are told to that run's progress line. The
        // run's signal stops its calls, retries and waits when the screen leaves or `r` restarts.
        collect: (scope, run) =>
          createCollector(services.clients, where, {
            ...options,
            ...(run.onRetry === undefined ? {} : { onRetry: run.onRetry }),
          }).collect(scope, { signal: run.signal }),
        services,
        readOnly: state.readOnly,
      };
    } catch (error) {
      return {
        phase: 'failed',
        message: error instanceof Error ? error.message : String(error),
        next: 'Fix what is named above (:sub ID picks another subscription); q quits.',
      };
    }
  }, [
    connection,
    services,
    connectingText,
    state.subscriptionId,
    session.subscriptionId,
    state.readOnly,
  ]);

  const sessionValue = useMemo(
    (): Session => ({
      connection: link,
      refreshMs: refreshSeconds * 1000,
      ...(initialAccount === undefined ? {} : { initialAccount }),
      open: (screen, params) => {
        dispatch({ type: 'open', screen, params });
      },
      showPanel: (panel) => {
        dispatch({ type: 'panel', panel });
      },
      clearFilter: () => {
        dispatch({ type: 'clearFilter' });
      },
      say: (status) => {
        // Said from a screen's key handler, which Ink may call before the shell's (it follows
        // mount order); the shell clears the message on every key, so this waits until both ran.
        queueMicrotask(() => {
          dispatch({ type: 'status', status });
        });
      },
    }),
    [link, refreshSeconds, initialAccount],
  );

  const route = currentRoute(state.router);
  const filter = activeFilter(state);
  const bodyRows = Math.max(0, rows - CHROME_ROWS);
  // The palette's hints keep one body row for the screen's own title.
  const hintRows =
    state.mode.kind === 'palette'
      ? Math.min(PALETTE_COMMANDS.length, Math.max(0, bodyRows - 1))
      : 0;
  const screenRows = Math.max(0, bodyRows - hintRows);

  return (
    <SessionContext value={sessionValue}>
      <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
        <Header
          session={session}
          subscriptionId={state.subscriptionId}
          readOnly={state.readOnly}
          columns={columns}
        />
        <Breadcrumb
          stack={state.router.stack}
          filter={filter}
          help={state.help}
          panel={state.panel}
          columns={columns}
        />
        <Box flexDirection="column" height={bodyRows} flexShrink={0} overflow="hidden">
          {state.help ? (
            <HelpOverlay
              screen={route.screen}
              rows={screenRows}
              columns={columns}
              unicode={unicode}
            />
          ) : null}
          {/* Hidden, not unmounted, under help: a live screen keeps polling and its log. */}
          <Box
            flexDirection="column"
            height={screenRows}
            overflow="hidden"
            display={state.help ? 'none' : 'flex'}
          >
            <ScreenView
              key={routeKey(route)}
              route={route}
              filter={filter}
              active={state.mode.kind === 'normal' && !state.help && !state.quit}
              panel={state.panel}
              width={columns}
              height={screenRows}
            />
          </Box>
          {state.mode.kind === 'palette' ? (
            <PaletteHints text={state.mode.text} rows={hintRows} />
          ) : null}
        </Box>
        <StatusLine mode={state.mode} status={state.status} />
      </Box>
    </SessionContext>
  );
}
