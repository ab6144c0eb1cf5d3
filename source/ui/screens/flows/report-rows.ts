/**
 * Applying and after: a checklist with one line per step (✓ applied, ✗ failed and why in plain
 * words, · not applied, – not confirmed), what to run to finish or undo, and the verification —
 * the doctor's verdict on the re-read state, what is left, and the role-propagation note. Pure.
 */
import type { VerifyResult } from '../../../azure/flows/index.js';
import type { ApplyReport, Plan } from '../../../domain/plans/index.js';
import { clockTime } from '../../format.js';
import type { FlowRow, Symbols, Tone } from './rows.js';
import { wrapRow } from './rows.js';
import type { LineStatus, StepLine } from './progress.js';
import type { Check } from './state.js';

function mark(status: LineStatus, symbols: Symbols): { mark: string; tone?: Tone; words: string } {
  switch (status) {
    case 'applied':
      return { mark: symbols.ok, tone: 'ok', words: 'applied' };
    case 'already-held':
      return { mark: symbols.ok, tone: 'ok', words: 'already held, nothing to do' };
    case 'failed':
      return { mark: symbols.error, tone: 'error', words: 'failed' };
    case 'not-applied':
      return { mark: symbols.dot, tone: 'muted', words: 'not applied' };
    case 'skipped':
      return { mark: symbols.skipped, tone: 'muted', words: 'not applied' };
    case 'pending':
      return { mark: symbols.dot, tone: 'muted', words: 'to do' };
    case 'running':
      return { mark: '>', tone: 'accent', words: `applying${symbols.ellipsis}` };
    case 'waiting':
      return { mark: '>', tone: 'accent', words: 'waiting' };
  }
}

/** One line per step (and its note: the failure, the wait, "not confirmed"). */
export function checklistRows(
  plan: Plan,
  lines: readonly StepLine[],
  width: number,
  symbols: Symbols,
  report?: ApplyReport,
): FlowRow[] {
  return plan.steps.flatMap((step, i) => {
    const line = lines[i] ?? { status: 'pending' };
    const { mark: m, tone, words } = mark(line.status, symbols);
    const result = report?.steps[i];
    const rows = wrapRow(
      `${i + 1}. ${step.title} ${symbols.dash} ${words}`,
      width,
      ` ${m} `,
      tone,
      line.status === 'running' || line.status === 'waiting',
    );
    if (line.note) rows.push(...wrapRow(line.note, width, '      ', tone ?? 'muted'));
    if (result?.error?.nextStep)
      rows.push(...wrapRow(`What to do: ${result.error.nextStep}`, width, '      ', 'muted'));
    return rows;
  });
}

const OUTCOME_TONE: Record<ApplyReport['outcome'], Tone> = {
  completed: 'ok',
  'nothing-to-do': 'ok',
  failed: 'error',
  conflict: 'error',
  denied: 'error',
  'read-only': 'warning',
  aborted: 'warning',
};

export function reportRows(
  plan: Plan,
  report: ApplyReport,
  lines: readonly StepLine[],
  width: number,
  symbols: Symbols,
): FlowRow[] {
  const rows: FlowRow[] = [
    ...wrapRow(report.summary, width, '', OUTCOME_TONE[report.outcome], true),
    ...checklistRows(plan, lines, width, symbols, report),
  ];
  if (report.toFinish.length) {
    rows.push({ text: report.outcome === 'completed' ? 'Left out' : 'To finish', bold: true });
    for (const line of report.toFinish) rows.push(...wrapRow(line, width, '   ', 'muted'));
  }
  const undo = report.steps.filter((s) => s.undo);
  if (undo.length && report.outcome !== 'completed') {
    rows.push({ text: 'To undo what was applied', bold: true });
    for (const s of undo) rows.push(...wrapRow(s.undo ?? '', width, '   $ ', 'muted'));
  }
  for (const problem of report.auditProblems)
    rows.push(...wrapRow(`audit log: ${problem}`, width, ` ${symbols.warning} `, 'warning'));
  return rows;
}

/** The verification: the doctor on the re-read state, what is left, and role propagation. */
export function verifyRows(
  verify: Check<VerifyResult> | undefined,
  width: number,
  symbols: Symbols,
): FlowRow[] {
  if (verify === undefined) return [];
  const title: FlowRow = { text: 'Verification', bold: true };
  if (verify.status === 'running')
    return [
      title,
      {
        text: `   Re-reading Azure and running the doctor${symbols.ellipsis}`,
        tone: 'muted',
      },
    ];
  if (verify.status === 'failed')
    return [
      title,
      ...wrapRow(
        `Could not verify: ${verify.problem.text}. Press r to try again.`,
        width,
        ` ${symbols.error} `,
        'error',
      ),
    ];
  const result = verify.value;
  const rows: FlowRow[] = [
    title,
    ...wrapRow(
      result.summary,
      width,
      ` ${result.ok ? symbols.ok : symbols.error} `,
      result.ok ? 'ok' : 'error',
    ),
  ];
  for (const f of result.verdict.findings) {
    if (f.severity === 'info') continue;
    const bad = f.severity === 'error' || f.severity === 'critical';
    rows.push(
      ...wrapRow(
        `${f.rule} ${f.resourceName}: ${f.symptom}`,
        width,
        `   ${bad ? symbols.error : symbols.warning} `,
        bad ? 'error' : 'warning',
      ),
    );
  }
  if (result.remaining.ok)
    for (const step of result.remaining.plan.steps)
      rows.push(
        ...wrapRow(
          `${step.optional ? 'optional, not done' : 'still to do'}: ${step.title}`,
          width,
          `   ${symbols.dot} `,
          'muted',
        ),
      );
  const { recheckAt } = result.propagation;
  if (recheckAt)
    rows.push(
      ...wrapRow(
        `New role assignments can take up to 10 minutes to take effect: what the nodes see may lag until ${clockTime(recheckAt)}. Press r to re-check.`,
        width,
        ` ${symbols.warning} `,
        'warning',
      ),
    );
  return rows;
}
