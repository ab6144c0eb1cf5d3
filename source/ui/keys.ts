/**
 * The key registry: every command of the interactive program, its keys, what it does and where.
 * The `?` overlay, the README's key table and the key handling all read from here, so a key
 * cannot be documented in one place and bound differently in another.
 */
import type { Key } from 'ink';
import { PALETTE_COMMANDS } from './palette.js';

// The palette is part of the registry; it lives in palette.ts and is re-exported from here.
export {
  PALETTE_COMMANDS,
  completePalette,
  parsePalette,
  type Completion,
  type PaletteCommand,
  type PaletteResult,
} from './palette.js';

export const SCREENS = [
  'accounts',
  // Account detail: reached with Enter on an account, not from the palette.
  'account',
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
  | 'refresh'
  | 'sort'
  | 'reverse'
  | 'errors'
  | 'doctor'
  | 'copy'
  | 'fixFlow'
  | 'flowIdentity'
  | 'flowAccount'
  | 'confirm'
  | 'decline'
  | 'azCommands'
  | 'audit'
  | 'nodeLogs'
  | 'tokenCheck'
  | 'upload'
  | 'nextMatch'
  | 'previousMatch'
  | 'signatureDoctor'
  | 'runCheck'
  | 'openFlow';

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
  'account',
  'pools',
  'nodes',
  'identities',
  'doctor',
  'logs',
  'token',
  'flows',
];
const RESOURCES: readonly ScreenId[] = ['accounts', 'account', 'pools', 'nodes', 'identities'];
// Tables whose columns sort (the doctor orders findings by severity itself).
const SORTABLE: readonly ScreenId[] = ['accounts', 'account', 'pools', 'nodes', 'identities'];
const LIVE: readonly ScreenId[] = [
  'accounts',
  'account',
  'pools',
  'nodes',
  'identities',
  'doctor',
  'logs',
  'token',
  'flows',
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
  { id: 'sort', keys: ['s'], description: 'sort by the next column', screens: SORTABLE },
  { id: 'reverse', keys: ['S'], description: 'reverse the sort order', screens: SORTABLE },
  {
    id: 'errors',
    keys: ['e'],
    description: 'only nodes with errors or in trouble (toggle)',
    screens: ['nodes'],
  },
  {
    id: 'doctor',
    keys: ['d'],
    description: 'doctor for the selected account or pool',
    screens: ['accounts', 'pools'],
  },
  {
    id: 'copy',
    keys: ['c'],
    description: 'copy the fix command to the clipboard (OSC 52)',
    screens: ['doctor'],
  },
  {
    id: 'fixFlow',
    keys: ['f'],
    description: 'fix the selected finding with its guided flow',
    screens: ['doctor'],
  },
  {
    id: 'flowIdentity',
    keys: ['i'],
    description: 'attach a user-assigned identity to the pool (guided flow)',
    screens: ['pools'],
  },
  {
    id: 'flowAccount',
    keys: ['a'],
    description: 'autostorage with managed identity, or the account identity (guided flow)',
    screens: ['accounts', 'account'],
  },
  { id: 'confirm', keys: ['y'], description: 'yes: apply / include the step', screens: ['flows'] },
  {
    id: 'decline',
    keys: ['n'],
    description: 'no: do not apply / leave the step out',
    screens: ['flows'],
  },
  {
    id: 'azCommands',
    keys: ['c'],
    description: 'show the az commands of the plan (toggle)',
    screens: ['flows'],
  },
  {
    id: 'audit',
    keys: ['l'],
    description: 'audit log of the changes flows made',
    screens: ['flows'],
  },
  {
    id: 'nodeLogs',
    keys: ['l'],
    description: "upload the selected node's Batch service logs and read them",
    screens: ['nodes'],
  },
  {
    id: 'tokenCheck',
    keys: ['t'],
    description: 'token check: can the pool identity read storage?',
    screens: ['pools', 'nodes'],
  },
  {
    id: 'upload',
    keys: ['u'],
    description: 'upload the logs with the chosen window, destination and authorization',
    screens: ['logs'],
  },
  { id: 'nextMatch', keys: ['n'], description: 'next search match', screens: ['logs'] },
  { id: 'previousMatch', keys: ['N'], description: 'previous search match', screens: ['logs'] },
  {
    id: 'signatureDoctor',
    keys: ['d'],
    description: "doctor for the node's pool (the rule a highlighted line names)",
    screens: ['logs'],
  },
  { id: 'runCheck', keys: ['x'], description: 'run the token check', screens: ['token'] },
  {
    id: 'openFlow',
    keys: ['f'],
    description: 'open the guided flow that fixes the failed step',
    screens: ['token'],
  },
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
  // 'account' alone would read as a typo of 'accounts' in the README's table.
  return spec.screens === 'global'
    ? 'everywhere'
    : spec.screens.map((id) => (id === 'account' ? 'account detail' : id)).join(', ');
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
