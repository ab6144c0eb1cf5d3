/** The flows' audit file: where it lives, appending, reading back (newest first), damaged lines. */
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../source/domain/plans/index.js';
import { AUDIT_FILE, AuditLog, auditLogPath } from '../../source/flows-audit.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (what: string, at: string): AuditEntry => ({
  at,
  by: { label: 'ops@contoso.com', objectId: 'oid-1' },
  flow: 'pool-identity',
  stepId: 'pool-identity:batch/p',
  kind: 'patch-pool-identity',
  what,
  target:
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/batch/pools/p',
  changes: [{ path: 'identity.userAssignedIdentities', before: [], after: ['id-nodes'] }],
  outcome: 'applied',
});

describe('audit log', () => {
  it('lives in BATCH_MI_TUI_CONFIG_DIR when set, else in the OS config directory', () => {
    expect(auditLogPath({ env: { BATCH_MI_TUI_CONFIG_DIR: dir } })).toBe(
      path.join(dir, AUDIT_FILE),
    );
    expect(auditLogPath({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux' })).toBe(
      '/x/batch-mi-tui/audit.jsonl',
    );
    expect(auditLogPath({ env: {}, platform: 'darwin' })).toBe(
      path.join(os.homedir(), 'Library', 'Preferences', 'batch-mi-tui', AUDIT_FILE),
    );
    expect(
      auditLogPath({ env: { APPDATA: 'C:/Users/o/AppData/Roaming' }, platform: 'win32' }),
    ).toBe(path.join('C:/Users/o/AppData/Roaming', 'batch-mi-tui', 'Config', AUDIT_FILE));
  });

  it('appends one line per entry, creates the directory, keeps the file private, reads newest first', async () => {
    const log = new AuditLog(path.join(dir, 'nested', AUDIT_FILE));
    expect(await log.read()).toEqual({ entries: [], skipped: 0, missing: true });
    await log.append(entry('first', '2025-06-01T12:00:00.000Z'));
    await log.append(entry('second', '2025-06-01T12:01:00.000Z'));
    await appendFile(log.path, 'not json\n{"foreign":true}\n');
    const read = await log.read();
    expect(read.entries.map((e) => e.what)).toEqual(['second', 'first']);
    expect(read.skipped).toBe(2);
    expect((await log.read({ limit: 1 })).entries.map((e) => e.what)).toEqual(['second']);
    if (process.platform !== 'win32') expect((await stat(log.path)).mode & 0o777).toBe(0o600);
  });
});
