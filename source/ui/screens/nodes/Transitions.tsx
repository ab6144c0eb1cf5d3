/** The transitions log: the newest state changes since the screen opened, newest last. */
import { Box, Text } from 'ink';
import { formatTransition } from '../../../domain/nodes.js';
import type { NodeTransition } from '../../../domain/nodes.js';
import { Line } from '../../components/Line.js';
import { clockTime, formatCount } from '../../format.js';
import { useTheme } from '../../theme.js';
import { shortNodeId } from './columns.js';
import { TRANSITIONS_KEPT } from './reducer.js';

export function Transitions({
  transitions,
  since,
  rows,
}: {
  transitions: readonly NodeTransition[];
  since: number | undefined;
  rows: number;
}) {
  const { colours, symbols } = useTheme();
  if (rows <= 0) return null;
  const shown = transitions.slice(-(rows - 1));
  const title =
    since === undefined
      ? 'transitions'
      : `transitions since ${clockTime(since)} (${formatCount(transitions.length)}${transitions.length >= TRANSITIONS_KEPT ? ', newest kept' : ''})`;
  return (
    <Box flexDirection="column" height={rows} flexShrink={0}>
      <Line bold color={colours.muted}>
        {title}
      </Line>
      {shown.length === 0 ? (
        <Line
          color={colours.muted}
        >{`  none yet ${symbols.dash} state changes appear here as polls see them`}</Line>
      ) : (
        shown.map((t, i) => (
          <Line key={`${t.nodeId}-${t.at.getTime()}-${i}`}>
            <Text
              color={t.to === 'unusable' || t.to === 'starttaskfailed' ? colours.error : undefined}
            >
              {`  ${formatTransition({ ...t, nodeId: shortNodeId(t.nodeId, 24) }, clockTime)}`}
            </Text>
          </Line>
        ))
      )}
    </Box>
  );
}
