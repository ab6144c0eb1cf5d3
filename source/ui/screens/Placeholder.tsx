import { Box, Text } from 'ink';
import { describeFilter } from '../filter.js';
import type { ScreenId } from '../keys.js';
import { useTheme } from '../theme.js';
import { Line } from '../components/Line.js';
import { SCREEN_INFO } from './info.js';

export interface PlaceholderProps {
  screen: ScreenId;
  filter: string;
}

/** A screen that is not built yet says so plainly; it never shows made-up data. */
export function Placeholder({ screen, filter }: PlaceholderProps) {
  const { colours, symbols } = useTheme();
  const { title, arrivesWith } = SCREEN_INFO[screen];
  const shown = describeFilter(filter);
  return (
    <Box flexDirection="column" overflow="hidden">
      <Line>
        <Text bold>{title}</Text>
        {` ${symbols.dash} not built yet; arrives with ${arrivesWith}.`}
      </Line>
      {shown === '' ? null : (
        <Line
          color={colours.muted}
        >{`The filter ${shown} will apply to this table once it exists.`}</Line>
      )}
    </Box>
  );
}
