import { Box, Text } from 'ink';
import { describeFilter } from '../filter.js';
import { routeLabel } from '../router.js';
import type { Route } from '../router.js';
import type { Panel } from '../targets.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export interface BreadcrumbProps {
  stack: readonly Route[];
  /** The filter shown for the current screen: the committed one, or the one being typed. */
  filter: string;
  help: boolean;
  panel?: Panel | undefined;
  columns?: number;
}

function panelLabel(panel: Panel): string {
  return panel.kind === 'json' ? 'JSON' : panel.label;
}

/**
 * Where the operator is: the trail of screens, the panel over the last one, the filter. When the
 * trail is wider than the terminal its oldest crumbs give way, since the end says where you are.
 */
export function Breadcrumb({ stack, filter, help, panel, columns = Infinity }: BreadcrumbProps) {
  const { colours, symbols } = useTheme();
  const shown = describeFilter(filter);
  const crumbs = stack.map(routeLabel);
  const tail = [panel ? panelLabel(panel) : '', help ? 'keys' : ''].filter(Boolean);
  const tailWidth = tail.reduce((n, t) => n + symbols.separator.length + t.length, 0);
  const room = columns - tailWidth - (shown === '' ? 0 : shown.length + 2);
  let first = 0;
  const width = (from: number) =>
    crumbs
      .slice(from)
      .reduce((n, c, i) => n + c.length + (i > 0 || from > 0 ? symbols.separator.length : 0), 0) +
    (from > 0 ? symbols.ellipsis.length : 0);
  while (first < crumbs.length - 1 && width(first) > room) first++;
  const last = crumbs.length - 1;
  return (
    <Box height={1} flexShrink={0}>
      <Line>
        {first > 0 ? <Text color={colours.muted}>{symbols.ellipsis}</Text> : ''}
        {crumbs.slice(first).map((label, offset) => {
          const index = first + offset;
          return (
            <Text
              key={index}
              bold={index === last && panel === undefined}
              color={index === last && panel === undefined ? colours.accent : colours.muted}
            >
              {index > 0 ? symbols.separator : ''}
              {label}
            </Text>
          );
        })}
        {panel ? (
          <Text bold color={colours.accent}>{`${symbols.separator}${panelLabel(panel)}`}</Text>
        ) : (
          ''
        )}
        {shown === '' ? '' : <Text color={colours.warning}>{`  ${shown}`}</Text>}
        {help ? <Text color={colours.muted}>{`${symbols.separator}keys`}</Text> : ''}
      </Line>
    </Box>
  );
}
