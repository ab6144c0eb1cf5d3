import { Box, Text } from 'ink';
import type { SessionInfo } from '../../options.js';
import { useTheme } from '../theme.js';
import { fitHeader, headerLine, splitCredential } from './header-text.js';
import type { HeaderParts } from './header-text.js';
import { Line } from './Line.js';

export interface HeaderProps {
  session: SessionInfo;
  subscriptionId: string | undefined;
  readOnly: boolean;
  columns: number;
}

// Below this width the program's name gives way to what matters in an incident.
const BRAND_MIN_COLUMNS = 120;
const BADGE = ' READ-ONLY ';

/**
 * Where the program is pointed and as whom: the first thing an operator checks in an incident.
 * Shortened to fit (header-text.ts) so that "as <who>" survives at 80 columns.
 */
export function Header({ session, subscriptionId, readOnly, columns }: HeaderProps) {
  const { colours, symbols } = useTheme();
  const room = columns - (readOnly ? BADGE.length + 1 : 0);
  const full = {
    cloudLabel: session.cloudLabel,
    subscription: subscriptionId ?? 'none chosen (:sub ID)',
    credentialLabel: session.credentialLabel,
  };
  const brand = `batch-mi-tui${symbols.bar}`;
  const whole: HeaderParts = {
    cloud: full.cloudLabel,
    subscription: full.subscription,
    ...splitCredential(full.credentialLabel),
  };
  const branded =
    columns >= BRAND_MIN_COLUMNS && [...headerLine(whole, symbols.bar, brand)].length <= room;
  const parts = branded ? whole : fitHeader(full, room, symbols);
  return (
    <Box height={1} flexShrink={0}>
      <Box flexGrow={1} flexShrink={1}>
        {/* Most important first: truncation eats the end of the line. */}
        <Line>
          {branded ? (
            <Text bold color={colours.accent}>
              {brand}
            </Text>
          ) : (
            ''
          )}
          {parts.cloud}
          <Text color={colours.muted}>{`${symbols.bar}sub `}</Text>
          {parts.subscription}
          <Text color={colours.muted}>{symbols.bar}</Text>
          {parts.credential}
          {parts.who === '' ? (
            ''
          ) : (
            <>
              <Text color={colours.muted}>{`${parts.credential === '' ? '' : ' '}as `}</Text>
              <Text bold>{parts.who}</Text>
            </>
          )}
        </Line>
      </Box>
      {/* Outside the truncated text so that a long credential label can never push it off screen. */}
      {readOnly ? (
        <Box flexShrink={0} marginLeft={1}>
          <Text bold inverse color={colours.badge}>
            {BADGE}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
