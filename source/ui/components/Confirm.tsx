/**
 * An explicit question before a write (SPEC §3: writes always ask first): what will happen, in
 * one or two rows, and the keys that answer it. Presentational: the screen maps `y` and `n`
 * through the key registry (`confirm`, `decline`), so `?` lists them like every other key.
 */
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';
import { wrapText } from './text-rows.js';

export interface ConfirmProps {
  question: string;
  /** What `y` does, e.g. "apply 2 steps". */
  yes: string;
  /** What `n` does, e.g. "cancel, nothing is changed". */
  no: string;
  width: number;
  /** A step that stops work on nodes is asked in the warning colour. */
  tone?: 'accent' | 'warning';
}

const MAX_QUESTION_ROWS = 3;

function questionLines(question: string, width: number): string[] {
  return wrapText(question, Math.max(10, width - 2)).slice(0, MAX_QUESTION_ROWS);
}

/** Rows the prompt takes at this width. */
export function confirmRows(question: string, width: number): number {
  return questionLines(question, width).length + 1;
}

export function Confirm({ question, yes, no, width, tone = 'accent' }: ConfirmProps) {
  const { colours } = useTheme();
  const lines = questionLines(question, width);
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((line, i) => (
        <Line key={i} bold color={colours[tone]}>{`${i === 0 ? '?' : ' '} ${line}`}</Line>
      ))}
      <Line>
        {'  '}
        <Text bold>y</Text>
        {` ${yes}   `}
        <Text bold>n</Text>
        {` ${no}`}
      </Line>
    </Box>
  );
}
