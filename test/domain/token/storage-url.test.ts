import { describe, expect, it } from 'vitest';
import {
  describeTarget,
  parseStorageUrl,
  redactUrl,
  targetScope,
} from '../../../source/domain/token/storage-url.js';

describe('parseStorageUrl', () => {
  it.each([
    [
      'https://stlogs.blob.core.windows.net/',
      {
        accountName: 'stlogs',
        serviceUrl: 'https://stlogs.blob.core.windows.net/',
        pathStyle: false,
      },
    ],
    ['https://stlogs.blob.core.windows.net/logs', { accountName: 'stlogs', container: 'logs' }],
    [
      'https://stlogs.blob.core.windows.net/logs/pool/node/agent-debug.log',
      { container: 'logs', blob: 'pool/node/agent-debug.log' },
    ],
    [
      'https://127.0.0.1:4443/stlogs/logs/a%20b.log',
      {
        accountName: 'stlogs',
        serviceUrl: 'https://127.0.0.1:4443/stlogs/',
        container: 'logs',
        blob: 'a b.log',
        pathStyle: true,
      },
    ],
    [
      'https://localhost:10000/devstoreaccount1/c',
      { accountName: 'devstoreaccount1', container: 'c', pathStyle: true },
    ],
    [
      'https://stlogs.blob.core.windows.net/logs?sv=2022-11-02&sp=rcwl&sig=abc%2Bdef',
      { container: 'logs', hasSas: true },
    ],
  ])('%s', (url, expected) => {
    const parsed = parseStorageUrl(url);
    expect(parsed.ok && parsed.value).toMatchObject(expected);
  });

  it.each([
    ['not a url', /is not a URL/],
    ['http://stlogs.blob.core.windows.net/logs', /must be https/],
    ['https://127.0.0.1:4443/', /names no storage account/],
  ])('refuses %s in one sentence', (url, message) => {
    const parsed = parseStorageUrl(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('never repeats a SAS signature in its messages', () => {
    const parsed = parseStorageUrl('http://x.blob.core.windows.net/c?sig=SECRETSIG');
    expect(JSON.stringify(parsed)).not.toContain('SECRETSIG');
  });
});

describe('redactUrl', () => {
  it('hides a SAS and drops other queries', () => {
    expect(redactUrl('https://a.blob.core.windows.net/c?sv=1&sig=SECRET')).toBe(
      'https://a.blob.core.windows.net/c?<SAS hidden>',
    );
    expect(redactUrl('https://a.blob.core.windows.net/c?restype=container')).toBe(
      'https://a.blob.core.windows.net/c',
    );
    expect(redactUrl('https://a.blob.core.windows.net/c')).toBe(
      'https://a.blob.core.windows.net/c',
    );
  });
});

it('names the target and its RBAC scope as ARM does', () => {
  const parsed = parseStorageUrl('https://stlogs.blob.core.windows.net/logs/x.log');
  if (!parsed.ok) throw new Error(parsed.message);
  expect(describeTarget(parsed.value)).toBe('blob x.log in container logs of stlogs');
  expect(
    targetScope(
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/stlogs',
      parsed.value,
    ),
  ).toBe(
    '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/stlogs/blobServices/default/containers/logs',
  );
});
