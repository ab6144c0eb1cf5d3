import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

// What a terminal that reports nothing (a pipe, a test stream) is assumed to be: the smallest
// size the program promises to fit.
const fallback: TerminalSize = { columns: 80, rows: 24 };

export function readTerminalSize(
  stream: NodeJS.WritableStream & { columns?: number; rows?: number },
): TerminalSize {
  const columns =
    stream.columns !== undefined && stream.columns > 0 ? stream.columns : fallback.columns;
  const rows = stream.rows !== undefined && stream.rows > 0 ? stream.rows : fallback.rows;
  return { columns, rows };
}

/** The terminal's size, re-read on every 'resize' so the frame is laid out again to fit. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => readTerminalSize(stdout));
  useEffect(() => {
    const onResize = () => {
      setSize((current) => {
        const next = readTerminalSize(stdout);
        return next.columns === current.columns && next.rows === current.rows ? current : next;
      });
    };
    stdout.on('resize', onResize);
    // A resize between the first render and this subscription would otherwise be missed.
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
