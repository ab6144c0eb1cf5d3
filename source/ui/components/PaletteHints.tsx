import { Box, Text } from 'ink';
import { PALETTE_COMMANDS } from '../keys.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface PaletteHintsProps {
  text: string;
  rows: number;
}

/** The commands the palette text can still become, with what they do. */
export function PaletteHints({ text, rows }: PaletteHintsProps) {
  const { colours } = useTheme();
  const typed = text.trimStart().split(' ')[0]?.toLowerCase() ?? '';
  const matches = PALETTE_COMMANDS.filter((command) => command.name.startsWith(typed));
  const shown = matches.slice(0, Math.max(0, rows));
  if (shown.length === 0) {
    return null;
  }
  const width =
    Math.max(...shown.map((c) => c.name.length + (c.argument ? c.argument.length + 1 : 0))) + 3;
  return (
    <Box flexDirection="column" flexShrink={0} height={shown.length}>
      {shown.map((command) => (
        <Line key={command.name}>
          <Text color={colours.accent}>
            {`:${command.name}${command.argument ? ` ${command.argument}` : ''}`.padEnd(width)}
          </Text>
          <Text color={colours.muted}>{command.description}</Text>
        </Line>
      ))}
    </Box>
  );
}
