/**
 * The key registry: every command of the interactive program, its keys, what it does and where.
 * The `?` overlay, the README's key table and the key handling all read from here, so a key
 * cannot be documented in one place and bound differently in another.
 */
import type { Key } from 'ink';

export const SCREENS = [
  'accounts',
  'pools',
  'nodes',
  'identities',
  'doctor',
  'logs',
  'token',
  'flows',
] as const;
export type ScreenId = (typeof SCREENS)[number];

export function isScreenId(name: string): name is ScreenId {
  return (SCREENS as readonly string[]).includes(name);
}

export type CommandId =
  | 'quit'
  | 'help'
  | 'palette'
  | 'back'
  | 'filter'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'json'
  | 'refresh';

export interface CommandSpec {
  id: CommandId;
  /** Key ids as produced by `keyId` (a printable character, or a name such as 'up', 'ctrl+c'). */
  keys: readonly string[];
  description: string;
  screens: 'global' | readonly ScreenId[];
}

// Screens that show a table: they move a selection, open it and filter it.
const TABLES: readonly ScreenId[] = [
  'accounts',
  'pools',
  'nodes',
  'identities',
  'doctor',
  'logs',
  'flows',
];
const RESOURCES: readonly ScreenId[] = ['accounts', 'pools', 'nodes', 'identities'];
const LIVE: readonly ScreenId[] = [
  'accounts',
  'pools',
  'nodes',
  'identities',
  'doctor',
  'logs',
  'token',
];

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'up', keys: ['up', 'k'], description: 'move up', screens: TABLES },
  { id: 'down', keys: ['down', 'j'], description: 'move down', screens: TABLES },
  { id: 'pageUp', keys: ['pageup'], description: 'page up', screens: TABLES },
  { id: 'pageDown', keys: ['pagedown'], description: 'page down', screens: TABLES },
  { id: 'top', keys: ['g', 'home'], description: 'first row', screens: TABLES },
  { id: 'bottom', keys: ['G', 'end'], description: 'last row', screens: TABLES },
  { id: 'open', keys: ['enter'], description: 'open the selected item', screens: TABLES },
  {
    id: 'filter',
    keys: ['/'],
    description: 'filter the table (substring; ! inverts)',
    screens: TABLES,
  },
  {
    id: 'json',
    keys: ['y'],
    description: 'JSON view of the selected resource',
    screens: RESOURCES,
  },
  { id: 'refresh', keys: ['r'], description: 'refresh now', screens: LIVE },
  // Bare Esc never quits: over SSH an arrow key can arrive split, starting with a lone Esc.
  {
    id: 'back',
    keys: ['escape'],
    description: 'back (or close the prompt / help)',
    screens: 'global',
  },
  { id: 'palette', keys: [':'], description: 'command palette (Tab completes)', screens: 'global' },
  { id: 'help', keys: ['?'], description: 'keys of this screen', screens: 'global' },
  { id: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', screens: 'global' },
];

/** The parts of Ink's Key that matter here; tests may pass only the flags they set. */
export type KeyEvent = Partial<Key>;

const namedKeys: ReadonlyArray<[keyof Key, string]> = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'escape'],
  ['tab', 'tab'],
  ['backspace', 'backspace'],
  ['delete', 'delete'],
];

/** Normalise one Ink `useInput` event to a key id, or undefined if it is not a single key. */
export function keyId(input: string, key: KeyEvent): string | undefined {
  for (const [flag, name] of namedKeys) {
    if (key[flag] === true) {
      return name;
    }
  }
  if (input.length !== 1) {
    return undefined;
  }
  if (key.ctrl === true) {
    return `ctrl+${input.toLowerCase()}`;
  }
  // Alt+q must not quit; keep it distinct from q.
  if (key.meta === true) {
    return `meta+${input}`;
  }
  return input;
}

export function appliesTo(spec: CommandSpec, screen: ScreenId): boolean {
  return spec.screens === 'global' || spec.screens.includes(screen);
}

export function commandsFor(screen: ScreenId): CommandSpec[] {
  return COMMANDS.filter((spec) => appliesTo(spec, screen));
}

/** The command an input event means on a screen, or undefined when it means nothing there. */
export function resolveCommand(
  screen: ScreenId,
  input: string,
  key: KeyEvent,
): CommandId | undefined {
  const id = keyId(input, key);
  if (id === undefined) {
    return undefined;
  }
  return commandsFor(screen).find((spec) => spec.keys.includes(id))?.id;
}

const keyLabels: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  'ctrl+c': 'Ctrl+C',
};

export function keyLabel(id: string, ascii = false): string {
  if (ascii && (id === 'up' || id === 'down')) {
    return id === 'up' ? 'Up' : 'Down';
  }
  return keyLabels[id] ?? id;
}

export function keysLabel(spec: CommandSpec, ascii = false): string {
  return spec.keys.map((id) => keyLabel(id, ascii)).join(' / ');
}

function screensLabel(spec: CommandSpec): string {
  return spec.screens === 'global' ? 'everywhere' : spec.screens.join(', ');
}

/** The key table as Markdown, for the README (a test keeps the README in step with this). */
export function keyTableMarkdown(): string {
  const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
  const rows = COMMANDS.map(
    (spec) =>
      `| ${spec.keys.map((id) => code(keyLabel(id))).join(' ')} | ${spec.description.replaceAll('|', '\\|')} | ${screensLabel(spec)} |`,
  );
  const palette = PALETTE_COMMANDS.map(
    (command) =>
      `| ${code(`:${command.name}${command.argument ? ` ${command.argument}` : ''}`)} | ${command.description} | palette |`,
  );
  return ['| key | action | where |', '|---|---|---|', ...rows, ...palette].join('\n') + '\n';
}

// ---- the `:` palette ------------------------------------------------------------------------

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
