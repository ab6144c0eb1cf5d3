import { describe, expect, it } from 'vitest';
import { commands, helpText, parseArgs } from '../../source/args.js';

const SUB = '6f2b1c0e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';
const UAMI = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes`;

describe('parseArgs accepts every command and option of SPEC §2', () => {
  it.each([
    [[], 'interactive', {}],
    [
      ['--subscription', SUB, '--account', 'acct', '--read-only', '--refresh', '10'],
      'interactive',
      { subscription: SUB, account: 'acct', 'read-only': true, refresh: '10' },
    ],
    [['--sandbox'], 'interactive', { sandbox: true }],
    [['--cloud=profile.json'], 'interactive', { cloud: 'profile.json' }],
    [
      ['doctor', '--account', 'a', '--pool', 'p', '--json'],
      'doctor',
      { account: 'a', pool: 'p', json: true },
    ],
    [['doctor', '--subscription', SUB], 'doctor', { subscription: SUB }],
    [
      ['nodes', '--account', 'a', '--pool', 'p', '--watch'],
      'nodes',
      { account: 'a', pool: 'p', watch: true },
    ],
    [
      [
        'upload-logs',
        '--account',
        'a',
        '--pool',
        'p',
        '--node',
        'tvm-1',
        '--since',
        '24h',
        '--container-url',
        'https://sa.blob.core.windows.net/logs',
        '--identity',
        UAMI,
      ],
      'upload-logs',
      { node: 'tvm-1', since: '24h', identity: UAMI },
    ],
    [
      [
        'validate-token',
        '--storage-url',
        'https://sa.blob.core.windows.net/c/b',
        '--client-id',
        SUB,
        '--json',
      ],
      'validate-token',
      { 'client-id': SUB, json: true },
    ],
    [
      [
        'validate-token',
        '--storage-url',
        'https://sa.blob.core.windows.net/c',
        '--token-file',
        't.jwt',
      ],
      'validate-token',
      { 'token-file': 't.jwt' },
    ],
    [
      ['sandbox', '--port', '8443', '--profile-out', 'p.json'],
      'sandbox',
      { port: '8443', 'profile-out': 'p.json' },
    ],
  ] as const)('%j', (argv, command, values) => {
    const parsed = parseArgs([...argv]);
    expect(parsed).toMatchObject({ kind: 'run', command, values });
  });
});

describe('parseArgs refuses bad input with one clear sentence', () => {
  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['--frob'], "unknown option '--frob' for batch-mi-tui"],
    [['doctor', '--watch'], "unknown option '--watch' for batch-mi-tui doctor"],
    [['--refresh'], '--refresh needs a value (SECONDS)'],
    [['--refresh', '--read-only'], '--refresh needs a value'],
    [['--refresh', '0'], '--refresh must be a whole number from 1 to 3600'],
    [['--refresh', 'abc'], '--refresh must be a whole number'],
    [['--subscription', 'nope'], '--subscription must be a GUID'],
    [['--read-only=yes'], '--read-only takes no value'],
    [['--account', 'a', '--account', 'b'], '--account was given twice'],
    [['stray'], "unknown command 'stray'"],
    [['doctor', 'stray'], "unexpected argument 'stray'"],
    [['nodes', '--pool', 'p'], 'batch-mi-tui nodes needs --account NAME'],
    [['nodes', '--account', 'a'], 'batch-mi-tui nodes needs --pool ID'],
    [['doctor', '--pool', 'p'], 'doctor --pool needs --account'],
    [['upload-logs', '--account', 'a', '--pool', 'p'], 'needs --node ID'],
    [
      ['upload-logs', '--account', 'a', '--pool', 'p', '--node', 'n', '--since', 'soon'],
      '--since must be a duration',
    ],
    [
      [
        'upload-logs',
        '--account',
        'a',
        '--pool',
        'p',
        '--node',
        'n',
        '--container-url',
        'http://x/c',
      ],
      'must be an https:// URL',
    ],
    [
      [
        'upload-logs',
        '--account',
        'a',
        '--pool',
        'p',
        '--node',
        'n',
        '--container-url',
        'not a url',
      ],
      'must be a URL',
    ],
    [
      [
        'upload-logs',
        '--account',
        'a',
        '--pool',
        'p',
        '--node',
        'n',
        '--identity',
        '/subscriptions/x',
      ],
      'is not an Azure resource id',
    ],
    [['validate-token'], 'needs --storage-url URL'],
    [
      ['validate-token', '--storage-url', 'https://s/c', '--client-id', SUB, '--token-file', 'f'],
      'use only one of --client-id, --token-file',
    ],
    [
      ['validate-token', '--storage-url', 'https://s/c', '--client-id', 'abc'],
      '--client-id must be a GUID',
    ],
    [['--sandbox', '--cloud', 'f'], 'use only one of --sandbox, --cloud'],
    [['sandbox', '--port', '70000'], '--port must be a whole number from 1 to 65535'],
    [['--account', 'bad name!'], '--account must be a name'],
  ] as const)('%j → %s', (argv, message) => {
    const parsed = parseArgs([...argv]);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') {
      expect(parsed.message).toContain(message);
      expect(parsed.message).not.toMatch(/\n/);
    }
  });
});

describe('help and version', () => {
  it.each(commands.map((c) => c.name))('%s --help lists every option of the command', (name) => {
    const argv = name === 'interactive' ? ['--help'] : [name, '--help'];
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('help');
    const spec = commands.find((c) => c.name === name);
    for (const opt of spec?.options ?? []) {
      expect(parsed.kind === 'help' && parsed.text).toContain(`--${opt.name}`);
    }
    expect(helpText(name)).toContain('--sandbox');
  });

  it('--help wins over missing required options', () => {
    expect(parseArgs(['nodes', '--help']).kind).toBe('help');
  });

  it('--version', () => {
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('the top-level help names every command', () => {
    const text = helpText('interactive');
    for (const c of commands.filter((c) => c.name !== 'interactive'))
      expect(text).toContain(c.name);
  });
});
