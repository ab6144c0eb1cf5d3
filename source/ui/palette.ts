/**
 * The `:` command palette: its commands, Tab completion and what Enter does. Pure; the shell's
 * reducer applies the result. Part of the key registry (keys.ts re-exports it).
 */
import { isScreenId } from './keys.js';
import type { ScreenId } from './keys.js';

export interface PaletteCommand {
  name: string;
  /** Placeholder of the one argument the command takes, e.g. 'ID'. */
  argument?: string;
  description: string;
}

export const PALETTE_COMMANDS: readonly PaletteCommand[] = [
  { name: 'accounts', description: 'Batch accounts of the subscription' },
  { name: 'pools', description: 'pools of the current account' },
  { name: 'nodes', description: 'live nodes of the current pool' },
  { name: 'identities', description: 'user-assigned identities and where they are used' },
  { name: 'doctor', description: 'findings for the current scope, with the fix' },
  { name: 'logs', description: 'batch service logs of a node' },
  { name: 'token', description: 'check that an identity can read storage' },
  { name: 'flows', description: 'guided set-up (identity, autostorage)' },
  { name: 'sub', argument: 'ID', description: 'switch subscription' },
  { name: 'ro', description: 'toggle read-only mode' },
  { name: 'quit', description: 'quit' },
];

export interface Completion {
  /** The prompt text after completion (without the leading ':'). */
  text: string;
  /** Every command the text could still become. */
  candidates: string[];
}

/** Tab completion: a unique match completes fully, several complete to their common prefix. */
export function completePalette(
  text: string,
  commands: readonly PaletteCommand[] = PALETTE_COMMANDS,
): Completion {
  const typed = text.trimStart().toLowerCase();
  if (typed.includes(' ')) {
    return { text, candidates: [] };
  }
  const matches = commands.filter((command) => command.name.startsWith(typed));
  const [first] = matches;
  if (first === undefined) {
    return { text, candidates: [] };
  }
  if (matches.length === 1) {
    return { text: first.argument ? `${first.name} ` : first.name, candidates: [first.name] };
  }
  let prefix = first.name;
  for (const { name } of matches) {
    while (!name.startsWith(prefix)) {
      prefix = prefix.slice(0, -1);
    }
  }
  return {
    text: prefix.length > typed.length ? prefix : text,
    candidates: matches.map((m) => m.name),
  };
}

export type PaletteResult =
  | { kind: 'screen'; screen: ScreenId }
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'toggleReadOnly' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What Enter on the palette does. A unique prefix is enough (`:po` is `:pools`), as in k9s. */
export function parsePalette(text: string): PaletteResult {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  const name = word.toLowerCase();
  if (name === '') {
    return { kind: 'error', message: 'Type a command after ":" — Tab lists them.' };
  }
  const exact = PALETTE_COMMANDS.find((command) => command.name === name);
  const prefixed = PALETTE_COMMANDS.filter((command) => command.name.startsWith(name));
  const command = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (command === undefined) {
    return prefixed.length > 1
      ? {
          kind: 'error',
          message: `":${name}" could be ${prefixed.map((c) => `:${c.name}`).join(' or ')}.`,
        }
      : { kind: 'error', message: `Unknown command ":${name}" — press : then Tab to list them.` };
  }
  const argument = rest.join(' ');
  if (command.argument === undefined && argument !== '') {
    return { kind: 'error', message: `:${command.name} takes no argument.` };
  }
  switch (command.name) {
    case 'sub':
      if (!GUID.test(argument)) {
        return {
          kind: 'error',
          message:
            argument === ''
              ? 'Give the subscription id: :sub 00000000-0000-0000-0000-000000000000'
              : `"${argument}" is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000).`,
        };
      }
      return { kind: 'subscription', subscriptionId: argument.toLowerCase() };
    case 'ro':
      return { kind: 'toggleReadOnly' };
    case 'quit':
      return { kind: 'quit' };
    default:
      return isScreenId(command.name)
        ? { kind: 'screen', screen: command.name }
        : { kind: 'error', message: `:${command.name} is not available yet.` };
  }
}
