/**
 * A screen's own keys (movement, open, JSON, refresh, sort), resolved through the key registry.
 * The shell's reducer handles prompts, help and Esc; this hook hands those over to it.
 *
 * Ink delivers every key to every active useInput. Keys that arrive in one read (a fast typist,
 * a paste, a slow SSH link) reach the screen before React has re-rendered it inactive, so after
 * a key that opens a prompt, or one that leaves the screen, the screen ignores the rest until
 * the next commit: `/e` must type "e" into the filter, not also toggle errored nodes.
 */
import { useInput } from 'ink';
import { useEffect, useRef } from 'react';
import { resolveCommand } from '../keys.js';
import type { CommandId, ScreenId } from '../keys.js';
import { splitChunk } from '../state.js';

/** Commands the shell owns: the screen stops reading keys when it sees one. */
const SHELL_COMMANDS: ReadonlySet<CommandId> = new Set([
  'quit',
  'help',
  'palette',
  'filter',
  'back',
]);

/**
 * `onCommand` returns 'leave' when the command takes the operator elsewhere (Enter on a row,
 * a panel opening): later keys of the same read belong to what comes next, not to this screen.
 */
export function useCommands(
  screen: ScreenId,
  active: boolean,
  onCommand: (command: CommandId) => 'leave' | void,
): void {
  const held = useRef(false);
  // Re-armed after every commit: by then `active` says what the shell decided.
  useEffect(() => {
    held.current = false;
  });
  useInput(
    (input, key) => {
      if (held.current) return;
      for (const event of splitChunk(input, key)) {
        const command = resolveCommand(screen, event.input, event.key);
        if (command === undefined) continue;
        if (SHELL_COMMANDS.has(command) || onCommand(command) === 'leave') {
          held.current = true;
          return;
        }
      }
    },
    { isActive: active },
  );
}
