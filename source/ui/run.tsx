/**
 * Starts the full-screen program and owns its one exit path. Every way out — q, Ctrl+C, :quit,
 * SIGTERM, SIGHUP, SIGINT, a render error, an uncaught exception or unhandled rejection — goes
 * through `finish`, which unmounts Ink (leaving the alternate screen and showing the cursor)
 * before anything is said on stderr, so nothing lands on the alternate screen and is lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { render } from 'ink';
import type { Instance } from 'ink';
import type { InteractiveOptions, SessionInfo } from '../options.js';
import { openSettings } from '../settings.js';
import type { OpenedSettings } from '../settings.js';
import { App } from './app.js';
import type { AppProps } from './app.js';
import type { SessionServices } from './session.js';
import { makeTheme } from './theme.js';

/** What opening the session yields: who and where (for the header), and the clients to use. */
export interface OpenedSession {
  info: SessionInfo;
  services: SessionServices;
}

export interface InteractiveDeps {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Settings already opened (tests); by default they are opened here. */
  settings?: OpenedSettings;
  env?: NodeJS.ProcessEnv;
  /** Where signals and process-wide errors are listened for; tests pass an EventEmitter. */
  processEvents?: Pick<NodeJS.Process, 'on' | 'off'>;
  /**
   * Opens the session after the first frame is on screen, so a slow sign-in or sandbox start
   * never delays it; its failure is shown in the status line.
   */
  connect?: () => Promise<OpenedSession>;
}

/**
 * Exit codes: 0 when the operator quits (q, Ctrl+C, :quit); 128 + the signal number when a signal
 * ends the program (129 SIGHUP, 130 SIGINT, 143 SIGTERM), as shells report it; 1 after an
 * unexpected error, whose details are in the debug file named on stderr.
 */
export const EXIT_CODES = { quit: 0, error: 1, SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

type Signal = 'SIGHUP' | 'SIGINT' | 'SIGTERM';
const SIGNALS: readonly Signal[] = ['SIGHUP', 'SIGINT', 'SIGTERM'];

export async function runInteractive(
  options: InteractiveOptions,
  session: SessionInfo,
  deps: InteractiveDeps = {},
): Promise<number> {
  const env = deps.env ?? process.env;
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const events = deps.processEvents ?? process;
  const { store, warning } = deps.settings ?? openSettings({ env });
  const theme = makeTheme(store.get('theme'), env);
  // The last subscription is Azure's: a sandbox or a cloud profile brings its own.
  const remembered =
    options.sandbox || options.cloud !== undefined ? undefined : store.get('lastSubscription');
  const subscriptionId = session.subscriptionId ?? options.subscription ?? remembered;
  const refreshSeconds = options.refreshSeconds ?? store.get('refreshSeconds');
  const initialAccount = options.account ?? store.get('lastAccount');

  let instance: Instance | undefined;
  let exitCode: number | undefined;
  let failure: unknown;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const finish = (code: number, error?: unknown) => {
    if (exitCode !== undefined) {
      return;
    }
    exitCode = code;
    failure = error;
    for (const signal of SIGNALS) {
      events.off(signal, signalHandlers[signal]);
    }
    events.off('uncaughtException', onFatal);
    events.off('unhandledRejection', onFatal);
    // Ink's unmount is synchronous: once it returns, the primary screen and cursor are back.
    instance?.unmount();
    resolveDone();
  };

  const signalHandlers = Object.fromEntries(
    SIGNALS.map((signal) => [
      signal,
      () => {
        if (signal === 'SIGHUP') {
          // The terminal is gone: writes to it may fail asynchronously, which must not re-enter.
          stdout.on('error', () => undefined);
        }
        finish(EXIT_CODES[signal]);
      },
    ]),
  ) as Record<Signal, () => void>;
  const onFatal = (error: unknown) => {
    finish(EXIT_CODES.error, error);
  };
  // Listening for a signal also stops signal-exit (inside Ink) from re-raising it before we are done.
  for (const signal of SIGNALS) {
    events.on(signal, signalHandlers[signal]);
  }
  events.on('uncaughtException', onFatal);
  events.on('unhandledRejection', onFatal);

  let current: SessionInfo = { ...session, subscriptionId };
  let connection: AppProps['connection'];
  const app = () => (
    <App
      session={current}
      {...(connection === undefined ? {} : { connection })}
      readOnly={options.readOnly || store.get('readOnlyDefault')}
      theme={theme}
      refreshSeconds={refreshSeconds}
      connectingText={options.sandbox ? 'Starting the sandbox and signing in…' : 'Signing in…'}
      {...(initialAccount === undefined ? {} : { initialAccount })}
      {...(warning === undefined
        ? {}
        : { initialStatus: { tone: 'error' as const, text: warning } })}
      onQuit={() => {
        finish(EXIT_CODES.quit);
      }}
      onSubscriptionChange={(id) => {
        store.set('lastSubscription', id);
      }}
      onAccountChange={(name) => {
        store.set('lastAccount', name);
      }}
      onError={onFatal}
    />
  );
  try {
    instance = render(app(), {
      stdin: deps.stdin ?? process.stdin,
      stdout,
      stderr,
      alternateScreen: true,
      exitOnCtrlC: false,
      patchConsole: true,
    });
    // A quit requested during the first render ran before `instance` was assigned.
    if (exitCode !== undefined) {
      instance.unmount();
    }
    const connect = deps.connect;
    if (connect !== undefined && exitCode === undefined) {
      void connect()
        .then(
          (opened) => {
            current = {
              ...opened.info,
              subscriptionId: opened.info.subscriptionId ?? subscriptionId,
            };
            connection = { status: undefined, services: opened.services };
          },
          (error: unknown) => {
            current = { ...current, credentialLabel: 'not signed in' };
            connection = {
              status: {
                tone: 'error',
                text: error instanceof Error ? error.message : String(error),
              },
            };
          },
        )
        .finally(() => {
          if (exitCode === undefined) instance?.rerender(app());
        });
    }
    instance.waitUntilExit().then(
      () => {
        finish(exitCode ?? EXIT_CODES.quit);
      },
      (error: unknown) => {
        finish(EXIT_CODES.error, error);
      },
    );
  } catch (error) {
    finish(EXIT_CODES.error, error);
  }

  await done;
  if (instance !== undefined) {
    await instance.waitUntilExit().catch(() => undefined);
  }
  if (failure !== undefined) {
    const file = writeDebugFile(options.debug, failure);
    stderr.write(
      file === undefined
        ? 'batch-mi-tui stopped on an unexpected error, and could not write the details to a debug file.\n'
        : `batch-mi-tui stopped on an unexpected error; the details are in ${file}\n`,
    );
  }
  return exitCode ?? EXIT_CODES.error;
}

/** Appends the error to the debug file (`--debug PATH`, a file or a directory) and returns its path. */
export function writeDebugFile(
  debug: string | undefined,
  error: unknown,
  now = new Date(),
): string | undefined {
  const stamp = now.toISOString().replaceAll(':', '-');
  const fallback = path.join(os.tmpdir(), `batch-mi-tui-${stamp}-${process.pid}.log`);
  let file = debug ?? fallback;
  try {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) {
      file = path.join(file, `batch-mi-tui-${stamp}-${process.pid}.log`);
    }
    // inspect keeps the stack and any `cause` chain, which SDK errors use.
    const details = inspect(error, { depth: 6, colors: false });
    fs.appendFileSync(
      file,
      `${now.toISOString()} uncaught error in the interactive program\n${details}\n\n`,
    );
    return file;
  } catch {
    return undefined;
  }
}
