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

/**
 * The `?` overlay, drawn from the key registry so it cannot disagree with what the keys do. When
 * the screen's keys do not all fit, the keys that work everywhere (also named on the bottom row)
 * fold into one line, then the blank line goes.
 */
export function HelpOverlay({ screen, rows, columns, unicode }: HelpOverlayProps) {
  const { colours, symbols } = useTheme();
  const commands = commandsFor(screen);
  const labels = commands.map((spec) => keysLabel(spec, !unicode));
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  const palette = PALETTE_COMMANDS.map((c) => `:${c.name}${c.argument ? ` ${c.argument}` : ''}`);
  const row = (index: number) => {
    const spec = commands[index];
    return spec === undefined ? null : (
      <Line key={spec.id}>
        <Text color={colours.accent}>{(labels[index] ?? '').padEnd(width)}</Text>
        {spec.description}
      </Line>
    );
  };
  const globals = commands.flatMap((spec, index) =>
    spec.screens === 'global'
      ? [`${labels[index] ?? ''}  ${shortDescription(spec.description)}`]
      : [],
  );
  const title = (
    <Line key="title" bold>
      {`Keys ${symbols.dash} ${SCREEN_INFO[screen].title}`}
      <Text color={colours.muted}>{'   (? or Esc closes)'}</Text>
    </Line>
  );
  const commandList = wrapWords(['Commands:', ...palette], columns).map((text, index) => (
    <Line key={`palette-${index}`} color={colours.muted}>
      {text}
    </Line>
  ));
  const gap = <Line key="gap"> </Line>;
  const all = commands.map((_, index) => row(index));
  const folded = [
    ...commands.flatMap((spec, index) => (spec.screens === 'global' ? [] : [row(index)])),
    ...wrapWords(globals, columns, `  ${symbols.dot}  `).map((text, index) => (
      <Line key={`global-${index}`}>{text}</Line>
    )),
  ];
  const candidates = [
    [title, ...all, gap, ...commandList],
    [title, ...folded, gap, ...commandList],
    [title, ...folded, ...commandList],
  ];
  const fitting = candidates.find((lines) => lines.length <= rows);
  const lines = fitting ?? candidates[candidates.length - 1] ?? [];
  const shown = fitting ? lines : lines.slice(0, Math.max(0, rows - 1));
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      {shown}
      {fitting || rows < 1 ? null : (
        <Line key="more" color={colours.muted}>
          {`${symbols.ellipsis} more keys than rows: enlarge the terminal to see them all`}
        </Line>
      )}
    </Box>
  );
}

/** 'back (or close the prompt / help)' → 'back': the folded line keeps the first words. */
function shortDescription(description: string): string {
  return description.replace(/\s*\(.*\)$/, '');
}
