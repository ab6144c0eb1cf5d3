import { createContext, useContext } from 'react';
import type { Severity } from '../domain/doctor/types.js';

/** What the settings file may ask for; 'auto' picks dark unless NO_COLOR says otherwise. */
export type ThemeName = 'auto' | 'dark' | 'light' | 'plain';

/** Ink colour names, or undefined when colour is off (Ink then writes no SGR colour codes). */
type Colour = string | undefined;

export interface Theme {
  /** False under NO_COLOR or the 'plain' theme: screens must then rely on text and symbols only. */
  colour: boolean;
  /** False outside a UTF-8 locale: symbols and key labels then use ASCII. */
  unicode: boolean;
  colours: {
    accent: Colour;
    muted: Colour;
    ok: Colour;
    warning: Colour;
    error: Colour;
    badge: Colour;
  };
  /** Health and check symbols: ✓ ⚠ ✗ – on a UTF-8 terminal, an ASCII stand-in otherwise. */
  symbols: {
    ok: string;
    warning: string;
    error: string;
    /** An info finding of the doctor: worth knowing, nothing to fix. */
    info: string;
    skipped: string;
    separator: string;
    bar: string;
    dash: string;
    dot: string;
    ellipsis: string;
    cursor: string;
  };
}

const unicodeSymbols: Theme['symbols'] = {
  ok: '✓',
  warning: '⚠',
  error: '✗',
  info: '·',
  skipped: '–',
  separator: ' › ',
  bar: ' │ ',
  dash: '—',
  dot: '·',
  ellipsis: '…',
  cursor: '▌',
};

// A jump box with LANG=C renders multi-byte symbols as mojibake that also breaks column widths.
const asciiSymbols: Theme['symbols'] = {
  ok: '+',
  warning: '!',
  error: 'x',
  info: 'i',
  skipped: '-',
  separator: ' > ',
  bar: ' | ',
  dash: '-',
  dot: '-',
  ellipsis: '...',
  cursor: '_',
};

const palettes: Record<'dark' | 'light', Theme['colours']> = {
  dark: {
    accent: 'cyan',
    muted: 'gray',
    ok: 'green',
    warning: 'yellow',
    error: 'red',
    badge: 'yellow',
  },
  light: {
    accent: 'blue',
    muted: 'gray',
    ok: 'green',
    warning: 'magenta',
    error: 'red',
    badge: 'magenta',
  },
};

const noColours: Theme['colours'] = {
  accent: undefined,
  muted: undefined,
  ok: undefined,
  warning: undefined,
  error: undefined,
  badge: undefined,
};

/** no-color.org: colour is off when NO_COLOR is present and not empty. */
export function isColourDisabled(env: NodeJS.ProcessEnv): boolean {
  const value = env['NO_COLOR'];
  return value !== undefined && value !== '';
}

/** The first of LC_ALL, LC_CTYPE, LANG that is set decides, as the C library does. */
export function isUnicodeLocale(env: NodeJS.ProcessEnv, platform = process.platform): boolean {
  // Windows Terminal and modern conhost render UTF-8 without a locale variable.
  if (platform === 'win32') {
    return true;
  }
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}

export function makeTheme(
  name: ThemeName = 'auto',
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Theme {
  const colour = name !== 'plain' && !isColourDisabled(env);
  const unicode = isUnicodeLocale(env, platform);
  return {
    colour,
    unicode,
    colours: colour ? palettes[name === 'light' ? 'light' : 'dark'] : noColours,
    symbols: unicode ? unicodeSymbols : asciiSymbols,
  };
}

/** The doctor's severities as the screens show them: critical and error ✗, warning ⚠, info ·. */
export function severitySymbol(theme: Pick<Theme, 'symbols'>, severity: Severity): string {
  switch (severity) {
    case 'critical':
    case 'error':
      return theme.symbols.error;
    case 'warning':
      return theme.symbols.warning;
    case 'info':
      return theme.symbols.info;
  }
}

export function severityColour(theme: Pick<Theme, 'colours'>, severity: Severity): Colour {
  switch (severity) {
    case 'critical':
    case 'error':
      return theme.colours.error;
    case 'warning':
      return theme.colours.warning;
    case 'info':
      return theme.colours.accent;
  }
}

export const ThemeContext = createContext<Theme>(makeTheme('auto'));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
