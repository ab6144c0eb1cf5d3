/**
 * A one-row "working" line: a spinner and what is being done. It ticks on its own timer, so only
 * this row re-renders while a plan is read or a step is applied.
 */
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { useTheme } from '../theme.js';
import { Line } from './Line.js';

const UNICODE_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ASCII_FRAMES = ['|', '/', '-', '\\'];
const TICK_MS = 120;

export function Spinner({ label }: { label: string }) {
  const { unicode, colours } = useTheme();
  const frames = unicode ? UNICODE_FRAMES : ASCII_FRAMES;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setTick((t) => t + 1);
    }, TICK_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return (
    <Line>
      <Text color={colours.accent}>{`${frames[tick % frames.length] ?? ''} `}</Text>
      {label}
    </Line>
  );
}
