#!/usr/bin/env node
/**
 * Entry point: parse arguments, pick the command, check for a terminal, then run. Heavy modules
 * (Ink, the Azure SDKs, the sandbox) are imported only once a command needs them, so `--help`,
 * usage errors and the non-TTY refusal answer at once.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { parseArgs } from './args.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Holds V8's young generation (new space) of the interactive program to `capMb`. V8 doubles it
 * each time enough objects have survived young collections since the last growth; survivors add
 * up over a long session, so it ends at V8's maximum (128 MB on a 64-bit machine with memory to
 * spare): a quarter of the Nodes screen's RSS budget (SPEC §7 scale: ≤ 200 MB), mostly empty.
 * Its maximum can only be set at launch (--max-semi-space-size), which a bin script cannot do,
 * but the growth factor is read at each growth, so it can be steered at run time: 1 (no growth)
 * from the start, so that loading the program's modules does not grow it in one burst, then after
 * each GC 2 while a doubling stays within the cap, else 1. V8 can still shrink it when idle, and
 * it then grows back. Measured on the 10,000-node pool: peak RSS 200 → ~155 MB, refresh time
 * unchanged; with no growth at all (1 MB semi-spaces) each refresh's page data is promoted to the
 * old generation and refreshes are slower.
 */
function holdYoungGeneration(capMb = 16): void {
  const cap = capMb * 1024 * 1024;
  let factor = 1;
  setFlagsFromString('--semi-space-growth-factor=1');
  const steer = () => {
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const next = young !== undefined && young.space_size * 2 <= cap ? 2 : 1;
    if (next === factor) return;
    factor = next;
    setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  new PerformanceObserver(steer).observe({ entryTypes: ['gc'] });
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
  holdYoungGeneration();
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
