/**
 * The shell: header, breadcrumb, the current screen, status line; the router and prompts around
 * them. Sized to the terminal exactly, so a frame never scrolls the alternate screen.
 */
import { Box, useInput } from 'ink';
import { useEffect, useReducer, useRef } from 'react';
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
import { currentRoute } from './router.js';
import { Placeholder } from './screens/Placeholder.js';
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
  /** Called with any error thrown while rendering; the caller owns restoring the terminal. */
  onError?: (error: unknown) => void;
  /** Set once the session has opened or failed to (sign-in, sandbox start). */
  connection?: { status: Status | undefined };
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
  connection,
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

  // Remember a subscription the operator switched to (not the one the program started with).
  const startSubscription = useRef(session.subscriptionId);
  useEffect(() => {
    if (state.subscriptionId !== undefined && state.subscriptionId !== startSubscription.current) {
      startSubscription.current = state.subscriptionId;
      onSubscriptionChange?.(state.subscriptionId);
    }
  }, [state.subscriptionId, onSubscriptionChange]);

  const route = currentRoute(state.router);
  const filter = activeFilter(state);
  const bodyRows = Math.max(0, rows - CHROME_ROWS);
  // The palette's hints keep one body row for the screen's own title.
  const hintRows =
    state.mode.kind === 'palette'
      ? Math.min(PALETTE_COMMANDS.length, Math.max(0, bodyRows - 1))
      : 0;

  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      <Header
        session={session}
        subscriptionId={state.subscriptionId}
        readOnly={state.readOnly}
        columns={columns}
      />
      <Breadcrumb stack={state.router.stack} filter={filter} help={state.help} />
      <Box flexDirection="column" height={bodyRows} flexShrink={0} overflow="hidden">
        <Box flexDirection="column" flexGrow={1} overflow="hidden">
          {state.help ? (
            <HelpOverlay
              screen={route.screen}
              rows={bodyRows - hintRows}
              columns={columns}
              unicode={unicode}
            />
          ) : (
            <Placeholder screen={route.screen} filter={filter} />
          )}
        </Box>
        {state.mode.kind === 'palette' ? (
          <PaletteHints text={state.mode.text} rows={hintRows} />
        ) : null}
      </Box>
      <StatusLine mode={state.mode} status={state.status} />
    </Box>
  );
}
