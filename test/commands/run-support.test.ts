import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  commonOptions,
  failureMessage,
  stopSignal,
  wantsColour,
  type Output,
} from '../../source/commands/run-support.js';
import { notFound } from '../../source/domain/errors.js';

function output(overrides: Partial<Output> = {}) {
  const events = new EventEmitter();
  const stdout = new EventEmitter();
  const value: Output = {
    out: () => undefined,
    err: () => undefined,
    columns: undefined,
    isTTY: false,
    env: {},
    events: events as unknown as Output['events'],
    stdout: stdout as unknown as Output['stdout'],
    ...overrides,
  };
  return { value, events, stdout };
}

describe('command support', () => {
  it('reads the common options', () => {
    expect(commonOptions({ sandbox: true, debug: 'd.log' })).toEqual({
      sandbox: true,
      debug: 'd.log',
    });
    expect(commonOptions({ cloud: 'p.json' })).toEqual({ sandbox: false, cloud: 'p.json' });
  });

  it('makes one sentence of any failure', () => {
    expect(failureMessage(new Error('first line\n  at stack'))).toBe('first line.');
    expect(failureMessage(new Error('Already a sentence.'))).toBe('Already a sentence.');
    expect(failureMessage(notFound('PoolNotFound', 'pool p'))).toBe('not found: PoolNotFound.');
    expect(failureMessage('text')).toBe('text.');
  });

  it('colours only a terminal without NO_COLOR', () => {
    expect(wantsColour(output({ isTTY: true }).value)).toBe(true);
    expect(wantsColour(output({ isTTY: false }).value)).toBe(false);
    expect(wantsColour(output({ isTTY: true, env: { NO_COLOR: '1' } }).value)).toBe(false);
    expect(wantsColour(output({ isTTY: true, env: { TERM: 'dumb' } }).value)).toBe(false);
  });

  it('Ctrl+C aborts with 130, and its listener goes away on dispose', () => {
    const { value, events } = output();
    const stop = stopSignal(value);
    events.emit('SIGINT');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toBe('SIGINT');
    expect(stop.code()).toBe(130);
    stop.dispose();
    expect(events.listenerCount('SIGINT')).toBe(0);
  });

  it('a reader that went away (EPIPE) stops quietly with 0; other stream errors are not swallowed', () => {
    const { value, stdout } = output();
    const stop = stopSignal(value);
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(stop.reason()).toBe('pipe');
    expect(stop.code()).toBe(0);
    expect(() => stdout.emit('error', Object.assign(new Error('boom'), { code: 'EIO' }))).toThrow(
      'boom',
    );
    stop.dispose();
    // After dispose, a late EPIPE from a queued write is still not a crash.
    expect(() =>
      stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    ).not.toThrow();
  });
});
