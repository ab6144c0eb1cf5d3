/**
 * `batch-mi-tui upload-logs`, built, against the sandbox: for a node of every row of Azure's two
 * behaviour tables (RULES.md §1), the node's service logs land in storage as real blobs, and the
 * signature matcher finds the agent-debug.log line that explains the node. The operator holds
 * Storage Blob Data Reader on the logs account (granted through ARM first), as an operator must
 * to read what was uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageGateway } from '../../source/azure/storage.js';
import { SignatureScan } from '../../source/domain/logs/signatures.js';
import { startCommandFixture, type CommandFixture } from './validate-token-fixture.js';

let fx: CommandFixture;
let logsUrl: string;

interface Doc {
  container: string;
  identity: string | null;
  virtualDirectoryName: string;
  numberOfFilesUploaded: number;
  files: Array<{ name: string; blob: string; size: number }>;
  signatures: Array<{
    line: number;
    signature: string;
    rule: string;
    explains: boolean;
    count: number;
  }>;
}

beforeAll(async () => {
  fx = await startCommandFixture();
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Reader');
  await fx.sandbox.ensureContainer('stbatchlogs', 'node-logs');
  logsUrl = `${fx.storage('stbatchlogs').blobEndpoint}node-logs`;
}, 120_000);
afterAll(async () => {
  await fx?.embedded.stop();
  fx?.files.remove();
});

const upload = (account: string, pool: string, ...more: string[]) =>
  fx.cli([
    'upload-logs',
    '--account',
    account,
    '--pool',
    pool,
    '--node',
    fx.node(account, pool),
    ...more,
  ]);

/** agent-debug.log read back in process, range by range, and scanned as the viewer will. */
async function explainFromStorage(blob: string) {
  const storage = new StorageGateway(
    fx.operator.blobService(fx.storage('stbatchlogs').blobEndpoint),
  );
  const index = await storage.openLines('node-logs', blob);
  await index.indexAll();
  const lines = await index.lines(0, index.lineCount);
  const scan = new SignatureScan();
  lines.forEach((l, i) => scan.add(l, i));
  const found = scan.explanation();
  return { found, text: found ? lines[found.match.line] : undefined };
}

describe('a node of each behaviour-table scenario', () => {
  it.each([
    ['A1', 'batchhealthy', 'packages-same-identity', 'id-batch-nodes', undefined, undefined],
    [
      'A2',
      'batchnorole',
      'packages-no-role',
      'id-batch-nodes-norole',
      'MI005',
      'AuthorizationPermissionMismatch',
    ],
    [
      'A3',
      'batchnoref',
      'packages-no-reference',
      'id-batch-nodes',
      'MI003',
      'TvmJoinPoolInProgress',
    ],
    [
      'A4',
      'batchhealthy',
      'packages-other-identity',
      'id-workload',
      'MI004',
      'not assigned to this VM',
    ],
    ['B1', 'batchhealthy', 'starttask-same-identity', 'id-batch-nodes', undefined, undefined],
    [
      'B2',
      'batchnorole',
      'starttask-no-role',
      'id-batch-nodes-norole',
      'MI005',
      'AuthorizationPermissionMismatch',
    ],
    [
      'B3',
      'batchnoref',
      'starttask-no-reference',
      'id-batch-nodes',
      'MI003',
      'AuthorizationPermissionMismatch',
    ],
    [
      'B4',
      'batchhealthy',
      'starttask-other-identity',
      'id-workload',
      'MI004',
      'ResourceContainerListMiscError',
    ],
  ])(
    '%s (%s/%s): the logs arrive and agent-debug.log explains the node',
    async (_row, account, pool, writer, rule, text) => {
      const r = await upload(account, pool, '--container-url', logsUrl, '--json');
      expect(r.stderr).toMatch(
        new RegExp(
          `^Identity ${writer} \\(.+\\) may write to container node-logs of stbatchlogs: ✓ Storage Blob Data Contributor\\.`,
        ),
      );
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as Doc;
      expect(d.identity).toBe(fx.identity(writer).id);
      expect(d.virtualDirectoryName).toMatch(
        new RegExp(`^${pool}/${fx.node(account, pool)}/[0-9a-f-]{36}/$`),
      );
      expect(d.numberOfFilesUploaded).toBe(4);
      expect(d.files.map((f) => f.name).sort()).toEqual([
        'agent-debug.log',
        'agent.log',
        'controller.log',
        'watchdog.log',
      ]);
      expect(
        d.files.every((f) => f.size > 0 && f.blob === `${d.virtualDirectoryName}${f.name}`),
      ).toBe(true);
      const explains = d.signatures.find((s) => s.explains);
      const fromStorage = await explainFromStorage(`${d.virtualDirectoryName}agent-debug.log`);
      if (!rule) {
        expect(explains).toBeUndefined();
        expect(fromStorage.found).toBeUndefined();
        return;
      }
      expect(explains?.rule).toBe(rule);
      expect(fromStorage.found?.match.rule).toBe(rule);
      expect(fromStorage.text).toContain(text);
      expect(explains?.line).toBe((fromStorage.found?.match.line ?? -1) + 1);
    },
  );
});
