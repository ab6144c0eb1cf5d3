import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_DIR_ENV,
  DEFAULT_SETTINGS,
  openSettings,
  settingsProblem,
} from '../source/settings.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-settings-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = () => path.join(dir, 'config.json');

describe('settings', () => {
  it('starts from the defaults and persists what is set', () => {
    const { store, warning } = openSettings({ cwd: dir });
    expect(warning).toBeUndefined();
    expect(store.path).toBe(file());
    expect(store.all()).toEqual(DEFAULT_SETTINGS);
    expect(store.set('lastSubscription', '11111111-2222-3333-4444-555555555555')).toBeUndefined();
    store.set('favourites', [
      '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/a',
    ]);
    store.set('refreshSeconds', 30);

    const again = openSettings({ cwd: dir }).store;
    expect(again.get('lastSubscription')).toBe('11111111-2222-3333-4444-555555555555');
    expect(again.get('favourites')).toHaveLength(1);
    expect(again.get('refreshSeconds')).toBe(30);
    expect(again.get('theme')).toBe('auto');
  });

  it('honours BATCH_MI_TUI_CONFIG_DIR', () => {
    const { store } = openSettings({ env: { [CONFIG_DIR_ENV]: dir } });
    expect(store.path).toBe(file());
  });

  it('keeps no secret-looking keys in its schema', () => {
    const keys = Object.keys(openSettings({ cwd: dir }).store.all());
    for (const key of keys) {
      expect(key).not.toMatch(/token|secret|password|key$/i);
    }
  });

  it.each([
    ['invalid JSON', '{"refreshSeconds": 5,', /is not valid JSON/],
    [
      'a schema failure',
      JSON.stringify({ refreshSeconds: 0, theme: 'neon' }),
      /does not match the settings schema/,
    ],
    [
      'a wrong type',
      JSON.stringify({ favourites: 'not-a-list' }),
      /does not match the settings schema/,
    ],
  ])('replaces a file with %s by defaults and says so in one line', (_kind, content, message) => {
    fs.writeFileSync(file(), content);
    const { store, warning } = openSettings({ cwd: dir });
    expect(warning).toMatch(message);
    expect(warning).not.toContain('\n');
    expect(warning).toContain(file());
    expect(store.all()).toEqual(DEFAULT_SETTINGS);
    // The operator's file is kept beside, and the new one is valid.
    expect(fs.readFileSync(`${file()}.bad`, 'utf8')).toBe(content);
    expect(openSettings({ cwd: dir }).warning).toBeUndefined();
    expect(store.set('refreshSeconds', 10)).toBeUndefined();
    expect(openSettings({ cwd: dir }).store.get('refreshSeconds')).toBe(10);
  });

  it('falls back to memory when the file cannot be read at all', () => {
    fs.mkdirSync(file());
    const { store, warning } = openSettings({ cwd: dir });
    expect(warning).toMatch(/could not be read .*using defaults for this session/);
    expect(store.path).toBeUndefined();
    expect(store.get('refreshSeconds')).toBe(5);
  });

  it('does not crash when the file is damaged while the program runs', () => {
    const { store } = openSettings({ cwd: dir });
    fs.writeFileSync(file(), '{oops');
    expect(store.get('theme')).toBe('auto');
    expect(() => store.set('theme', 'plain')).not.toThrow();
    expect(store.get('theme')).toBe('plain');
  });
});

describe('settingsProblem', () => {
  it.each([
    [{}, undefined],
    [
      {
        lastSubscription: 's',
        lastAccount: 'a',
        favourites: ['x'],
        refreshSeconds: 3600,
        readOnlyDefault: true,
        theme: 'plain',
      },
      undefined,
    ],
    [[], 'it is not an object'],
    [null, 'it is not an object'],
    [{ lastSubscription: '' }, 'lastSubscription must be a non-empty string'],
    [{ lastAccount: 3 }, 'lastAccount must be a non-empty string'],
    [{ favourites: [1] }, 'favourites must be a list of resource ids'],
    [{ refreshSeconds: 0 }, 'refreshSeconds must be a whole number from 1 to 3600'],
    [{ refreshSeconds: 1.5 }, 'refreshSeconds must be a whole number from 1 to 3600'],
    [{ refreshSeconds: 3601 }, 'refreshSeconds must be a whole number from 1 to 3600'],
    [{ readOnlyDefault: 'yes' }, 'readOnlyDefault must be true or false'],
    [{ theme: 'neon' }, 'theme must be one of auto, dark, light, plain'],
  ])('%j → %s', (raw, problem) => {
    expect(settingsProblem(raw)).toBe(problem);
  });
});
