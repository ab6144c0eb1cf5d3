/**
 * What the non-interactive commands share: where their output goes, how Ctrl+C and a closed pipe
 * stop them, and how a failure becomes the one sentence SPEC §2 asks for.
 */
import { isDomainError } from '../domain/errors.js';
import type { CommonOptions } from '../options.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Terminal width when stdout is a terminal; undefined in a pipe or a file. */
  columns: number | undefined;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Where SIGINT/SIGTERM/SIGHUP are listened for. */
  events: Pick<NodeJS.Process, 'on' | 'off'>;
  /** stdout as a stream, to notice the reader going away (EPIPE). */
  stdout: Pick<NodeJS.WritableStream, 'on' | 'off'>;
}

export function processOutput(): Output {
  const { stdout, stderr } = process;
  return {
    out: (text) => {
      stdout.write(text);
    },
    err: (text) => {
      stderr.write(text);
    },
    columns: stdout.isTTY ? stdout.columns : undefined,
    isTTY: stdout.isTTY,
    env: process.env,
    events: process,
    stdout,
  };
}

export function commonOptions(values: Record<string, string | true>): CommonOptions {
  const options: CommonOptions = { sandbox: values.sandbox === true };
  for (const key of ['cloud', 'debug'] as const) {
    const value = values[key];
    if (typeof value === 'string') options[key] = value;
  }
  return options;
}

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM is dumb. */
export function wantsColour(output: Output): boolean {
  return output.isTTY && !output.env.NO_COLOR && output.env.TERM !== 'dumb';
}

/** One sentence, ending in a full stop, from any failure. */
export function failureMessage(error: unknown): string {
  const text = isDomainError(error)
    ? error.message
    : error instanceof Error
      ? error.message
      : String(error);
  const line = (text.split('\n')[0] ?? '').trim();
  return /[.!?)]$/.test(line) ? line : `${line}.`;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

export interface Stop {
  /** Aborts on Ctrl+C, SIGTERM, SIGHUP, or when stdout's reader has gone (`| head`). */
  signal: AbortSignal;
  /** The signal that stopped us, or 'pipe'; undefined while running. */
  reason(): (typeof SIGNALS)[number] | 'pipe' | undefined;
  /** Exit code after a stop: 0 for a closed pipe, 128 + the signal's number otherwise. */
  code(): number;
  dispose(): void;
}

/**
 * Listening for the signals keeps Node from dying mid-write: the command stops its loop, closes
 * its session (an embedded sandbox stops cleanly, leaving no temporary files) and returns.
 */
export function stopSignal(output: Output): Stop {
  const controller = new AbortController();
  let reason: ReturnType<Stop['reason']>;
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      reason ??= signal;
      controller.abort();
    };
    output.events.on(signal, handler);
    return [signal, handler] as const;
  });
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    reason ??= 'pipe';
    controller.abort();
  };
  output.stdout.on('error', onError);
  return {
    signal: controller.signal,
    reason: () => reason,
    code: () => (reason === undefined || reason === 'pipe' ? 0 : 128 + SIGNAL_NUMBERS[reason]),
    dispose: () => {
      for (const [signal, handler] of handlers) output.events.off(signal, handler);
      // A write still queued may yet fail with EPIPE: keep swallowing that one, nothing else.
      output.stdout.off('error', onError);
      output.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    },
  };
}
