import { describe, expect, it } from 'vitest';
import { isUnicodeLocale, makeTheme } from '../../source/ui/theme.js';

describe('theme', () => {
  it('uses colour unless NO_COLOR is set (and not empty) or the theme is plain', () => {
    expect(makeTheme('auto', { LANG: 'C.UTF-8' }, 'linux').colour).toBe(true);
    expect(makeTheme('auto', { NO_COLOR: '1' }, 'linux').colour).toBe(false);
    expect(makeTheme('auto', { NO_COLOR: '' }, 'linux').colour).toBe(true);
    expect(makeTheme('plain', {}, 'linux').colour).toBe(false);
    expect(makeTheme('dark', { NO_COLOR: '1' }, 'linux').colours.error).toBeUndefined();
  });

  it.each([
    [{ LANG: 'en_US.UTF-8' }, true],
    [{ LANG: 'en_US.utf8' }, true],
    [{ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, false],
    [{ LC_CTYPE: 'de_DE.UTF-8', LANG: 'C' }, true],
    [{ LANG: 'C' }, false],
    [{}, false],
  ])('locale %j is unicode: %s', (env, unicode) => {
    expect(isUnicodeLocale(env, 'linux')).toBe(unicode);
  });

  it('falls back to ASCII symbols outside a UTF-8 locale', () => {
    expect(makeTheme('auto', { LANG: 'en_US.UTF-8' }, 'linux').symbols).toMatchObject({
      ok: '✓',
      warning: '⚠',
      error: '✗',
    });
    const ascii = makeTheme('auto', { LANG: 'C' }, 'linux').symbols;
    for (const symbol of Object.values(ascii)) {
      expect(symbol).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
