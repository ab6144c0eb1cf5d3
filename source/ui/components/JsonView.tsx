/**
 * The `y` view: the resource as ARM or Batch served it, pretty-printed and coloured (keys,
 * strings, numbers, literals), wrapped to the terminal's width and scrollable.
 */
import { Text } from 'ink';
import { useMemo } from 'react';
import { jsonRows } from '../json/lines.js';
import type { TokenKind } from '../json/lines.js';
import type { Theme } from '../theme.js';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

export function colourOf(kind: TokenKind, theme: Theme): string | undefined {
  switch (kind) {
    case 'key':
      return theme.colours.accent;
    case 'string':
      return theme.colours.ok;
    case 'number':
      return theme.colours.warning;
    case 'literal':
      return theme.colours.badge;
    case 'punctuation':
      return undefined;
  }
}

/** The JSON of `value` as one element per screen row, for a ScrollPanel. */
export function useJsonRows(value: unknown, width: number) {
  const theme = useTheme();
  return useMemo(
    () =>
      jsonRows(value, width).map((tokens, i) => (
        <Line key={i}>
          {tokens.map((token, j) => (
            <Text key={j} color={colourOf(token.kind, theme)}>
              {token.text}
            </Text>
          ))}
        </Line>
      )),
    [value, width, theme],
  );
}
