/**
 * `batch-mi-tui validate-token`, built, against the sandbox: tokens from a node's IMDS
 * (BATCH_MI_TUI_IMDS names the node), from files made with the sandbox's token service, and from
 * the operator's own sign-in; through the real SDK clients end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneSentence } from './built-program.js';
import { startCommandFixture, type CommandFixture } from './validate-token-fixture.js';

let fx: CommandFixture;
let url: string;
const imdsOf = (account: string, pool: string) => ({
  BATCH_MI_TUI_IMDS: `${account}/${pool}/${fx.node(account, pool)}`,
});

interface Doc {
  passed: boolean;
  token: string | null;
  steps: Array<{
    step: string;
    status: string;
    summary: string;
    reason?: string;
    fix?: string;
    rule?: string;
    flow?: string;
    claimChecks?: Array<{ claim: string; ok: boolean }>;
  }>;
  claims: Record<string, unknown> | null;
  expected: Record<string, unknown> | null;
  nodeCommand: string;
}
const json = (stdout: string) => JSON.parse(stdout) as Doc;
const statuses = (d: Doc) => d.steps.map((s) => `${s.step}:${s.status}`);

beforeAll(async () => {
  fx = await startCommandFixture();
  await fx.sandbox.ensureContainer('stbatchauto', 'inputs');
  url = `${fx.storage('stbatchauto').blobEndpoint}inputs`;
}, 120_000);
afterAll(async () => {
  await fx?.embedded.stop();
  fx?.files.remove();
});

describe('a pool identity from its node (IMDS)', () => {
  it('passes every step for an identity with a data role (table A1/B1)', async () => {
    const nodes = fx.identity('id-batch-nodes');
    const r = await fx.cli(
      ['validate-token', '--storage-url', url, '--client-id', nodes.clientId],
      imdsOf('batchhealthy', 'packages-same-identity'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      `Token check: can identity with client id ${nodes.clientId} (IMDS) read ${url}?`,
    );
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(4);
    expect(r.stdout).toContain(
      '✓ 4 role assignments grant the data actions: blobs/read granted by Storage Blob Data Reader',
    );
    expect(r.stdout).toContain('All checks passed.');
    expect(r.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  it('fails at storage with AuthorizationPermissionMismatch, and names the grant, for one without (table A2/B2)', async () => {
    const norole = fx.identity('id-batch-nodes-norole');
    const r = await fx.cli(
      ['validate-token', '--storage-url', url, '--resource-id', norole.id],
      imdsOf('batchnorole', 'packages-no-role'),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✗ 3 storage accepts the token: List Blobs on container inputs of stbatchauto answered 403 AuthorizationPermissionMismatch',
    );
    const grant = `az role assignment create --assignee-object-id ${norole.principalId} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${fx.storage('stbatchauto').id}`;
    expect(r.stdout).toContain(`fix: ${grant}`);
    expect(r.stdout).toContain(
      'rule MI005 · in the program: the "autostorage with managed identity" flow',
    );
    expect(r.stdout).toContain('✗ 4 role assignments grant the data actions');
    expect(r.stdout).toContain(`msi_res_id=${norole.id}" | jq -r .access_token > token.jwt`);
  });

  it('--json is one document with the steps, the claims and what they were compared with', async () => {
    const norole = fx.identity('id-batch-nodes-norole');
    const r = await fx.cli(
      ['validate-token', '--storage-url', url, '--resource-id', norole.id, '--json'],
      imdsOf('batchnorole', 'packages-no-role'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const d = json(r.stdout);
    expect(statuses(d)).toEqual(['acquire:pass', 'claims:pass', 'storage:fail', 'rbac:fail']);
    expect(d.steps[2]).toMatchObject({ rule: 'MI005', flow: 'autostorage-mi' });
    expect(d.claims).toMatchObject({
      oid: norole.principalId,
      appid: norole.clientId,
      xms_mirid: norole.id,
    });
    expect(d.expected).toMatchObject({
      clientId: norole.clientId,
      principalId: norole.principalId,
      basis: 'identity id-batch-nodes-norole as ARM describes it',
    });
    expect(d.token).toMatch(/^.{8}…$/);
  });

  it('on the sandbox, asks which node when BATCH_MI_TUI_IMDS is not set', async () => {
    const r = await fx.cli([
      'validate-token',
      '--storage-url',
      url,
      '--client-id',
      fx.identity('id-batch-nodes').clientId,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneSentence(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/set BATCH_MI_TUI_IMDS=ACCOUNT\/POOL\/NODE/);
  });
});

describe('a token file fetched on a node', () => {
  const nodes = () => fx.identity('id-batch-nodes');

  it.each([
    ['an expired token', () => ({ lifetimeSeconds: -3600 }), 'exp', /get a fresh token/],
    [
      'a token for another audience',
      () => ({ aud: 'https://management.azure.com/' }),
      'aud',
      /resource=https:\/\/storage.azure.com\//,
    ],
    [
      "a token whose client id is not the identity's",
      () => ({
        claims: {
          appid: fx.identity('id-workload').clientId,
          azp: fx.identity('id-workload').clientId,
        },
      }),
      'appid',
      /naming the identity explicitly/,
    ],
  ])('catches %s at the claims step (MI027)', async (_what, input, claim, fix) => {
    const file = fx.write(`${claim}.jwt`, `${fx.tokenFor(nodes().principalId, input())}\n`);
    const r = await fx.cli([
      'validate-token',
      '--storage-url',
      url,
      '--token-file',
      file,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const d = json(r.stdout);
    const step = d.steps.find((s) => s.step === 'claims');
    expect(step).toMatchObject({ status: 'fail', rule: 'MI027' });
    expect(step?.claimChecks?.filter((c) => !c.ok).map((c) => c.claim)).toEqual([claim]);
    expect(step?.fix).toMatch(fix);
    expect(d.expected).toMatchObject({
      basis: 'identity id-batch-nodes as ARM describes it',
      clientId: nodes().clientId,
    });
  });

  it("accepts IMDS's whole JSON answer (curl without jq), and passes for a good token", async () => {
    const answer = JSON.stringify({
      access_token: fx.tokenFor(nodes().principalId),
      token_type: 'Bearer',
    });
    const r = await fx.cli([
      'validate-token',
      '--storage-url',
      url,
      '--token-file',
      fx.write('answer.json', answer),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '✓ 2 token claims match the identity: appid, oid, tid, aud, exp, xms_mirid match identity id-batch-nodes as ARM describes it',
    );
  });

  it.each([
    [
      'a missing file',
      () => '/nonexistent/token.jwt',
      /^batch-mi-tui: Cannot read the token file \/nonexistent\/token\.jwt because it does not exist\.\n$/,
    ],
    [
      'a file without a JWT',
      () => fx.write('junk.txt', 'not a token'),
      /does not hold a JWT; write one on a node with: curl/,
    ],
  ])('refuses %s in one sentence, exit 2', async (_what, file, message) => {
    const r = await fx.cli(['validate-token', '--storage-url', url, '--token-file', file()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneSentence(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(message);
  });
});

describe("the operator's own credential", () => {
  it('uses the signed-in credential when no source is given, and calls a missing role yours, not MI005', async () => {
    // The seed gives the operator a data role on autostorage (for logs); it holds none on stbatchlogs.
    await fx.sandbox.ensureContainer('stbatchlogs', 'inputs');
    const url = `${fx.storage('stbatchlogs').blobEndpoint}inputs`;
    const r = await fx.cli(['validate-token', '--storage-url', url, '--json']);
    expect(r.code).toBe(1);
    const d = json(r.stdout);
    expect(statuses(d)).toEqual(['acquire:pass', 'claims:pass', 'storage:fail', 'rbac:fail']);
    expect(d.steps[2]?.rule).toBeUndefined();
    expect(d.steps[2]?.fix).toMatch(
      new RegExp(
        `^ask an owner to run: az role assignment create --assignee-object-id ${fx.operatorObjectId} --role "Storage Blob Data Reader"`,
      ),
    );
    expect(d.steps[3]?.reason).toMatch(/^it holds Owner at \/subscriptions\//);
  });
});
