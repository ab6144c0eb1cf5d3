import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The built program, as users run it (`npm test` builds before vitest runs).
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

function run(args: string[]) {
  const env = { ...process.env };
  delete env.CI;
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const oneSentence = (text: string) =>
  text.trim().split('\n').length === 1 && /[.)]$/.test(text.trim());

describe('the built CLI', () => {
  it('exists (npm test builds it first)', () => {
    expect(existsSync(cli)).toBe(true);
  });

  it('--version prints the package version', () => {
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([[['--help']], [['doctor', '--help']], [['sandbox', '--help']]])(
    '%j prints usage and exits 0',
    (args) => {
      const result = run(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: batch-mi-tui/);
    },
  );

  it.each([
    [['--frob'], "unknown option '--frob'"],
    [['nodes', '--account', 'a'], 'needs --pool'],
    [['--refresh', 'x'], '--refresh must be a whole number'],
    [['validate-token', '--storage-url', 'ftp://x'], 'must be an https:// URL'],
  ])('%j is a usage error: one sentence on stderr, exit 2, nothing on stdout', (args, message) => {
    const result = run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(oneSentence(result.stderr)).toBe(true);
  });

  it('refuses to start the interactive program without a terminal, naming the commands to use instead', () => {
    const result = run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('needs an interactive terminal');
    expect(result.stderr).toContain('doctor');
    expect(result.stderr).not.toContain('\u001b[?1049h');
    expect(oneSentence(result.stderr)).toBe(true);
  });
});
