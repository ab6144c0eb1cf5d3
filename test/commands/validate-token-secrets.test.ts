/**
 * SPEC §5/§7 safety: a token, a secret or a SAS signature never appears on screen, in --json or in
 * a file the program writes. Runs `validate-token` and `upload-logs` (built) through their main
 * paths — IMDS, token files, the operator's credential, a SAS container URL, failures — each with
 * --debug, and scans every stdout, stderr and debug file for every token the sandbox issued
 * (whole, or its signature alone), the principals' client secrets, the storage account keys and
 * the SAS signature.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scrubSecrets } from '../../source/commands/validate-token-output.js';
import type { Result } from './built-program.js';
import {
  leaks,
  secretsOf,
  startCommandFixture,
  type CommandFixture,
} from './validate-token-fixture.js';

let fx: CommandFixture;
const outputs: Array<{ what: string; text: string }> = [];

beforeAll(async () => {
  fx = await startCommandFixture();
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Reader');
  await fx.sandbox.ensureContainer('stbatchlogs', 'node-logs');
  await fx.sandbox.ensureContainer('stbatchauto', 'inputs');
}, 120_000);
afterAll(async () => {
  await fx?.embedded.stop();
  fx?.files.remove();
});

function sas(): string {
  const key = new StorageSharedKeyCredential(
    'stbatchlogs',
    fx.sandbox.storageAccountKey('stbatchlogs'),
  );
  return generateBlobSASQueryParameters(
    {
      containerName: 'node-logs',
      permissions: ContainerSASPermissions.parse('rwl'),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    key,
  ).toString();
}

it('no output of validate-token or upload-logs holds a token, a secret or a SAS signature', async () => {
  const debug = path.join(fx.files.dir, 'debug.log');
  const auto = `${fx.storage('stbatchauto').blobEndpoint}inputs`;
  const nodes = fx.identity('id-batch-nodes');
  const imds = (account: string, pool: string) => ({
    BATCH_MI_TUI_IMDS: `${account}/${pool}/${fx.node(account, pool)}`,
  });
  const query = sas();
  const signature = new URLSearchParams(query).get('sig') ?? '';
  expect(signature.length).toBeGreaterThan(20);
  const runs: Array<[string, Promise<Result>]> = [];
  const add = (what: string, args: string[], env: Record<string, string> = {}) =>
    runs.push([what, fx.cli([...args, '--debug', debug], env)]);
  for (const json of [[], ['--json']]) {
    add(
      'validate-token IMDS',
      ['validate-token', '--storage-url', auto, '--client-id', nodes.clientId, ...json],
      imds('batchhealthy', 'packages-same-identity'),
    );
    add(
      'validate-token IMDS 400',
      [
        'validate-token',
        '--storage-url',
        auto,
        '--resource-id',
        fx.identity('id-workload').id,
        ...json,
      ],
      imds('batchnorole', 'packages-no-role'),
    );
    add('validate-token operator', ['validate-token', '--storage-url', auto, ...json]);
    add('validate-token file', [
      'validate-token',
      '--storage-url',
      auto,
      '--token-file',
      fx.write(
        `t${json.length}.jwt`,
        fx.tokenFor(nodes.principalId, { aud: 'https://management.azure.com/' }),
      ),
      ...json,
    ]);
    add('upload-logs identity', [
      'upload-logs',
      '--account',
      'batchnoref',
      '--pool',
      'packages-no-reference',
      '--node',
      fx.node('batchnoref', 'packages-no-reference'),
      '--container-url',
      `${fx.storage('stbatchlogs').blobEndpoint}node-logs`,
      ...json,
    ]);
    add('upload-logs SAS', [
      'upload-logs',
      '--account',
      'batchhealthy',
      '--pool',
      'packages-other-identity',
      '--node',
      fx.node('batchhealthy', 'packages-other-identity'),
      '--container-url',
      `${fx.storage('stbatchlogs').blobEndpoint}node-logs?${query}`,
      ...json,
    ]);
  }
  add('validate-token bad file', [
    'validate-token',
    '--storage-url',
    auto,
    '--token-file',
    fx.write('junk', 'x.y'),
  ]);
  add('upload-logs missing container', [
    'upload-logs',
    '--account',
    'batchhealthy',
    '--pool',
    'packages-same-identity',
    '--node',
    fx.node('batchhealthy', 'packages-same-identity'),
    '--container-url',
    `${fx.storage('stbatchlogs').blobEndpoint}absent?${query}`,
  ]);
  for (const [what, running] of runs) {
    const r = await running;
    outputs.push(
      { what: `${what} stdout`, text: r.stdout },
      { what: `${what} stderr`, text: r.stderr },
    );
    if (what === 'upload-logs SAS') expect(r.code, r.stderr).toBe(0);
    // A SAS for another container: storage refuses it, and says so without repeating it.
    if (what === 'upload-logs missing container')
      expect(r.stderr).toMatch(/refused the SAS \(AuthorizationFailure\)/);
  }
  expect(fs.existsSync(debug)).toBe(true);
  outputs.push({ what: 'debug file', text: fs.readFileSync(debug, 'utf8') });

  const secrets = secretsOf(fx, [signature, decodeURIComponent(signature)]);
  // The runs did get tokens (from Entra and from IMDS) and did use the SAS: the scan means something.
  expect(fx.issued.length).toBeGreaterThan(runs.length);
  expect(outputs.find((o) => o.what === 'upload-logs SAS stdout')?.text).toContain('?<SAS hidden>');
  const found = outputs.flatMap((o) =>
    leaks(o.text, secrets).map((s) => `${o.what}: ${s.slice(0, 12)}…`),
  );
  expect(found).toEqual([]);
  // Nothing JWT-shaped at all, redacted forms aside.
  for (const o of outputs) expect(o.text, o.what).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.eyJ/);
}, 120_000);

it('the debug writer scrubs JWTs and SAS signatures it is handed by mistake', () => {
  const token = fx.tokenFor(fx.identity('id-batch-nodes').principalId);
  const text = scrubSecrets(
    `request {"containerUrl":"https://a/b?sv=1&sig=abc%2Bdef&se=x"} auth Bearer ${token}`,
  );
  expect(text).toBe(
    `request {"containerUrl":"https://a/b?sv=1&sig=REDACTED&se=x"} auth Bearer ${token.slice(0, 8)}…`,
  );
});
