import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayClients } from '../../source/azure/index.js';
import { makeTheme } from '../../source/ui/theme.js';
import { expectFits, keys, renderApp } from './render-app.js';

afterEach(() => {
  cleanup();
});

const small = { columns: 80, rows: 24 };
const large = { columns: 200, rows: 60 };

describe('the shell', () => {
  it('shows header, breadcrumb, what the session is doing and the key reminder at 80x24', async () => {
    const app = await renderApp(small, { connectingText: 'Starting the sandbox and signing in…' });
    const lines = app.frame().split('\n');
    // At 80 columns the sandbox's address shortens to its port and the credential kind gives way
    // to who is signed in (components/header-text.ts).
    expect(lines[0]).toBe('sandbox (:1) │ sub none chosen (:sub ID) │ as operator@sandbox');
    expect(lines[1]).toBe('Accounts');
    expect(lines[2]).toBe('Starting the sandbox and signing in…');
    expect(lines.at(-1)).toContain('? keys');
    expectFits(app.frame(), small);
  });

  it('shows a READ-ONLY badge that a long header cannot push away', async () => {
    const app = await renderApp(small, {
      readOnly: true,
      session: { cloudLabel: 'Azure', credentialLabel: 'x'.repeat(300), subscriptionId: 'sub-1' },
    });
    const header = app.frame().split('\n')[0] ?? '';
    expect(header.trimEnd().endsWith('READ-ONLY')).toBe(true);
    expectFits(app.frame(), small);
  });

  it('lays out again on resize, never taller or wider than the terminal', async () => {
    const app = await renderApp(large);
    expectFits(app.frame(), large);
    expect(app.frame().split('\n')[0]).toMatch(
      /^batch-mi-tui │ sandbox .* │ ClientSecretCredential as operator@sandbox$/,
    );
    await app.resize(small);
    expectFits(app.frame(), small);
    app.press('?');
    await app.waitFrame((text) => {
      expect(text).toContain('Keys — Accounts');
    });
    expectFits(app.frame(), small);
    await app.resize(large);
    expectFits(app.frame(), large);
    await app.resize({ columns: 40, rows: 8 });
    expectFits(app.frame(), { columns: 40, rows: 8 });
    expect(app.frame()).toContain('more keys than rows');
  });

  it('quits on q and on Ctrl+C, not on Esc', async () => {
    const app = await renderApp(small);
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text).toContain('This is the first screen; q quits.');
    });
    expect(app.onQuit).not.toHaveBeenCalled();
    app.press('q');
    await app.waitFrame(() => {
      expect(app.onQuit).toHaveBeenCalledTimes(1);
    });
    const other = await renderApp(small);
    other.press(keys.ctrlC);
    await other.waitFrame(() => {
      expect(other.onQuit).toHaveBeenCalledTimes(1);
    });
  });
});

describe('help overlay', () => {
  it('lists the keys of the current screen from the registry and closes with ? or Esc', async () => {
    const app = await renderApp(small);
    app.press('?');
    await app.waitFrame((text) => {
      expect(text).toContain('Keys — Accounts');
    });
    expect(app.frame()).toContain('↑ / k');
    expect(app.frame()).toContain('JSON view of the selected resource');
    app.press('?');
    await app.waitFrame((text) => {
      expect(text).not.toContain('Keys — Accounts');
    });
    app.press(':token\r?');
    await app.waitFrame((text) => {
      expect(text).toContain('Keys — Token check');
    });
    expect(app.frame()).not.toContain('JSON view');
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text).not.toContain('Keys — Token check');
    });
    expect(app.frame().split('\n')[1]).toBe('Accounts › Token check');
  });
});

describe('command palette', () => {
  it('completes with Tab and runs with Enter', async () => {
    const app = await renderApp(small);
    app.press(':');
    await app.waitFrame((text) => {
      expect(text).toContain(':sub ID');
    });
    app.press('po');
    await app.waitFrame((text) => {
      expect(text.split('\n').at(-1)).toMatch(/^:pools▌/);
    });
    app.press(keys.tab);
    await app.waitFrame((text) => {
      expect(text.split('\n').at(-1)).toMatch(/^:pools▌/);
    });
    app.press(keys.enter);
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts › Pools');
    });
    expect(app.frame()).toContain('No account chosen yet.');
  });

  it('cancels with Esc and reports unknown commands in the status line', async () => {
    const app = await renderApp(small);
    app.press(':nodes');
    await app.waitFrame((text) => {
      expect(text).toContain(':nodes▌');
    });
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text).not.toContain(':nodes▌');
    });
    expect(app.frame().split('\n')[1]).toBe('Accounts');
    app.press(':bogus\r');
    await app.waitFrame((text) => {
      expect(text).toContain('Unknown command ":bogus"');
    });
  });

  it('switches subscription and toggles read-only', async () => {
    const app = await renderApp(small);
    app.press(':sub 11111111-2222-3333-4444-555555555555\r');
    await app.waitFrame((text) => {
      expect(text.split('\n')[0]).toContain('sub 11111111… │ ClientSecretCredential as operator');
    });
    expect(app.onSubscriptionChange).toHaveBeenCalledWith('11111111-2222-3333-4444-555555555555');
    app.press(':ro\r');
    await app.waitFrame((text) => {
      expect(text.split('\n')[0]).toContain('READ-ONLY');
    });
    expect(app.frame()).toContain('Read-only on');
    app.press(':ro\r');
    await app.waitFrame((text) => {
      expect(text.split('\n')[0]).not.toContain('READ-ONLY');
    });
  });
});

describe('filter prompt', () => {
  it('applies on Enter, shows in the breadcrumb, and Esc clears it before going back', async () => {
    const app = await renderApp(small);
    app.press(':pools\r/');
    await app.waitFrame((text) => {
      expect(text.split('\n').at(-1)).toMatch(/^\/▌/);
    });
    app.press('!idle');
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts › Pools  /!idle');
    });
    app.press(keys.enter);
    await app.waitFrame((text) => {
      expect(text.split('\n').at(-1)).toContain('? keys');
    });
    expect(app.frame().split('\n')[1]).toBe('Accounts › Pools  /!idle');
    expect(app.frame().split('\n').at(-1)).toContain('? keys');
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts › Pools');
    });
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts');
    });
  });

  it('Esc while typing cancels and keeps the filter that was applied', async () => {
    const app = await renderApp(small);
    app.press('/prod\r');
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts  /prod');
    });
    app.press('/');
    await app.waitFrame((text) => {
      expect(text.split('\n').at(-1)).toMatch(/^\/prod▌/);
    });
    app.press(`${keys.backspace}${keys.backspace}${keys.backspace}${keys.backspace}test`);
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts  /test');
    });
    app.press(keys.escape);
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts  /prod');
    });
  });
});

describe('back stack through keys', () => {
  it('walks back one screen per Esc along the breadcrumb', async () => {
    const app = await renderApp(small);
    // One chunk of several keys, as a fast typist or a paste delivers them.
    app.press(':pools\r:nodes\r:doctor\r');
    await app.waitFrame((text) => {
      expect(text.split('\n')[1]).toBe('Accounts › Pools › Nodes › Doctor');
    });
    for (const expected of ['Accounts › Pools › Nodes', 'Accounts › Pools', 'Accounts']) {
      app.press(keys.escape);
      await app.waitFrame((text) => {
        expect(text.split('\n')[1]).toBe(expected);
      });
    }
  });
});

describe('help overlay at 80 columns', () => {
  it('lists every palette command, wrapped rather than cut', async () => {
    const app = await renderApp(small);
    app.press('?');
    await app.waitFrame((text) => {
      expect(text).toContain('Keys — Accounts');
    });
    for (const name of [':accounts', ':identities', ':flows', ':sub ID', ':ro', ':quit']) {
      expect(app.frame()).toContain(name);
    }
    expectFits(app.frame(), small);
  });

  it('uses ASCII labels outside a UTF-8 locale', async () => {
    const app = await renderApp(small, { theme: makeTheme('plain', { LANG: 'C' }, 'linux') });
    app.press(':pools\r?');
    await app.waitFrame((text) => {
      expect(text).toContain('Keys - Pools');
    });
    expect(app.frame()).toContain('Up / k');
    expect(app.frame().split('\n')[1]).toBe('Accounts > Pools > keys');
    // Only Ink's own truncation mark is outside ASCII.
    expect(app.frame()).not.toMatch(/[^\x20-\x7e\n…]/);
  });
});

describe('the session', () => {
  const neverCalled = new Proxy(
    {},
    {
      get() {
        throw new Error('no Azure call may be made without a subscription');
      },
    },
  ) as GatewayClients;

  it('shows why the session did not open, and what to do', async () => {
    const app = await renderApp(small, {
      connection: {
        status: {
          tone: 'error',
          text: 'Could not sign in with DefaultAzureCredential (run az login)',
        },
      },
    });
    await app.waitFrame((text) => {
      expect(text).toContain('✗ Not connected: Could not sign in with DefaultAzureCredential');
    });
    expect(app.frame()).toContain('Fix what is named above and start again; q quits.');
    expectFits(app.frame(), small);
  });

  it('asks for a subscription when none is known, without calling Azure', async () => {
    const app = await renderApp(small, {
      connection: {
        status: undefined,
        services: { clients: neverCalled, armEndpoint: 'https://arm' },
      },
    });
    await app.waitFrame((text) => {
      expect(text).toContain('Not connected: no subscription chosen.');
    });
    expect(app.frame()).toContain('Type :sub and a subscription id');
  });
});
