/**
 * A titled, scrollable block over a screen (JSON view, a node's errors, an identity's uses):
 * arrows, PgUp/PgDn, g/G scroll; Esc (the shell) closes it. Only the rows that fit are drawn.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useReducer } from 'react';
import { useCommands } from '../hooks/useCommands.js';
import type { ScreenId } from '../keys.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';
import { clampScroll, scrollReducer } from './scroll.js';

export interface ScrollPanelProps {
  screen: ScreenId;
  active: boolean;
  title: string;
  /** One node per screen row; nothing here may wrap. */
  rows: readonly ReactNode[];
  height: number;
  /** Rows above the text (a status bar) that do not scroll. */
  top?: ReactNode;
  topRows?: number;
  /** Keys other than scrolling (refresh, JSON of what is shown, copy). */
  onCommand?: (command: 'refresh' | 'json' | 'open' | 'copy') => 'leave' | void;
}

export function ScrollPanel({
  screen,
  active,
  title,
  rows,
  height,
  top,
  topRows = 0,
  onCommand,
}: ScrollPanelProps) {
  const { colours, symbols } = useTheme();
  const textRows = Math.max(0, height - 1 - topRows);
  const [offset, dispatch] = useReducer(scrollReducer, 0);
  const page = Math.max(1, textRows - 1);
  const scroll = (by: number | 'top' | 'bottom') => {
    dispatch({ by, total: rows.length, height: textRows });
  };
  useCommands(screen, active, (command) => {
    switch (command) {
      case 'up':
        return scroll(-1);
      case 'down':
        return scroll(1);
      case 'pageUp':
        return scroll(-page);
      case 'pageDown':
        return scroll(page);
      case 'top':
        return scroll('top');
      case 'bottom':
        return scroll('bottom');
      case 'refresh':
      case 'json':
      case 'open':
      case 'copy':
        return onCommand?.(command);
      default:
        return undefined;
    }
  });
  const start = clampScroll(offset, rows.length, textRows);
  const end = Math.min(rows.length, start + textRows);
  const position = rows.length > textRows ? `  ${start + 1}-${end} of ${rows.length}` : '';
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Line bold>
        {title}
        <Text color={colours.muted}>{`${position}  ${symbols.dot} Esc back`}</Text>
      </Line>
      {top}
      {rows.slice(start, end)}
    </Box>
  );
}
