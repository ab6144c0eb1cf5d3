import { Text } from 'ink';
import type { TextProps } from 'ink';

/**
 * One terminal row. Always truncated, never wrapped: a wrapped row makes the frame taller than the
 * terminal, and Ink then clears the whole screen on every render (visible flicker over SSH).
 */
export function Line(props: Omit<TextProps, 'wrap'>) {
  return <Text {...props} wrap="truncate-end" />;
}
