import { describe, expect, it } from 'vitest';
import type { RetryEvent } from '../../source/azure/index.js';
import { initialResource, resourceReducer, viewOf } from '../../source/ui/hooks/resource.js';
import type { ResourceAction, ResourceState } from '../../source/ui/hooks/resource.js';

const retry: RetryEvent = {
  operation: 'list',
  reason: 'throttled',
  status: 429,
  attempt: 1,
  maxAttempts: 4,
  delayMs: 2000,
  fromRetryAfter: true,
};
const run = (
  actions: Array<ResourceAction<string>>,
  state: ResourceState<string> = initialResource('k'),
) => actions.reduce(resourceReducer<string>, state);

describe('resourceReducer', () => {
  it.each<[string, Array<ResourceAction<string>>, Partial<ResourceState<string>>]>([
    ['a new key reads as loading', [], { loading: true, value: undefined }],
    [
      'loaded',
      [{ type: 'loaded', key: 'k', value: 'v', at: 5 }],
      { loading: false, value: 'v', loadedAt: 5 },
    ],
    [
      'a retry is shown while waiting',
      [{ type: 'retry', key: 'k', event: retry }],
      { retry, loading: true },
    ],
    [
      'the value clears the retry',
      [
        { type: 'retry', key: 'k', event: retry },
        { type: 'loaded', key: 'k', value: 'v', at: 1 },
      ],
      { retry: undefined },
    ],
    [
      'a failed refresh keeps the last value beside the error',
      [
        { type: 'loaded', key: 'k', value: 'v', at: 1 },
        { type: 'start', key: 'k' },
        { type: 'failed', key: 'k', error: 'boom' },
      ],
      { value: 'v', error: 'boom', loading: false, loadedAt: 1 },
    ],
    [
      'a success clears the error',
      [
        { type: 'failed', key: 'k', error: 'boom' },
        { type: 'start', key: 'k' },
        { type: 'loaded', key: 'k', value: 'w', at: 2 },
      ],
      { value: 'w', error: undefined },
    ],
    [
      'news about another key starts from a clean slate',
      [
        { type: 'loaded', key: 'k', value: 'v', at: 1 },
        { type: 'loaded', key: 'other', value: 'x', at: 2 },
      ],
      { key: 'other', value: 'x', loadedAt: 2 },
    ],
    [
      'a start for another key drops the old value',
      [
        { type: 'loaded', key: 'k', value: 'v', at: 1 },
        { type: 'start', key: 'other' },
      ],
      { key: 'other', value: undefined, loading: true },
    ],
  ])('%s', (_what, actions, expected) => {
    expect(run(actions)).toMatchObject(expected);
  });

  it('shows a fresh state when the screen asks for another key than the state holds', () => {
    const state = run([{ type: 'loaded', key: 'k', value: 'v', at: 1 }]);
    expect(viewOf(state, 'k')).toBe(state);
    expect(viewOf(state, 'other')).toMatchObject({ key: 'other', value: undefined, loading: true });
    expect(viewOf(state, undefined)).toMatchObject({ loading: false, value: undefined });
  });
});
