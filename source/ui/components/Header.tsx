import { Box, Text } from 'ink';
import type { SessionInfo } from '../../options.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface HeaderProps {
  session: SessionInfo;
  subscriptionId: string | undefined;
  readOnly: boolean;
  columns: number;
}

// Below this width the program's name gives way to what matters in an incident.
const BRAND_MIN_COLUMNS = 120;

/** Where the program is pointed and as whom: the first thing an operator checks in an incident. */
export function Header({ session, subscriptionId, readOnly, columns }: HeaderProps) {
  const { colours, symbols } = useTheme();
  return (
    <Box height={1} flexShrink={0}>
      <Box flexGrow={1} flexShrink={1}>
        {/* Most important first: truncation eats the end of the line. */}
        <Line>
          {columns >= BRAND_MIN_COLUMNS ? (
            <Text bold color={colours.accent}>
              {`batch-mi-tui${symbols.bar}`}
            </Text>
          ) : (
            ''
          )}
          {session.cloudLabel}
          <Text color={colours.muted}>{`${symbols.bar}sub `}</Text>
          {subscriptionId ?? 'none chosen (:sub ID)'}
          <Text color={colours.muted}>{symbols.bar}</Text>
          {session.credentialLabel}
        </Line>
      </Box>
      {/* Outside the truncated text so that a long credential label can never push it off screen. */}
      {readOnly ? (
        <Box flexShrink={0} marginLeft={1}>
          <Text bold inverse color={colours.badge}>
            {' READ-ONLY '}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
