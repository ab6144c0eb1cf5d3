/**
 * How `validate-token` prints: one line per step as it completes (✓ green, ✗ red, – skipped, no
 * colour under NO_COLOR or in a pipe), each failure followed by its reason and fix; or, with
 * --json, one document. Neither ever holds the token: only its first 8 characters.
 *
 * Also the --debug file both logs-and-token commands append to: what happened, never a secret.
 */
import fs from 'node:fs';
import { inspect } from 'node:util';
import type { ClaimCheck } from '../domain/doctor/token.js';
import type { TokenCheckReport } from '../domain/token/check.js';
import { STEP_TITLES, type StepResult } from '../domain/token/steps.js';

const SGR = { green: 32, red: 31, yellow: 33, dim: 2 } as const;

export type Paint = (text: string, colour: keyof typeof SGR) => string;

export const painter = (colour: boolean): Paint =>
  colour ? (text, c) => `\u001b[${SGR[c]}m${text}\u001b[0m` : (text) => text;

const ORDER = ['acquire', 'claims', 'storage', 'rbac'] as const;

const FLOW_NAMES = {
  'autostorage-mi': 'autostorage with managed identity',
  'pool-identity': 'attach a user-assigned identity to a pool',
  'account-identity': 'account identity',
} as const;

function claimLine(c: ClaimCheck, paint: Paint): string {
  const mark = c.ok ? paint('✓', 'green') : paint('✗', 'red');
  return `      ${mark} ${c.claim.padEnd(9)} ${c.actual ?? '(absent)'}${c.ok ? '' : `  (expected ${c.expected})`}`;
}

/** A step as printed: its line, then why / fix / rule lines for a failure or a skip. */
export function formatStep(step: StepResult, paint: Paint): string[] {
  const n = ORDER.indexOf(step.step) + 1;
  const mark =
    step.status === 'pass'
      ? paint('✓', 'green')
      : step.status === 'fail'
        ? paint('✗', 'red')
        : paint('–', 'yellow');
  const lines = [`${mark} ${n} ${STEP_TITLES[step.step]}: ${step.summary}`];
  if (step.status === 'fail' && step.claims)
    lines.push(...step.claims.map((c) => claimLine(c, paint)));
  if (step.reason)
    lines.push(`    ${step.status === 'skipped' ? 'skipped' : 'why'}: ${step.reason}`);
  if (step.fix) lines.push(`    fix: ${step.fix}`);
  const refs = [
    step.rule ? `rule ${step.rule}` : undefined,
    step.flow ? `in the program: the "${FLOW_NAMES[step.flow]}" flow` : undefined,
  ].filter(Boolean);
  if (refs.length && step.status === 'fail') lines.push(`    ${refs.join(' · ')}`);
  return lines;
}

export function formatHeader(source: string, storageUrl: string): string {
  return `Token check: can ${source} read ${storageUrl}?`;
}

export function formatFooter(report: TokenCheckReport, paint: Paint): string[] {
  const failed = report.steps.filter((s) => s.status === 'fail').length;
  return [
    '',
    report.passed
      ? paint('All checks passed.', 'green')
      : paint(`${failed} check${failed === 1 ? '' : 's'} failed.`, 'red'),
    '',
    'To check a pool identity as its nodes get it, run this on a node and pass the file with --token-file:',
    `  ${report.nodeCommand}`,
  ];
}

/** The --json document (issue 6): steps, the claims (not secret) and what they were compared with. */
export function reportJson(report: TokenCheckReport) {
  return {
    storageUrl: report.storageUrl,
    source: report.source,
    token: report.token ?? null,
    passed: report.passed,
    steps: report.steps.map((s) => ({
      step: s.step,
      title: STEP_TITLES[s.step],
      status: s.status,
      summary: s.summary,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.fix ? { fix: s.fix } : {}),
      ...(s.rule ? { rule: s.rule } : {}),
      ...(s.flow ? { flow: s.flow } : {}),
      ...(s.claims ? { claimChecks: s.claims } : {}),
    })),
    claims: report.claims ?? null,
    expected: report.expectation
      ? { ...report.expectation.identity, basis: report.expectation.basis }
      : null,
    nodeCommand: report.nodeCommand,
  };
}

/**
 * Appends a record to the --debug file (a file, or a directory to create one in). Callers pass
 * only what is safe to keep: reports without tokens, and errors, whose SDK request dumps the
 * Azure SDK already sanitises (Authorization and SAS signatures are REDACTED).
 */
export function appendDebug(target: string | undefined, what: string, details: unknown): void {
  if (!target) return;
  try {
    let file = target;
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory())
      file = `${file}/batch-mi-tui-${new Date().toISOString().replaceAll(':', '-')}-${process.pid}.log`;
    const text =
      typeof details === 'string' ? details : inspect(details, { depth: 6, colors: false });
    fs.appendFileSync(file, `${new Date().toISOString()} ${what}\n${text}\n\n`, { mode: 0o600 });
  } catch {
    // A debug file that cannot be written must not fail the command.
  }
}

/**
 * Removes what must never be kept: JWTs (kept to their first 8 characters, as everywhere) and
 * SAS signatures. A safety net under the rule that secrets are not passed to outputs at all.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(
      /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g,
      (jwt) => `${jwt.slice(0, 8)}…`,
    )
    .replace(/([?&]sig=)[^&\s"'<>]+/gi, '$1REDACTED');
}
