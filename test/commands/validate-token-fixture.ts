/**
 * The built program against a sandbox in this process, for `validate-token` and `upload-logs`:
 * a scratch profile (as `sandbox --profile-out` writes it), and every token the sandbox issues
 * recorded, so that tests can prove none of them ever reaches an output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStorageFixture, type StorageFixture } from '../azure/storage-fixture.js';
import { ENTRY, run, scratch, type Result } from './built-program.js';

export interface CommandFixture extends StorageFixture {
  files: ReturnType<typeof scratch>;
  /** Every token the sandbox issued since the fixture started (Entra, IMDS, tests). */
  issued: string[];
  /** Runs the built program with the scratch profile. */
  cli(args: string[], env?: Record<string, string>): Promise<Result>;
  /** Writes a file in the scratch directory; returns its path. */
  write(name: string, content: string): string;
}

export async function startCommandFixture(): Promise<CommandFixture> {
  if (!fs.existsSync(ENTRY))
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  const fx = await startStorageFixture();
  const issued: string[] = [];
  const tokens = fx.sandbox.services.tokens;
  const issue = tokens.issue.bind(tokens);
  // Instrumentation only: the sandbox's own handlers hold this same service.
  tokens.issue = (input) => {
    const result = issue(input);
    issued.push(result.token);
    return result;
  };
  const files = scratch(fx.sandbox);
  return {
    ...fx,
    files,
    issued,
    cli: (args, env = {}) =>
      run([args[0] ?? '', '--cloud', files.profile, ...args.slice(1)], {
        BATCH_MI_TUI_CONFIG_DIR: files.config,
        ...env,
      }),
    write(name, content) {
      const file = path.join(files.dir, name);
      fs.writeFileSync(file, content, { mode: 0o600 });
      return file;
    },
  };
}

/** The secrets a run could leak: tokens issued, client secrets, storage account keys. */
export function secretsOf(fx: CommandFixture, extra: string[] = []): string[] {
  const keys = [...fx.sandbox.world.storageAccounts.values()].map((s) =>
    fx.sandbox.storageAccountKey(s.name),
  );
  const secrets = [...fx.sandbox.world.principals.values()].flatMap((p) =>
    p.secret ? [p.secret] : [],
  );
  return [...fx.issued, ...keys, ...secrets, ...extra].filter((s) => s.length >= 12);
}

/** Which secrets appear in a text: whole, or a token's signature on its own. */
export function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.filter(
    (s) =>
      text.includes(s) || (s.split('.').length === 3 && text.includes(s.split('.')[2] ?? '\u0000')),
  );
}
