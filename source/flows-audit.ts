/**
 * The flows' audit log (issue 7): one JSON line per change, appended to `audit.jsonl` in the
 * program's config directory ($BATCH_MI_TUI_CONFIG_DIR, else the OS config directory that the
 * settings use), and read back for the audit viewer. Lines hold what, where, when and by whom —
 * never a token or a secret (domain/plans/audit.ts scrubs them). The file is private to the user.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AuditEntry } from './domain/plans/audit.js';
import { CONFIG_DIR_ENV } from './settings.js';

export const AUDIT_FILE = 'audit.jsonl';

/** The OS config directory conf uses for `batch-mi-tui` (env-paths' `config`, no suffix). */
function osConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'batch-mi-tui');
  if (platform === 'win32')
    return path.join(
      env.APPDATA || path.join(home, 'AppData', 'Roaming'),
      'batch-mi-tui',
      'Config',
    );
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'batch-mi-tui');
}

export function auditLogPath(
  options: { dir?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {},
): string {
  const env = options.env ?? process.env;
  const dir =
    options.dir ?? (env[CONFIG_DIR_ENV] || osConfigDir(env, options.platform ?? process.platform));
  return path.join(dir, AUDIT_FILE);
}

export interface AuditRead {
  /** Newest first. */
  entries: AuditEntry[];
  /** Lines that were not audit entries (a damaged or foreign line), skipped. */
  skipped: number;
  /** The file does not exist yet: nothing was ever applied here. */
  missing: boolean;
}

const isEntry = (v: unknown): v is AuditEntry => {
  const e = v as Partial<AuditEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.at === 'string' &&
    typeof e.what === 'string' &&
    typeof e.target === 'string' &&
    typeof e.by?.label === 'string'
  );
};

export class AuditLog {
  constructor(readonly path: string = auditLogPath()) {}

  /** Appends one line; the directory is created on first use, the file readable by its owner only. */
  async append(entry: AuditEntry): Promise<void> {
    await fs.mkdir(path.dirname(this.path), { recursive: true });
    await fs.appendFile(this.path, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: 0o600 });
  }

  async read(options: { limit?: number } = {}): Promise<AuditRead> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { entries: [], skipped: 0, missing: true };
      throw error;
    }
    const entries: AuditEntry[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (isEntry(parsed)) entries.push(parsed);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    entries.reverse();
    return {
      entries: options.limit === undefined ? entries : entries.slice(0, options.limit),
      skipped,
      missing: false,
    };
  }
}
