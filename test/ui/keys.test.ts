import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  PALETTE_COMMANDS,
  SCREENS,
  commandsFor,
  completePalette,
  keyId,
  keyTableMarkdown,
  parsePalette,
  resolveCommand,
} from '../../source/ui/keys.js';
import { wrapWords } from '../../source/ui/components/HelpOverlay.js';

describe('key registry', () => {
  it('gives every command at least one key and a description', () => {
    for (const spec of COMMANDS) {
      expect(spec.keys.length, spec.id).toBeGreaterThan(0);
      expect(spec.description.trim(), spec.id).not.toBe('');
      if (spec.screens !== 'global') {
        expect(spec.screens.length, spec.id).toBeGreaterThan(0);
      }
    }
  });

  it('never binds one key to two commands on the same screen (globals included)', () => {
    for (const screen of SCREENS) {
      const seen = new Map<string, string>();
      for (const spec of commandsFor(screen)) {
        for (const key of spec.keys) {
          expect(seen.get(key), `${screen}: ${key}`).toBeUndefined();
          seen.set(key, spec.id);
        }
      }
    }
  });

  it('has unique command ids', () => {
    const ids = COMMANDS.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not quit on a bare Esc (a split arrow key over SSH starts with one)', () => {
    for (const screen of SCREENS) {
      expect(resolveCommand(screen, '', { escape: true })).toBe('back');
    }
  });

  it.each([
    ['q', {}, 'quit'],
    ['c', { ctrl: true }, 'quit'],
    ['?', {}, 'help'],
    [':', {}, 'palette'],
    ['/', {}, 'filter'],
    ['j', {}, 'down'],
    ['k', {}, 'up'],
    ['', { downArrow: true }, 'down'],
    ['', { upArrow: true }, 'up'],
    ['', { pageDown: true }, 'pageDown'],
    ['', { pageUp: true }, 'pageUp'],
    ['g', {}, 'top'],
    ['G', { shift: true }, 'bottom'],
    ['', { return: true }, 'open'],
    ['y', {}, 'json'],
    ['r', {}, 'refresh'],
    ['q', { meta: true }, undefined],
    ['x', {}, undefined],
    ['jj', {}, undefined],
  ] as const)('on accounts, %j %j means %s', (input, key, command) => {
    expect(resolveCommand('accounts', input, key)).toBe(command);
  });

  it('limits screen commands to the screens that have them', () => {
    expect(resolveCommand('token', 'e', {})).toBeUndefined();
    expect(resolveCommand('doctor', 'y', {})).toBeUndefined();
    expect(resolveCommand('token', 'q', {})).toBe('quit');
  });

  it('normalises Ink events to key ids', () => {
    expect(keyId('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyId('', { escape: true })).toBe('escape');
    expect(keyId('G', { shift: true })).toBe('G');
    expect(keyId('ab', {})).toBeUndefined();
  });

  it('renders a Markdown key table with every command and palette command', () => {
    const table = keyTableMarkdown();
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('| key | action | where |');
    expect(lines).toHaveLength(2 + COMMANDS.length + PALETTE_COMMANDS.length);
    for (const spec of COMMANDS) {
      expect(table).toContain(spec.description.replaceAll('|', '\\|'));
    }
    expect(table).toContain('`:sub ID`');
    expect(table).toContain('`Ctrl+C`');
  });
});

describe('palette completion', () => {
  it.each([
    ['', '', PALETTE_COMMANDS.length],
    ['po', 'pools', 1],
    ['POO', 'pools', 1],
    ['s', 'sub ', 1],
    ['d', 'doctor', 1],
    ['zz', 'zz', 0],
    ['sub 123', 'sub 123', 0],
  ])('completes %j to %j (%i candidates)', (text, completed, count) => {
    const result = completePalette(text);
    expect(result.text).toBe(completed);
    expect(result.candidates).toHaveLength(count);
  });

  it('completes several matches to their common prefix', () => {
    const commands = [
      { name: 'pools', description: '' },
      { name: 'poolstats', description: '' },
      { name: 'ports', description: '' },
    ];
    expect(completePalette('p', commands)).toEqual({
      text: 'po',
      candidates: ['pools', 'poolstats', 'ports'],
    });
    expect(completePalette('poo', commands)).toEqual({
      text: 'pools',
      candidates: ['pools', 'poolstats'],
    });
    expect(completePalette('pools', commands)).toEqual({
      text: 'pools',
      candidates: ['pools', 'poolstats'],
    });
  });
});

describe('palette commands', () => {
  it.each([
    ['accounts', { kind: 'screen', screen: 'accounts' }],
    ['po', { kind: 'screen', screen: 'pools' }],
    ['  nodes  ', { kind: 'screen', screen: 'nodes' }],
    ['ro', { kind: 'toggleReadOnly' }],
    ['quit', { kind: 'quit' }],
    [
      'sub 0F6B3E52-1111-4C2D-9A8B-1234567890AB',
      { kind: 'subscription', subscriptionId: '0f6b3e52-1111-4c2d-9a8b-1234567890ab' },
    ],
  ])('%j runs %j', (text, result) => {
    expect(parsePalette(text)).toEqual(result);
  });

  it.each([
    ['', /Type a command/],
    ['frobnicate', /Unknown command ":frobnicate"/],
    ['sub', /Give the subscription id/],
    ['sub not-a-guid', /not a subscription id/],
    ['pools extra', /takes no argument/],
  ])('%j is refused with one sentence', (text, message) => {
    const result = parsePalette(text);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.message).toMatch(message);
      expect(result.message).not.toContain('\n');
    }
  });
});

describe('wrapWords', () => {
  it.each([
    [['a', 'b', 'c'], 10, ['a  b  c']],
    [['aaaa', 'bbbb', 'cccc'], 10, ['aaaa  bbbb', 'cccc']],
    [['a-very-long-word', 'b'], 5, ['a-very-long-word', 'b']],
    [[], 10, []],
  ])('wraps %j at %i', (words, width, lines) => {
    expect(wrapWords(words, width)).toEqual(lines);
  });
});
