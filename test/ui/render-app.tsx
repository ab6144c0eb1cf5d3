/**
 * Renders the shell with ink-testing-library at a chosen terminal size. ink-testing-library's
 * stdout reports a fixed 100 columns (a getter on its class) and no rows at all, and Ink reads
 * the size while constructing, so the getters are replaced on that class to read a size each
 * instance takes when first asked: the first frame already has the size under test. A resize
 * changes the instance's size and emits 'resize', as a real terminal does.
 */
import { render } from 'ink-testing-library';
import { expect, vi } from 'vitest';
import { App } from '../../source/ui/app.js';
import type { AppProps } from '../../source/ui/app.js';
import { makeTheme } from '../../source/ui/theme.js';

export interface Size {
  columns: number;
  rows: number;
}

export const ESC = '\u001B';
export const keys = {
  up: `${ESC}[A`,
  down: `${ESC}[B`,
  enter: '\r',
  tab: '\t',
  escape: ESC,
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-9;?]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ansi, '');
}

type Sized = { terminalSize?: Size };
let sizeForNextRender: Size = { columns: 80, rows: 24 };

function injectSizeGetters(): void {
  const probe = render(<></>);
  const prototype = Object.getPrototypeOf(probe.stdout) as object;
  probe.unmount();
  const sizeOf = (stream: Sized) => (stream.terminalSize ??= sizeForNextRender);
  Object.defineProperty(prototype, 'columns', {
    configurable: true,
    get(this: Sized) {
      return sizeOf(this).columns;
    },
  });
  Object.defineProperty(prototype, 'rows', {
    configurable: true,
    get(this: Sized) {
      return sizeOf(this).rows;
    },
  });
}
injectSizeGetters();

export function setSize(stdout: NodeJS.EventEmitter, size: Size): void {
  (stdout as Sized).terminalSize = size;
  stdout.emit('resize');
}

export async function renderApp(size: Size, props: Partial<AppProps> = {}) {
  const onQuit = vi.fn();
  const onSubscriptionChange = vi.fn();
  sizeForNextRender = size;
  const result = render(
    <App
      session={{
        cloudLabel: 'sandbox (https://127.0.0.1:1)',
        credentialLabel: 'ClientSecretCredential as operator@sandbox',
      }}
      readOnly={false}
      theme={makeTheme('plain', { LANG: 'en_US.UTF-8' }, 'linux')}
      onQuit={onQuit}
      onSubscriptionChange={onSubscriptionChange}
      {...props}
    />,
  );
  const frame = () => stripAnsi(result.lastFrame() ?? '');
  // Keys written before Ink listens for input would be lost; wait until it does.
  await vi.waitFor(() => {
    expect(result.stdin.listenerCount('readable')).toBeGreaterThan(0);
  });
  // Frames that wait on the sandbox (sign-in, a 10,000-node listing) get a longer timeout.
  const waitFrame = async (check: (text: string) => void, timeout = 1000) => {
    await vi.waitFor(
      () => {
        check(frame());
      },
      { timeout, interval: 20 },
    );
  };
  const resize = async (next: Size) => {
    setSize(result.stdout, next);
    await waitFrame((text) => {
      expect(text.split('\n')).toHaveLength(next.rows);
    });
  };
  expectFits(frame(), size);
  return {
    ...result,
    frame,
    waitFrame,
    resize,
    onQuit,
    onSubscriptionChange,
    press: (text: string) => result.stdin.write(text),
  };
}

/** Every row of the frame fits the terminal, and there are exactly as many rows as the terminal has. */
export function expectFits(text: string, size: Size): void {
  const lines = text.split('\n');
  expect(lines.length).toBe(size.rows);
  for (const line of lines) {
    expect([...line].length, line).toBeLessThanOrEqual(size.columns);
  }
}
