/**
 * The Doctor screen's first row: the run in progress (what it reads, for how long, the retry it
 * waits out), or what the last run found and covered, or why it failed and what to do.
 */
import { Box, Text } from 'ink';
import { describeRetry } from '../../../azure/retry.js';
import { countBySeverity } from '../../../domain/doctor/engine.js';
import type { DoctorReport } from '../../../domain/doctor/types.js';
import { SEVERITIES } from '../../../domain/doctor/types.js';
import { Line } from '../../components/Line.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { clockTime, formatCount } from '../../format.js';
import type { ResourceState } from '../../hooks/resource.js';
import { useTheme } from '../../theme.js';
import { coverageOf } from './reducer.js';
import type { DoctorState } from './reducer.js';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** `2 critical, 9 errors, 3 warnings`: the severities found, worst first; none: 'no findings'. */
export function findingCounts(report: DoctorReport): string {
  const counts = countBySeverity(report.findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) =>
    s === 'critical' || s === 'info' ? `${counts[s]} ${s}` : plural(counts[s], s),
  );
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/** What the status row says once a run is in: findings, gaps, what was read, when. */
export function reportSummary(state: DoctorState, hidden: number): string {
  const { report, snapshot, finishedAt } = state;
  if (report === undefined) return '';
  const parts = [findingCounts(report)];
  if (report.notChecked.length > 0) parts.push(`${report.notChecked.length} not checked`);
  if (hidden > 0) parts.push(`${hidden} hidden by the filter`);
  if (finishedAt !== undefined) parts.push(`checked ${clockTime(finishedAt)}`);
  if (snapshot !== undefined) {
    const c = coverageOf(snapshot);
    parts.push(
      `${plural(c.accounts, 'account')}, ${plural(c.pools, 'pool')}, ${plural(c.nodes, 'node')}`,
    );
  }
  return parts.join(' · ');
}

/** The run as a ResourceState, for StatusBar's rendering of a failure. */
function asResource(state: DoctorState): ResourceState<unknown> {
  return {
    key: 'doctor',
    value: state.report,
    loading: state.running,
    error: state.error,
    retry: state.retry,
    loadedAt: state.finishedAt,
  };
}

export function doctorStatusRows(state: DoctorState, width: number): number {
  return statusBarRows(asResource(state), width);
}

export interface DoctorStatusProps {
  state: DoctorState;
  /** `account batchhealthy`, `pool batchhealthy/p1`, `subscription 1234abcd…`. */
  scope: string;
  hidden: number;
  now: number;
  width: number;
}

export function DoctorStatus({ state, scope, hidden, now, width }: DoctorStatusProps) {
  const { colours, symbols } = useTheme();
  if (state.error !== undefined && !state.running) {
    return <StatusBar state={asResource(state)} what={`doctor of ${scope}`} width={width} />;
  }
  const summary = reportSummary(state, hidden);
  let text: string;
  if (state.running) {
    const seconds = `${Math.max(0, (now - (state.startedAt ?? now)) / 1000).toFixed(1)}s`;
    const doing =
      state.retry === undefined
        ? `Checking ${scope}: reading accounts, pools, nodes, role assignments, storage and key vaults${symbols.ellipsis} ${seconds}`
        : `${describeRetry(state.retry)} checking ${scope} ${seconds}`;
    // A run again keeps the last report's line, so the screen does not jump.
    text =
      summary === ''
        ? doing
        : `${summary} ${symbols.dot} checking again${symbols.ellipsis} ${seconds}`;
  } else {
    text = summary;
  }
  return (
    <Box height={1} flexShrink={0}>
      <Line color={state.retry === undefined ? colours.muted : colours.warning}>
        {state.retry === undefined ? '' : <Text bold>{`${symbols.warning} `}</Text>}
        {text}
      </Line>
    </Box>
  );
}
