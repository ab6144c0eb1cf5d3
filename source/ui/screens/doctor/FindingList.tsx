/**
 * The doctor's findings as a list: a heading per severity, the resource under it, its findings
 * (rule and symptom) under that, then what could not be checked. Only the rows that fit are drawn.
 */
import { Box, Text } from 'ink';
import { nameOf } from '../../format.js';
import { Line } from '../../components/Line.js';
import { severityColour, severitySymbol, useTheme } from '../../theme.js';
import type { Theme } from '../../theme.js';
import type { DoctorRow } from './rows.js';

export interface FindingListProps {
  rows: readonly DoctorRow[];
  /** Row the selection is on (-1: none). */
  selected: number;
  start: number;
  height: number;
  /** Said when there are no rows. */
  empty: string;
}

export function FindingList({ rows, selected, start, height, empty }: FindingListProps) {
  const theme = useTheme();
  if (height <= 0) return null;
  if (rows.length === 0) {
    return (
      <Box height={height} flexShrink={0} flexDirection="column">
        {empty === '' ? null : <Line color={theme.colours.muted}>{`  ${empty}`}</Line>}
      </Box>
    );
  }
  return (
    <Box height={height} flexShrink={0} flexDirection="column" overflow="hidden">
      {rows.slice(start, start + height).map((row, i) => (
        <DoctorLine key={row.key} row={row} selected={start + i === selected} theme={theme} />
      ))}
    </Box>
  );
}

function DoctorLine({ row, selected, theme }: { row: DoctorRow; selected: boolean; theme: Theme }) {
  const { colours, symbols } = theme;
  const mark = selected ? (theme.unicode ? '› ' : '> ') : '  ';
  switch (row.kind) {
    case 'severity':
      return (
        <Line bold color={severityColour(theme, row.severity)}>
          {`${severitySymbol(theme, row.severity)} ${row.severity.toUpperCase()} (${row.count})`}
        </Line>
      );
    case 'resource':
      return <Line bold>{`  ${row.resourceName}`}</Line>;
    case 'finding': {
      const { finding } = row;
      return (
        <Line inverse={selected}>
          {`${mark}  `}
          <Text color={severityColour(theme, finding.severity)}>
            {severitySymbol(theme, finding.severity)}
          </Text>
          {` ${finding.rule}  ${finding.symptom}`}
        </Line>
      );
    }
    case 'notCheckedHeading':
      return (
        <Line bold color={colours.warning}>
          {`${symbols.skipped} NOT CHECKED (${row.count})`}
        </Line>
      );
    case 'notChecked':
      return (
        <Line inverse={selected}>
          {`${mark}  ${row.entry.rules.join(', ')}  `}
          <Text bold>{nameOf(row.entry.resource)}</Text>
          <Text color={colours.muted}>{`  ${row.entry.reason}`}</Text>
        </Line>
      );
  }
}
