import { Box, Text } from 'ink';
import { describeFilter } from '../filter.js';
import type { Route } from '../router.js';
import { SCREEN_INFO } from '../screens/info.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface BreadcrumbProps {
  stack: readonly Route[];
  /** The filter shown for the current screen: the committed one, or the one being typed. */
  filter: string;
  help: boolean;
}

export function Breadcrumb({ stack, filter, help }: BreadcrumbProps) {
  const { colours, symbols } = useTheme();
  const last = stack.length - 1;
  const shown = describeFilter(filter);
  return (
    <Box height={1} flexShrink={0}>
      <Line>
        {stack.map((route, index) => (
          <Text
            key={index}
            bold={index === last}
            color={index === last ? colours.accent : colours.muted}
          >
            {index > 0 ? symbols.separator : ''}
            {SCREEN_INFO[route.screen].title}
          </Text>
        ))}
        {shown === '' ? '' : <Text color={colours.warning}>{`  ${shown}`}</Text>}
        {help ? <Text color={colours.muted}>{`${symbols.separator}keys`}</Text> : ''}
      </Line>
    </Box>
  );
}
