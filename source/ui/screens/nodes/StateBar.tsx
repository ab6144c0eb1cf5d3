/**
 * The state-count bar at the top of the Nodes screen: one segment per state present, as wide as
 * its share of the pool (at least one cell, so a single unusable node among 10,000 shows), then
 * the counts in words. Without colour each kind of state gets its own fill character.
 */
import { Box, Text } from 'ink';
import type { NodeState } from '../../../domain/model.js';
import { nonZeroStates, TROUBLED_STATES } from '../../../domain/nodes.js';
import type { NodeStateCounts } from '../../../domain/nodes.js';
import { Line } from '../../components/Line.js';
import { describeCounts, formatCount } from '../../format.js';
import { useTheme } from '../../theme.js';
import type { Theme } from '../../theme.js';
import { stateColour } from './columns.js';

export interface Segment {
  state: NodeState;
  count: number;
  width: number;
}

/** Widths that add up to `width`: proportional, at least 1 each, rounding given to the largest. */
export function barSegments(counts: NodeStateCounts, width: number): Segment[] {
  const present = nonZeroStates(counts);
  if (counts.total === 0 || width < present.length) return [];
  const segments = present.map(({ state, count }) => ({
    state,
    count,
    width: Math.max(1, Math.floor((count / counts.total) * width)),
  }));
  const used = segments.reduce((sum, s) => sum + s.width, 0);
  const largest = segments.reduce((a, b) => (b.count > a.count ? b : a), segments[0] as Segment);
  largest.width = Math.max(1, largest.width + width - used);
  return segments;
}

function fill(state: NodeState, theme: Theme): string {
  if (theme.colour) return theme.unicode ? '█' : '#';
  if (TROUBLED_STATES.has(state)) return 'x';
  return state === 'idle' || state === 'running' ? '=' : '~';
}

export function StateBar({
  counts,
  errored,
  errorsOnly,
  width,
}: {
  counts: NodeStateCounts;
  errored: number;
  errorsOnly: boolean;
  width: number;
}) {
  const theme = useTheme();
  const segments = barSegments(counts, width);
  const filter = errorsOnly
    ? `  [e] showing ${formatCount(errored)} errored only`
    : errored > 0
      ? `  (${formatCount(errored)} errored: e)`
      : '';
  return (
    <Box flexDirection="column" height={2} flexShrink={0}>
      <Line>
        {segments.length === 0 ? (
          <Text color={theme.colours.muted}>{theme.symbols.dot.repeat(Math.max(0, width))}</Text>
        ) : (
          segments.map((s) => (
            <Text key={s.state} color={stateColour(s.state, theme)}>
              {fill(s.state, theme).repeat(s.width)}
            </Text>
          ))
        )}
      </Line>
      <Line>
        {`${formatCount(counts.total)} nodes: ${describeCounts(counts)}`}
        <Text color={errorsOnly ? theme.colours.warning : theme.colours.muted}>{filter}</Text>
      </Line>
    </Box>
  );
}
