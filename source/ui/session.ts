/**
 * What screens reach Azure through, and how they move the shell: the gateways once the session
 * is open (before that, what is happening), the refresh interval, and `open`/`showPanel`.
 */
import { createContext, useContext } from 'react';
import type { GatewayClients, Gateways, RetryListener } from '../azure/index.js';
import type { DoctorScope, Snapshot } from '../domain/doctor/types.js';
import type { ScreenId } from './keys.js';
import type { FlowServices } from './screens/flows/services.js';
import type { IncidentServices } from './screens/logs/services.js';
import type { Status } from './state.js';
import type { Panel, RouteParams } from './targets.js';

/** What the opened session hands the program: the SDK clients of its cloud. */
export interface SessionServices {
  clients: GatewayClients;
  armEndpoint: string;
  /** The guided flows' extras: who is signed in, the audit log (screens/flows/services.ts). */
  flows?: FlowServices;
  /** Blob storage, per-node IMDS and CA for the Logs and Token screens. */
  incident?: IncidentServices;
}

export type Connection =
  /** Signing in or starting the sandbox: `text` says which. */
  | { phase: 'connecting'; text: string }
  /** Sign-in failed, or there is no subscription to read: what happened, and what to do. */
  | { phase: 'failed'; message: string; next: string }
  /** `collect` gathers the doctor's snapshot in the same subscription (Doctor, health). */
  | {
      phase: 'ready';
      gateways: Gateways;
      collect: Collect;
      /** The opened session's clients (the flows build their runner on them) and `:ro`. */
      services: SessionServices;
      readOnly: boolean;
    };

/** One collection of the doctor's snapshot: read afresh every time, nothing cached. */
export type Collect = (
  scope: Omit<DoctorScope, 'subscriptionId'>,
  run: { signal: AbortSignal; onRetry?: RetryListener },
) => Promise<Snapshot>;

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
  /** Drop the current screen's `/` filter (what it narrowed is gone, e.g. a picker picked). */
  clearFilter(): void;
  /** A message for the status line (until the next key), e.g. "copied (OSC 52)". */
  say(status: Status): void;
}

export const SessionContext = createContext<Session>({
  connection: { phase: 'connecting', text: 'Signing in…' },
  refreshMs: 5000,
  open: () => undefined,
  showPanel: () => undefined,
  clearFilter: () => undefined,
  say: () => undefined,
});

export function useSession(): Session {
  return useContext(SessionContext);
}
