/**
 * The program's persisted settings (SPEC §3): where the operator was, favourites, refresh interval,
 * read-only default, theme. Never a secret or a token: nothing here is sensitive, so the file is
 * plain JSON that the operator may read and edit.
 */
import fs from 'node:fs';
import Conf from 'conf';

export const THEME_NAMES = ['auto', 'dark', 'light', 'plain'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

export interface Settings {
  lastSubscription?: string;
  lastAccount?: string;
  /** Resource ids the operator pinned. */
  favourites: string[];
  refreshSeconds: number;
  readOnlyDefault: boolean;
  theme: ThemeName;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  favourites: [],
  refreshSeconds: 5,
  readOnlyDefault: false,
  theme: 'auto',
};

/**
 * The settings' schema, checked by hand: conf's `schema` option compiles a JSON schema with ajv
 * on every start (about 60 ms on the path to the first frame) for six plain values.
 * Returns the first problem found, in the words the warning line uses.
 */
export function settingsProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'it is not an object';
  const value = raw as Record<string, unknown>;
  const optionalText = (key: 'lastSubscription' | 'lastAccount') =>
    value[key] === undefined || (typeof value[key] === 'string' && value[key] !== '')
      ? undefined
      : `${key} must be a non-empty string`;
  const checks: Array<string | undefined> = [
    optionalText('lastSubscription'),
    optionalText('lastAccount'),
    value.favourites === undefined ||
    (Array.isArray(value.favourites) && value.favourites.every((f) => typeof f === 'string'))
      ? undefined
      : 'favourites must be a list of resource ids',
    value.refreshSeconds === undefined ||
    (Number.isInteger(value.refreshSeconds) &&
      (value.refreshSeconds as number) >= 1 &&
      (value.refreshSeconds as number) <= 3600)
      ? undefined
      : 'refreshSeconds must be a whole number from 1 to 3600',
    value.readOnlyDefault === undefined || typeof value.readOnlyDefault === 'boolean'
      ? undefined
      : 'readOnlyDefault must be true or false',
    value.theme === undefined || (THEME_NAMES as readonly unknown[]).includes(value.theme)
      ? undefined
      : `theme must be one of ${THEME_NAMES.join(', ')}`,
  ];
  return checks.find((problem) => problem !== undefined);
}

/** conf's constructor error for a file that fails the schema; thrown by createConf below. */
class SchemaViolation extends Error {}

/** The environment variable that moves the settings directory (tests, portable installs). */
export const CONFIG_DIR_ENV = 'BATCH_MI_TUI_CONFIG_DIR';

export interface SettingsStore {
  /** The settings file, or undefined when the settings live in memory only for this session. */
  readonly path: string | undefined;
  get<K extends keyof Settings>(key: K): Settings[K];
  /** Saves the value. Returns a one-line warning when it could not be written (it still applies in memory). */
  set<K extends keyof Settings>(key: K, value: Settings[K]): string | undefined;
  all(): Settings;
}

export interface OpenedSettings {
  store: SettingsStore;
  /** One line for the status bar when the file was unusable and defaults were used instead. */
  warning?: string;
}

export interface OpenSettingsOptions {
  /** Directory of the settings file; defaults to $BATCH_MI_TUI_CONFIG_DIR, then the OS config dir. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function createConf(cwd: string | undefined): Conf<Settings> {
  const conf = new Conf<Settings>({
    projectName: 'batch-mi-tui',
    projectSuffix: '',
    ...(cwd === undefined ? {} : { cwd }),
    // Dots are legal in account names; keys are plain names here.
    accessPropertiesByDotNotation: false,
    // conf would silently wipe a bad file; the operator should hear about it, so handle it here.
    clearInvalidConfig: false,
  });
  const problem = settingsProblem(conf.store);
  if (problem !== undefined) throw new SchemaViolation(problem);
  return conf;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies conf's constructor failures: the two kinds of corruption, or anything else. */
function corruption(error: unknown): string | undefined {
  if (error instanceof SyntaxError) {
    return 'is not valid JSON';
  }
  if (error instanceof SchemaViolation) {
    return `does not match the settings schema (${error.message})`;
  }
  return undefined;
}

/** Where conf keeps the file, found without parsing it (the content is what just failed). */
function settingsPath(cwd: string | undefined): string {
  return new Conf({
    projectName: 'batch-mi-tui',
    projectSuffix: '',
    ...(cwd === undefined ? {} : { cwd }),
    deserialize: () => ({}),
  }).path;
}

/** Opens the settings; never throws. A corrupt file is set aside and replaced by defaults. */
export function openSettings(options: OpenSettingsOptions = {}): OpenedSettings {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? (env[CONFIG_DIR_ENV] || undefined);
  try {
    return { store: confStore(createConf(cwd)) };
  } catch (error) {
    const what = corruption(error);
    if (what === undefined) {
      return {
        store: memoryStore(),
        warning: `Settings could not be read (${reason(error)}); using defaults for this session.`,
      };
    }
    try {
      const file = settingsPath(cwd);
      const aside = `${file}.bad`;
      fs.renameSync(file, aside);
      return {
        store: confStore(createConf(cwd)),
        warning: `Settings file ${file} ${what}; using defaults (the old file is kept as ${aside}).`,
      };
    } catch (retryError) {
      return {
        store: memoryStore(),
        warning: `The settings file ${what} and could not be replaced (${reason(retryError)}); using defaults for this session.`,
      };
    }
  }
}

function confStore(conf: Conf<Settings>): SettingsStore {
  // One read at start: conf re-reads and re-validates the file on every get, which would turn a
  // file damaged while the program runs into a crash in the middle of a screen.
  const snapshot = memoryStore({ ...DEFAULT_SETTINGS, ...conf.store });
  return {
    path: conf.path,
    get: (key) => snapshot.get(key),
    set: (key, value) => {
      snapshot.set(key, value);
      try {
        conf.set(key, value);
        return undefined;
      } catch (error) {
        return `Could not save the setting ${key} to ${conf.path} (${reason(error)}); it applies to this session only.`;
      }
    },
    all: () => snapshot.all(),
  };
}

function memoryStore(initial: Settings = { ...DEFAULT_SETTINGS }): SettingsStore {
  const values: Settings = { ...initial, favourites: [...initial.favourites] };
  return {
    path: undefined,
    get: (key) => values[key],
    set: (key, value) => {
      values[key] = value;
      return undefined;
    },
    all: () => ({ ...values, favourites: [...values.favourites] }),
  };
}
