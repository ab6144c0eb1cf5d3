import type { ScreenId } from '../keys.js';

export interface ScreenInfo {
  title: string;
  /** Which piece of work brings the screen, said plainly while it is not built. */
  arrivesWith: string;
}

export const SCREEN_INFO: Record<ScreenId, ScreenInfo> = {
  accounts: { title: 'Accounts', arrivesWith: 'the browsing screens (issue 4)' },
  account: { title: 'Account', arrivesWith: 'the browsing screens (issue 4)' },
  pools: { title: 'Pools', arrivesWith: 'the browsing screens (issue 4)' },
  nodes: { title: 'Nodes', arrivesWith: 'the browsing screens (issue 4)' },
  identities: { title: 'Identities', arrivesWith: 'the browsing screens (issue 4)' },
  doctor: { title: 'Doctor', arrivesWith: 'the doctor (issue 5)' },
  logs: { title: 'Logs', arrivesWith: 'batch service logs and the token check (issue 6)' },
  token: { title: 'Token check', arrivesWith: 'batch service logs and the token check (issue 6)' },
  flows: { title: 'Flows', arrivesWith: 'the guided set-up flows (issue 7)' },
};
