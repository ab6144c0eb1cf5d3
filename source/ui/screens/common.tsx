/**
 * What every screen is given by the shell, and what a screen shows before the session is open
 * (or when it could not open): the data screens never render a table of nothing.
 */
import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { Gateways } from '../../azure/index.js';
import { Line } from '../components/Line.js';
import type { Route } from '../router.js';
import { useSession } from '../session.js';
import type { Collect } from '../session.js';
import type { Panel } from '../targets.js';
import { useTheme } from '../theme.js';

export interface ScreenProps {
  route: Route;
  /** The `/` filter: the committed one, or the one being typed (the table follows as you type). */
  filter: string;
  /** The screen reads keys: no prompt or help is open. */
  active: boolean;
  panel: Panel | undefined;
  width: number;
  height: number;
}

/** Renders `children` with the gateways once the session is open; says why not otherwise. */
export function Connected({
  children,
}: {
  children: (gateways: Gateways, collect: Collect) => ReactNode;
}) {
  const { connection } = useSession();
  const { colours, symbols } = useTheme();
  if (connection.phase === 'ready') return children(connection.gateways, connection.collect);
  return (
    <Box flexDirection="column">
      {connection.phase === 'connecting' ? (
        <Line color={colours.muted}>{connection.text}</Line>
      ) : (
        <>
          <Line
            color={colours.error}
          >{`${symbols.error} Not connected: ${connection.message}`}</Line>
          <Line color={colours.muted}>{`  ${connection.next}`}</Line>
        </>
      )}
    </Box>
  );
}

/** A screen about an account or pool, opened with none chosen: say where to choose one. */
export function NothingChosen({ what }: { what: 'account' | 'pool' }) {
  const { colours } = useTheme();
  const where =
    what === 'account'
      ? 'open one on :accounts (select it, Enter)'
      : 'open an account, then a pool on its Pools screen (Enter)';
  return (
    <Box flexDirection="column">
      <Line>{`No ${what} chosen yet.`}</Line>
      <Line color={colours.muted}>{`  To choose one, ${where}.`}</Line>
    </Box>
  );
}
