/**
 * The first row(s) of a screen's body: what is being read, a retry being waited out
 * ("retrying (429, 2s)…"), when the data was read, or what failed and what to do.
 */
import { Box, Text } from 'ink';
import { describeRetry } from '../../azure/retry.js';
import { clockTime } from '../format.js';
import type { ResourceState } from '../hooks/resource.js';
import { describeProblem } from '../problem.js';
import { wrapText } from './text-rows.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface StatusBarProps {
  state: ResourceState<unknown>;
  /** What is read, for "Reading pools of batchhealthy…". */
  what: string;
  /** Said when the data is in, e.g. "7 pools". */
  summary?: string;
  width: number;
}

// A failure is read in full (which role, on which scope): wrapped, within bounds.
const MAX_PROBLEM_ROWS = 3;
const MAX_NEXT_ROWS = 2;

function problemRows(state: ResourceState<unknown>, width: number, dash: string) {
  const problem = describeProblem(state.error);
  const read =
    state.loadedAt === undefined
      ? ''
      : ` ${dash} showing what was read ${clockTime(state.loadedAt)}`;
  const text = wrapText(`${problem.text}${state.value === undefined ? '' : read}`, width - 2);
  const next = wrapText(problem.next, width - 2);
  return { text: text.slice(0, MAX_PROBLEM_ROWS), next: next.slice(0, MAX_NEXT_ROWS) };
}

/** Rows the bar takes: one, or a failure's wrapped text and next step. */
export function statusBarRows(state: ResourceState<unknown>, width: number): number {
  if (state.error === undefined) return 1;
  const { text, next } = problemRows(state, width, '-');
  return Math.max(1, text.length + next.length);
}

export function StatusBar({ state, what, summary, width }: StatusBarProps) {
  const { colours, symbols } = useTheme();
  const read = state.loadedAt === undefined ? '' : `read ${clockTime(state.loadedAt)}`;
  if (state.error !== undefined) {
    const { text, next } = problemRows(state, width, symbols.dash);
    return (
      <Box flexDirection="column" height={statusBarRows(state, width)} flexShrink={0}>
        {text.map((line, i) => (
          <Line
            key={`t${i}`}
            color={colours.error}
          >{`${i === 0 ? symbols.error : ' '} ${line}`}</Line>
        ))}
        {next.map((line, i) => (
          <Line key={`n${i}`} color={colours.muted}>{`  ${line}`}</Line>
        ))}
      </Box>
    );
  }
  let text: string;
  if (state.retry !== undefined) {
    text = `${describeRetry(state.retry)} ${what}`;
  } else if (state.loading && state.value === undefined) {
    text = `Reading ${what}…`;
  } else if (state.loading) {
    // A refresh keeps the line as it was, so a live screen does not flicker every few seconds.
    text = [summary, read, `refreshing${symbols.ellipsis}`]
      .filter(Boolean)
      .join(` ${symbols.dot} `);
  } else {
    text = [summary, read].filter(Boolean).join(` ${symbols.dot} `);
  }
  return (
    <Box height={1} flexShrink={0}>
      <Line color={state.retry !== undefined ? colours.warning : colours.muted}>
        {state.retry !== undefined ? <Text bold>{`${symbols.warning} `}</Text> : ''}
        {text}
      </Line>
    </Box>
  );
}
