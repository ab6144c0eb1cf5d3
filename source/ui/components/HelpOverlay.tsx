import { Box, Text } from 'ink';
import { commandsFor, keysLabel, PALETTE_COMMANDS } from '../keys.js';
import type { ScreenId } from '../keys.js';
import { SCREEN_INFO } from '../screens/info.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface HelpOverlayProps {
  screen: ScreenId;
  /** Rows and columns available; the overlay never draws more. */
  rows: number;
  columns: number;
  unicode: boolean;
}

/** Greedy word wrap, so the palette's command list reads whole at 80 columns instead of being cut. */
export function wrapWords(words: readonly string[], width: number, separator = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line}${separator}${word}`;
    if (next.length > width && line !== '') {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  return line === '' ? lines : [...lines, line];
}

/** The `?` overlay, drawn from the key registry so it cannot disagree with what the keys do. */
export function HelpOverlay({ screen, rows, columns, unicode }: HelpOverlayProps) {
  const { colours, symbols } = useTheme();
  const commands = commandsFor(screen);
  const labels = commands.map((spec) => keysLabel(spec, !unicode));
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  const palette = PALETTE_COMMANDS.map((c) => `:${c.name}${c.argument ? ` ${c.argument}` : ''}`);
  const lines = [
    <Line key="title" bold>
      {`Keys ${symbols.dash} ${SCREEN_INFO[screen].title}`}
      <Text color={colours.muted}>{'   (? or Esc closes)'}</Text>
    </Line>,
    ...commands.map((spec, index) => (
      <Line key={spec.id}>
        <Text color={colours.accent}>{(labels[index] ?? '').padEnd(width)}</Text>
        {spec.description}
      </Line>
    )),
    <Line key="gap"> </Line>,
    ...wrapWords(['Commands:', ...palette], columns).map((text, index) => (
      <Line key={`palette-${index}`} color={colours.muted}>
        {text}
      </Line>
    )),
  ];
  const fits = lines.length <= rows;
  const shown = fits ? lines : lines.slice(0, Math.max(0, rows - 1));
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      {shown}
      {fits || rows < 1 ? null : (
        <Line key="more" color={colours.muted}>
          {`${symbols.ellipsis} more keys than rows: enlarge the terminal to see them all`}
        </Line>
      )}
    </Box>
  );
}
