/**
 * Puts text on the clipboard with OSC 52, written straight to the terminal's stream. Not through
 * Ink's `write` (which erases and redraws the frame around what it writes): the sequence takes no
 * cell and moves no cursor, so Ink's idea of what is on screen stays true.
 */
import { useStdout } from 'ink';
import { useCallback } from 'react';
import { osc52 } from '../clipboard.js';

export function useClipboard(): (text: string) => void {
  const { stdout } = useStdout();
  return useCallback(
    (text: string) => {
      stdout.write(osc52(text));
    },
    [stdout],
  );
}
