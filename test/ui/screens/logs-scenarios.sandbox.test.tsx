/**
 * The Logs screen for a node of every row of Azure's two behaviour tables (RULES.md §1, A1–A4 and
 * B1–B4), on one seeded sandbox through the real SDK clients: `l` on the pool's first node,
 * upload to a typed container, the blobs land in storage, and agent-debug.log opens in the viewer
 * at the line that explains the node: that line is the cursor (inverse), the signature's text in
 * it is highlighted (bold), and the footer names the doctor rule. A1 and B1 are healthy: the
 * viewer shows no identity signature at all. What the screen highlights is checked against the
 * matcher run over the blob read back from storage, as `upload-logs` does.
 */
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageGateway } from '../../../source/azure/storage.js';
import { SignatureScan } from '../../../source/domain/logs/signatures.js';
import { startStorageFixture, type StorageFixture } from '../../azure/storage-fixture.js';
import { expectFits, keys } from '../render-app.js';
import { leaked, openPoolNodes, recordTokens, small } from './logs-app.js';

// Ink styles through chalk, which decides its colour level when first imported: force basic
// SGR so that the frames carry bold and inverse (the plain theme has no colours, only those).
vi.hoisted(() => {
  process.env['FORCE_COLOR'] = '1';
});

const LOGS_ACCOUNT = 'stbatchlogs';
const LOGS_CONTAINER = 'node-logs';
const FILES = ['agent-debug.log', 'agent.log', 'controller.log', 'watchdog.log'];
const WAIT = 20_000;

let fx: StorageFixture;
let issued: string[];
let logsUrl: string;
let storage: StorageGateway;

beforeAll(async () => {
  fx = await startStorageFixture();
  issued = recordTokens(fx);
  // To read what the nodes uploaded, the operator needs a data role on the logs account.
  await fx.grantOperator(LOGS_ACCOUNT, 'Storage Blob Data Reader');
  await fx.sandbox.ensureContainer(LOGS_ACCOUNT, LOGS_CONTAINER);
  const endpoint = fx.storage(LOGS_ACCOUNT).blobEndpoint;
  logsUrl = `${endpoint}${LOGS_CONTAINER}`;
  storage = new StorageGateway(fx.operator.blobService(endpoint));
}, 120_000);
afterEach(() => {
  cleanup();
});
afterAll(async () => {
  await fx?.embedded.stop();
});

interface Styled {
  text: string;
  bold: boolean;
  inverse: boolean;
}

/** One rendered row cut into runs by its SGR bold (1/22) and inverse (7/27) state. */
function styledRuns(row: string): Styled[] {
  const runs: Styled[] = [];
  let bold = false;
  let inverse = false;
  // eslint-disable-next-line no-control-regex
  for (const part of row.split(/(\u001B\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex
    const sgr = /^\u001B\[([0-9;]*)m$/.exec(part);
    if (sgr) {
      for (const code of (sgr[1] || '0').split(';').map(Number)) {
        if (code === 0) [bold, inverse] = [false, false];
        else if (code === 1) bold = true;
        else if (code === 22) bold = false;
        else if (code === 7) inverse = true;
        else if (code === 27) inverse = false;
      }
      continue;
    }
    // Other escapes (colours are off in the plain theme; none expected) are dropped.
    // eslint-disable-next-line no-control-regex
    const text = part.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
    if (text) runs.push({ text, bold, inverse });
  }
  return runs;
}

/** The viewer's rows (between its heading and the footer): the cursor row and its bold text. */
function highlighted(raw: string): { cursor: string[]; bold: string[] } {
  const rows = raw.split('\n').map(styledRuns);
  const plain = (runs: Styled[]) => runs.map((r) => r.text).join('');
  // A log row is `<line number> <text>`; the header and footer rows are not.
  const logRows = rows.filter((runs) => /^\s*\d+ /.test(plain(runs)));
  const cursor = logRows.filter((runs) => runs.some((r) => r.inverse && r.text.trim() !== ''));
  return {
    cursor: cursor.map(plain),
    bold: logRows.flatMap((runs) => runs.filter((r) => r.bold).map((r) => r.text)),
  };
}

/** The blobs the node uploaded for a pool, and the line the matcher picks in agent-debug.log. */
async function fromStorage(pool: string) {
  const blobs = await storage.listBlobs(LOGS_CONTAINER, { prefix: `${pool}/` });
  const debug = blobs.find((b) => b.name.endsWith('/agent-debug.log'));
  if (!debug) return { blobs, found: undefined, text: undefined };
  const index = await storage.openLines(LOGS_CONTAINER, debug.name);
  await index.indexAll();
  const lines = await index.lines(0, index.lineCount);
  const scan = new SignatureScan();
  lines.forEach((l, i) => scan.add(l, i));
  const found = scan.explanation();
  return { blobs, found, text: found ? lines[found.match.line] : undefined };
}

type Row = [
  row: string,
  account: string,
  pool: string,
  writer: string,
  rule: string | undefined,
  signature: string | undefined,
];

// The behaviour tables' rows as the seed builds them (source/sandbox/world/seed-accounts.ts), with
// the rule the doctor names for each and the text in agent-debug.log that shows it.
const SCENARIOS: Row[] = [
  ['A1', 'batchhealthy', 'packages-same-identity', 'id-batch-nodes', undefined, undefined],
  [
    'A2',
    'batchnorole',
    'packages-no-role',
    'id-batch-nodes-norole',
    'MI005',
    'AuthorizationPermissionMismatch',
  ],
  ['A3', 'batchnoref', 'packages-no-reference', 'id-batch-nodes', 'MI003', 'TvmJoinPoolInProgress'],
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
];

describe('the Logs screen for a node of each behaviour-table scenario', () => {
  it.each(SCENARIOS)(
    '%s (%s/%s): upload, the blobs land, and the viewer highlights what explains the node',
    async (_row, account, pool, writer, rule, signature) => {
      const app = await openPoolNodes(fx, account, pool);
      app.press('l');
      await app.until((text) => {
        expect(text.split('\n')[1]).toContain('Logs');
        expect(text).toContain('Window         last hour');
        expect(text).toMatch(new RegExp(`Authorization {2}${writer} {2}[✓✗?] `));
      });
      // Destination: the typed container URL, which every pool identity may write to.
      app.press(keys.down);
      await app.until((text) => expect(text).toMatch(/▌ Destination/));
      app.press(keys.enter);
      await app.until((text) => expect(text).toContain('(type it with /)'));
      app.press(`/${logsUrl}\r`);
      await app.until((text) => {
        expect(text).toContain(`URL ${logsUrl}`);
        expect(text).toMatch(new RegExp(`Authorization {2}${writer} {2}✓ may write`));
      });
      app.press('u');
      await app.until((text) => {
        expect(text).toMatch(new RegExp(`✓ 4 files in ${pool}/`));
        for (const name of FILES) expect(text).toMatch(new RegExp(`^ {2}${name} {2}\\d`, 'm'));
      });
      expectFits(app.frame(), small);

      // The blobs are in storage: the four files, under <pool>/<node>/<upload id>/.
      const stored = await fromStorage(pool);
      const directories = new Set(stored.blobs.map((b) => b.name.replace(/[^/]+$/, '')));
      expect(directories.size).toBe(1);
      const [directory] = [...directories];
      expect(directory).toMatch(new RegExp(`^${pool}/tvm[^/]+/[0-9a-f-]{36}/$`));
      expect(stored.blobs.map((b) => b.name.slice(directory?.length)).sort()).toEqual(FILES);
      expect(stored.blobs.every((b) => b.size > 0)).toBe(true);

      // agent-debug.log is the first file: Enter opens it in the viewer.
      expect(app.frame()).toMatch(/^ {2}agent-debug\.log {2}\d/m);
      app.press(keys.enter);
      if (!rule || !signature) {
        expect(stored.found).toBeUndefined();
        await app.until((text) => {
          expect(text).toMatch(/^agent-debug\.log {2}1-\d+ of \d+ /m);
          expect(text).toContain('no known signature in view');
        });
        const shown = highlighted(app.lastFrame() ?? '');
        expect(shown.cursor).toEqual([]);
        expect(shown.bold).toEqual([]);
        expect(app.frame()).not.toMatch(/\bMI0\d\d\b/);
      } else {
        // What the matcher finds in the stored blob is what this scenario is about…
        expect(stored.found?.match.rule).toBe(rule);
        expect(stored.text).toContain(signature);
        const line = (stored.found?.match.line ?? -1) + 1;
        // …and the viewer shows it: the cursor on that line, the signature bold in it, and the
        // footer naming the rule with the explanation.
        await app.until((text) => {
          expect(text).toMatch(/^agent-debug\.log {2}\d+-\d+ of \d+ /m);
          const shown = highlighted(app.lastFrame() ?? '');
          expect(shown.cursor).toHaveLength(1);
          expect(shown.cursor[0]).toMatch(new RegExp(`^\\s*${line} `));
          expect(shown.cursor[0]).toContain(signature);
          expect(shown.bold).toContain(signature);
          expect(text).toMatch(new RegExp(`^${rule} `, 'm'));
        });
        // Every rule the viewer names (the footer `MI00x explanation`, the note `MI00x: …`) is
        // this scenario's: the footer and the note agree.
        const named = app
          .frame()
          .split('\n')
          .flatMap((row) => /^(MI\d{3}):? /.exec(row)?.[1] ?? []);
        expect(named.length).toBeGreaterThan(0);
        expect(new Set(named)).toEqual(new Set([rule]));
      }
      expectFits(app.frame(), small);
      // Esc goes back to the file list.
      app.press(keys.escape);
      await app.until((text) => expect(text).toMatch(/✓ 4 files in/));
      expect(leaked(app.allFrames(), issued)).toEqual([]);
    },
    WAIT * 3,
  );
});
