#!/usr/bin/env node
/**
 * Entry point: parse arguments, pick the command, check for a terminal, then run. Heavy modules
 * (Ink, the Azure SDKs, the sandbox) are imported only once a command needs them, so `--help`,
 * usage errors and the non-TTY refusal answer at once.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from './args.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(parsed.text);
      return 0;
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'error':
      process.stderr.write(`batch-mi-tui: ${parsed.message} (see 'batch-mi-tui --help').\n`);
      return 2;
    case 'run':
      break;
  }
  const { command, values } = parsed;
  if (command === 'nodes') {
    const [{ runNodesCommand }, { processOutput }] = await Promise.all([
      import('./commands/nodes.js'),
      import('./commands/run-support.js'),
    ]);
    return runNodesCommand(values, processOutput());
  }
  if (command === 'doctor') {
    const { runDoctorCommand } = await import('./commands/doctor.js');
    return runDoctorCommand(values);
  }
  if (command === 'validate-token' || command === 'upload-logs') {
    const { processOutput } = await import('./commands/run-support.js');
    if (command === 'validate-token') {
      const { runValidateTokenCommand } = await import('./commands/validate-token.js');
      return runValidateTokenCommand(values, processOutput());
    }
    const { runUploadLogsCommand } = await import('./commands/upload-logs.js');
    return runUploadLogsCommand(values, processOutput());
  }
  if (command === 'sandbox') {
    const { runSandboxCommand } = await import('./commands/sandbox.js');
    return runSandboxCommand(values);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(
      'batch-mi-tui needs an interactive terminal (stdin and stdout must be a TTY); in scripts and pipes use ' +
        "'batch-mi-tui doctor', 'nodes', 'upload-logs' or 'validate-token' with --json.\n",
    );
    return 2;
  }
  const { startInteractive } = await import('./commands/interactive.js');
  return startInteractive(values);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `batch-mi-tui: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
