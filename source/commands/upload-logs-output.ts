/**
 * What `upload-logs` prints: the uploaded files (name, size) and, from agent-debug.log, the known
 * signature that explains the node's state; or, with --json, one document. Progress and notes go
 * to stderr, so stdout is the result alone.
 */
import type { BlobInfo } from '../azure/storage.js';
import type { SignatureGroup } from '../domain/logs/signatures.js';
import type { UploadBatchServiceLogsResult } from '../domain/model.js';
import type { Paint } from './validate-token-output.js';

export interface UploadReport {
  account: string;
  pool: string;
  node: string;
  /** The container, without any SAS. */
  container: string;
  identity?: string;
  since: string;
  result: UploadBatchServiceLogsResult;
  files: BlobInfo[];
  /** Signatures found in agent-debug.log; `explaining` is the one that explains the node. */
  signatures: SignatureGroup[];
  explaining?: SignatureGroup;
  /** The log line of `explaining`, trimmed for display. */
  explainingText?: string;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u] ?? ''}`;
}

const relative = (r: UploadReport, name: string) =>
  name.startsWith(r.result.virtualDirectoryName)
    ? name.slice(r.result.virtualDirectoryName.length)
    : name;

export function formatUploadReport(r: UploadReport, paint: Paint): string {
  const lines = [
    `Batch service logs of node ${r.node} (pool ${r.pool}, account ${r.account}), last ${r.since}:`,
    `  ${r.container}/${r.result.virtualDirectoryName}`,
    '',
  ];
  const width = Math.max(4, ...r.files.map((f) => relative(r, f.name).length));
  for (const f of r.files)
    lines.push(`  ${relative(r, f.name).padEnd(width)}  ${formatSize(f.size).padStart(9)}`);
  lines.push('');
  if (r.explaining) {
    const m = r.explaining.match;
    const repeat =
      r.explaining.count > 1
        ? ` (×${r.explaining.count}, lines ${m.line + 1}–${r.explaining.lastLine + 1})`
        : '';
    lines.push(
      `${paint(m.rule, m.severity === 'error' ? 'red' : 'yellow')} agent-debug.log line ${m.line + 1}${repeat}:`,
      `  ${r.explainingText ?? ''}`,
      `  ${m.explanation}`,
      `  Run \`batch-mi-tui doctor --account ${r.account} --pool ${r.pool}\` for the fix.`,
    );
    const others = r.signatures.filter((g) => g.match.signature !== m.signature);
    if (others.length)
      lines.push(
        `  Also seen: ${others.map((g) => `${g.match.rule} ${g.match.signature} (line ${g.match.line + 1})`).join(', ')}.`,
      );
  } else lines.push('No known managed-identity signature in agent-debug.log.');
  return `${lines.join('\n')}\n`;
}

/** The --json document (issue 6). */
export function uploadJson(r: UploadReport) {
  return {
    account: r.account,
    pool: r.pool,
    node: r.node,
    container: r.container,
    identity: r.identity ?? null,
    virtualDirectoryName: r.result.virtualDirectoryName,
    numberOfFilesUploaded: r.result.numberOfFilesUploaded,
    files: r.files.map((f) => ({ name: relative(r, f.name), blob: f.name, size: f.size })),
    signatures: r.signatures.map((g) => ({
      file: 'agent-debug.log',
      line: g.match.line + 1,
      lastLine: g.lastLine + 1,
      count: g.count,
      signature: g.match.signature,
      rule: g.match.rule,
      severity: g.match.severity,
      explanation: g.match.explanation,
      explains: g.match.signature === r.explaining?.match.signature,
    })),
  };
}
