import { Box, Text } from 'ink';
import { hideSecrets } from '../filter.js';
import { completePalette } from '../keys.js';
import type { Mode, Status } from '../state.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface StatusLineProps {
  mode: Mode;
  status: Status | undefined;
}

/** The bottom row: the open prompt, else the last message, else a reminder of the main keys. */
export function StatusLine({ mode, status }: StatusLineProps) {
  const { colours, symbols } = useTheme();
  let content;
  if (mode.kind === 'palette') {
    const { text, candidates } = completePalette(mode.text);
    // Show what Tab would add, greyed, so completion is discoverable without reading help.
    const ghost =
      candidates.length === 1 && text.startsWith(mode.text) ? text.slice(mode.text.length) : '';
    content = (
      <Line>
        <Text bold color={colours.accent}>
          :
        </Text>
        {mode.text}
        <Text color={colours.muted}>{ghost}</Text>
        {symbols.cursor}
        <Text
          color={colours.muted}
        >{`  Tab complete ${symbols.dot} Enter run ${symbols.dot} Esc cancel`}</Text>
      </Line>
    );
  } else if (mode.kind === 'filter') {
    content = (
      <Line>
        <Text bold color={colours.accent}>
          /
        </Text>
        {hideSecrets(mode.text)}
        {symbols.cursor}
        <Text
          color={colours.muted}
        >{`  Enter apply ${symbols.dot} Esc cancel ${symbols.dot} !text hides matches`}</Text>
      </Line>
    );
  } else if (status !== undefined) {
    content = (
      <Line color={status.tone === 'error' ? colours.error : undefined}>
        {status.tone === 'error' ? `${symbols.error} ` : ''}
        {status.text}
      </Line>
    );
  } else {
    content = (
      <Line color={colours.muted}>
        {['? keys', ': commands', '/ filter', 'Esc back', 'q quit'].join(` ${symbols.dot} `)}
      </Line>
    );
  }
  return (
    <Box height={1} flexShrink={0}>
      {content}
    </Box>
  );
}
