import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trustProfileCa } from '../../source/cloud/ca.js';
import { createClients, type CloudClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import { parseProfile } from '../../source/cloud/profile.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/index.js';
import { ENTRY, oneSentence, run, scratch, start } from './built-program.js';

// `batch-mi-tui nodes`, built, against a sandbox running in this process and reached through a
// profile file, compared with what the real SDK clients read from the same sandbox.
let sandbox: RunningSandbox;
let files: ReturnType<typeof scratch>;
let sdk: CloudClients;

beforeAll(async () => {
  if (!fs.existsSync(ENTRY))
    throw new Error(`${ENTRY} does not exist: run \`npm run build\` first.`);
  sandbox = await startSandbox();
  // Watches poll every second rather than every 5, through the real setting.
  files = scratch(sandbox, { refreshSeconds: 1 });
  const profile = parseProfile(sandbox.profile, 'of the sandbox');
  const trust = await trustProfileCa(profile);
  sdk = createClients(profile, createCredential(profile, trust), trust);
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  files?.remove();
});

const env = () => ({ BATCH_MI_TUI_CONFIG_DIR: files.config });
const nodes = (account: string, pool: string, ...more: string[]) =>
  run(['nodes', '--cloud', files.profile, '--account', account, '--pool', pool, ...more], env());

/** Every node of a pool as @azure/batch lists it, following odata.nextLink to the end. */
async function sdkNodes(accountName: string, poolId: string) {
  const accounts = [];
  for await (const a of sdk.batchManagement().batchAccountOperations.list()) accounts.push(a);
  const endpoint = accounts.find((a) => a.name === accountName)?.accountEndpoint ?? '';
  const client = sdk.batchData(endpoint);
  let page = await client.computeNode.list(poolId);
  const all = [...page];
  while (page.odatanextLink) {
    page = await client.computeNode.listNext(page.odatanextLink);
    all.push(...page);
  }
  return all.map((n) => ({ id: n.id, state: n.state, ipAddress: n.ipAddress }));
}

function countsOf(list: Array<{ state?: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of list) counts[n.state ?? ''] = (counts[n.state ?? ''] ?? 0) + 1;
  return counts;
}

interface Document {
  account: string;
  pool: string;
  counts: Record<string, number>;
  nodes: Array<{ id: string; state: string; ipAddress?: string; errors: unknown[] }>;
}

describe('batch-mi-tui nodes', () => {
  it.each([
    ['batchhealthy', 'packages-same-identity'],
    ['batchnoref', 'packages-no-reference'],
    ['batchnoref', 'starttask-no-reference'],
    ['batchhealthy', 'packages-other-identity'],
    ['batchscale', 'render-farm'],
  ])('--json for %s/%s is one document that matches the SDK', async (account, pool) => {
    const [result, expected] = await Promise.all([
      nodes(account, pool, '--json'),
      sdkNodes(account, pool),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as Document;
    expect(doc).toMatchObject({ account, pool });
    expect(doc.nodes.map((n) => ({ id: n.id, state: n.state, ipAddress: n.ipAddress }))).toEqual(
      expected,
    );
    const { total, ...byState } = doc.counts;
    expect(total).toBe(expected.length);
    expect(Object.fromEntries(Object.entries(byState).filter(([, n]) => n > 0))).toEqual(
      countsOf(expected),
    );
  });

  it('prints a plain table with the state counts when piped', async () => {
    const [result, expected] = await Promise.all([
      nodes('batchnoref', 'starttask-no-reference'),
      sdkNodes('batchnoref', 'starttask-no-reference'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('\u001B[');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Pool starttask-no-reference of Batch account batchnoref: ${expected.length} nodes: startTaskFailed ${expected.length}`,
    );
    expect(lines[2]).toMatch(/^NODE\s+STATE\s+IN STATE\s+ERRORS\s+IP$/);
    // In a pipe nothing is cut: whole ids, whole error codes.
    for (const [i, node] of expected.entries()) {
      expect(lines[3 + i]).toMatch(
        new RegExp(
          `^${node.id}\\s+startTaskFailed\\s+\\S+\\s+ResourceContainerAccessDenied\\s+${node.ipAddress}$`,
        ),
      );
    }
    expect(lines).toHaveLength(3 + expected.length);
  });

  it.each([
    [['nope', 'workers'], "There is no Batch account named 'nope' in subscription"],
    [['batchnoref', 'nope'], "There is no pool 'nope' in Batch account 'batchnoref'."],
  ])('%j: one sentence on stderr, nothing on stdout, exit 2', async ([account, pool], message) => {
    const result = await nodes(account ?? '', pool ?? '', '--json');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(oneSentence(result.stderr)).toBe(true);
  });

  it('a sign-in failure is one sentence and exit 2', async () => {
    const bad = `${files.dir}/bad-secret.json`;
    fs.writeFileSync(bad, JSON.stringify({ ...sandbox.profile, clientSecret: 'wrong' }), {
      mode: 0o600,
    });
    const result = await run(
      ['nodes', '--cloud', bad, '--account', 'batchnoref', '--pool', 'x'],
      env(),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^batch-mi-tui: Could not sign in with ClientSecretCredential/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--watch prints the transitions made in the sandbox and stops on Ctrl+C with exit 0', async () => {
    const args = ['nodes', '--cloud', files.profile, '--account', 'batchhealthy'];
    const text = start([...args, '--pool', 'two-identities', '--watch'], env());
    const json = start([...args, '--pool', 'two-identities', '--watch', '--json'], env());
    try {
      await vi.waitFor(() => expect(text.stderr()).toContain('Ctrl+C stops'), { timeout: 20_000 });
      await vi.waitFor(() => expect(json.stderr()).toContain('Ctrl+C stops'), { timeout: 20_000 });
      expect(text.stdout()).toContain('2 nodes: idle 2');
      expect(json.stdout()).toContain('"counts"');

      // Resize through ARM, as an operator would: one node joins, allocated now.
      await sdk
        .batchManagement()
        .poolOperations.update('rg-batch', 'batchhealthy', 'two-identities', {
          scaleSettings: { fixedScale: { targetDedicatedNodes: 3 } },
        });
      const joined = /^(tvmps_\w+) \(joined\) → creating \d\d:\d\d:\d\d$/m;
      await vi.waitFor(() => expect(text.stdout()).toMatch(joined), { timeout: 15_000 });
      const id = joined.exec(text.stdout())?.[1] ?? '';
      // Both watchers must have seen the node in `creating` before time moves on.
      await vi.waitFor(() => expect(json.stdout()).toContain(`"nodeId":"${id}"`), {
        timeout: 15_000,
      });

      // A minute later (in the sandbox's time) the VM is allocated and the node starts.
      sandbox.clock.advance(60_000);
      await vi.waitFor(
        () =>
          expect(text.stdout()).toMatch(
            new RegExp(`^${id} creating → starting \\d\\d:\\d\\d:\\d\\d$`, 'm'),
          ),
        { timeout: 15_000 },
      );
      await vi.waitFor(
        () => {
          const lines = json
            .stdout()
            .trimEnd()
            .split('\n')
            .slice(1)
            .map((l) => JSON.parse(l) as object);
          expect(lines).toEqual([
            expect.objectContaining({
              account: 'batchhealthy',
              pool: 'two-identities',
              nodeId: id,
              from: null,
              to: 'creating',
            }),
            expect.objectContaining({
              nodeId: id,
              from: 'creating',
              to: 'starting',
              at: expect.stringMatching(/Z$/) as unknown,
            }),
          ]);
        },
        { timeout: 15_000 },
      );

      text.child.kill('SIGINT');
      json.child.kill('SIGINT');
      const [t, j] = await Promise.all([text.done, json.done]);
      expect(t.code).toBe(0);
      expect(j.code).toBe(0);
    } finally {
      text.child.kill('SIGKILL');
      json.child.kill('SIGKILL');
      await sdk
        .batchManagement()
        .poolOperations.update('rg-batch', 'batchhealthy', 'two-identities', {
          scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } },
        });
    }
  }, 90_000);
});
