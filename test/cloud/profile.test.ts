import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AZURE_PUBLIC,
  isAzurePublic,
  loadProfile,
  parseProfile,
} from '../../source/cloud/profile.js';

const oneSentence = (message: string) => {
  expect(message.trim().split(/(?<=[.;])\s+(?=[A-Z])/).length).toBe(1);
  expect(message).toMatch(/[.]$/);
};

describe('cloud profiles', () => {
  it('the default is the Azure public cloud', () => {
    expect(isAzurePublic(AZURE_PUBLIC)).toBe(true);
    expect(AZURE_PUBLIC.batchScope).toBe('https://batch.core.windows.net//.default');
  });

  it('fills scopes from the public cloud and keeps the rest', () => {
    const profile = parseProfile({
      armEndpoint: 'https://127.0.0.1:1',
      authorityHost: 'https://127.0.0.1:2',
      tenantId: 't',
      caCertFile: '/tmp/ca.pem',
      disableInstanceDiscovery: true,
    });
    expect(profile).toMatchObject({
      name: 'custom',
      armScope: AZURE_PUBLIC.armScope,
      storageScope: AZURE_PUBLIC.storageScope,
      caCertFile: '/tmp/ca.pem',
      disableInstanceDiscovery: true,
    });
    expect(isAzurePublic(profile)).toBe(false);
  });

  it('refuses unreadable and invalid files in one sentence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'profile-test-'));
    const cases: Array<[string, string, RegExp]> = [
      [
        join(dir, 'missing.json'),
        '',
        /Cannot read the cloud profile .*missing\.json because it does not exist\./,
      ],
      [join(dir, 'bad.json'), '{', /is not valid JSON/],
      [join(dir, 'array.json'), '[]', /must be a JSON object/],
      [
        join(dir, 'noarm.json'),
        '{"authorityHost":"https://x","tenantId":"t"}',
        /lacks armEndpoint\./,
      ],
      [
        join(dir, 'badurl.json'),
        '{"armEndpoint":"ftp://x","authorityHost":"https://x","tenantId":"t"}',
        /armEndpoint that is not an http\(s\) URL/,
      ],
      [
        join(dir, 'half.json'),
        '{"armEndpoint":"https://x","authorityHost":"https://x","tenantId":"t","clientId":"c"}',
        /clientId without clientSecret/,
      ],
    ];
    for (const [file, content, pattern] of cases) {
      if (content) await writeFile(file, content);
      const error: Error = await loadProfile(file).then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
      expect(error.message).toMatch(pattern);
      oneSentence(error.message);
    }
  });
});
