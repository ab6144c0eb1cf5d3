/**
 * What screens reach Azure through, and how they move the shell: the gateways once the session
 * is open (before that, what is happening), the refresh interval, and `open`/`showPanel`.
 */
import { createContext, useContext } from 'react';
import type { GatewayClients, Gateways } from '../azure/index.js';
import type { ScreenId } from './keys.js';
import type { Panel, RouteParams } from './targets.js';

/** What the opened session hands the program: the SDK clients of its cloud. */
export interface SessionServices {
  clients: GatewayClients;
  armEndpoint: string;
}

export type Connection =
  /** Signing in or starting the sandbox: `text` says which. */
  | { phase: 'connecting'; text: string }
  /** Sign-in failed, or there is no subscription to read: what happened, and what to do. */
  | { phase: 'failed'; message: string; next: string }
  | { phase: 'ready'; gateways: Gateways };

export interface Session {
  connection: Connection;
  /** Live views poll this often (--refresh, or the setting). */
  refreshMs: number;
  /** The account to select first on Accounts (--account, or the last one opened). */
  initialAccount?: string;
  /** Enter on a row: show a screen about it. */
  open(screen: ScreenId, params: RouteParams): void;
  /** Open (or with undefined, close) a panel over the current screen. */
  showPanel(panel: Panel | undefined): void;
}

export const SessionContext = createContext<Session>({
  connection: { phase: 'connecting', text: 'Signing in…' },
  refreshMs: 5000,
  open: () => undefined,
  showPanel: () => undefined,
});

export function useSession(): Session {
  return useContext(SessionContext);
}
