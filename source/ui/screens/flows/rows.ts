/**
 * A plan as the operator reads it (SPEC §4.2): each step with why it is there and its diff —
 * every ARM property or role assignment it changes, before (-) and after (+) — the az command
 * that does the same (on `c`), the warnings the documents call for, and the permission
 * pre-check. Pure: rows of text with a tone; the screen colours and scrolls them.
 */
import type {
  Change,
  ChangeValue,
  PermissionCheck,
  Plan,
  PlanStep,
} from '../../../domain/plans/index.js';
import { explainPermissions, isEmptyPlan } from '../../../domain/plans/index.js';
import { wrapText } from '../../components/text-rows.js';
import { clockTime } from '../../format.js';
import type { Theme } from '../../theme.js';
import type { Gate } from './gate.js';
import type { Check } from './state.js';

export type Tone = 'ok' | 'error' | 'warning' | 'muted' | 'accent';

export interface FlowRow {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type Symbols = Theme['symbols'];

/** `text` wrapped to `width`, the first row after `first`, the rest indented to match. */
export function wrapRow(
  text: string,
  width: number,
  first: string,
  tone?: Tone,
  bold?: boolean,
): FlowRow[] {
  const indent = ' '.repeat(first.length);
  return wrapText(text, Math.max(10, width - first.length)).map((line, i) => ({
    text: `${i === 0 ? first : indent}${line}`,
    ...(tone ? { tone } : {}),
    ...(bold ? { bold } : {}),
  }));
}

export function showValue(value: ChangeValue): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return value;
}

function changeRows(change: Change, width: number): FlowRow[] {
  return [
    ...wrapRow(change.path, width, '     ', 'accent'),
    ...wrapRow(showValue(change.before), width, '     - ', 'error'),
    ...wrapRow(showValue(change.after), width, '     + ', 'ok'),
  ];
}

export function stepRows(step: PlanStep, index: number, width: number, showAz: boolean): FlowRow[] {
  const label = `${String(index + 1).padStart(2)}. `;
  const rows: FlowRow[] = [
    ...wrapRow(
      `${step.optional ? '(optional, confirmed on its own) ' : ''}${step.title}`,
      width,
      label,
      undefined,
      true,
    ),
    ...wrapRow(step.reason, width, '     why ', 'muted'),
    ...step.changes.flatMap((c) => changeRows(c, width)),
  ];
  if (showAz) {
    rows.push(...wrapRow(step.az, width, '     $ ', 'muted'));
    if (step.undo) rows.push(...wrapRow(step.undo, width, '     undo $ ', 'muted'));
  }
  return rows;
}

export function planRows(
  plan: Plan,
  options: { width: number; showAz: boolean; origin?: string; symbols: Symbols },
): FlowRow[] {
  const { width, showAz } = options;
  const dot = options.symbols.dot;
  const optional = plan.steps.filter((s) => s.optional).length;
  const read = `read from Azure ${clockTime(plan.basedOn)}`;
  const top: FlowRow[] = [
    ...wrapRow(plan.title, width, '', undefined, true),
    ...(options.origin ? wrapRow(`opened from ${options.origin}`, width, '', 'muted') : []),
  ];
  if (isEmptyPlan(plan))
    return [
      ...top,
      ...wrapRow(
        `Nothing to change: Azure already holds what was asked (${read}). Nothing will be written.`,
        width,
        '',
        'ok',
        true,
      ),
    ];
  const count = `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}${optional ? ` (${optional} optional)` : ''}`;
  return [
    ...top,
    ...wrapRow(
      `${count} ${dot} ${read} ${dot} c ${showAz ? 'hides' : 'shows'} the az commands`,
      width,
      '',
      'muted',
    ),
    ...plan.steps.flatMap((s, i) => stepRows(s, i, width, showAz)),
  ];
}

export function warningRows(plan: Plan, width: number, symbols: Symbols): FlowRow[] {
  if (plan.warnings.length === 0) return [];
  return [
    { text: 'Before you confirm', bold: true },
    ...plan.warnings.flatMap((w) => wrapRow(w.message, width, ` ${symbols.warning} `, 'warning')),
  ];
}

/** The permission pre-check: what you may do, or exactly what is missing and whom to ask. */
export function permissionRows(
  permission: Check<PermissionCheck> | undefined,
  gate: Gate,
  width: number,
  symbols: Symbols,
): FlowRow[] {
  if (permission === undefined) return [];
  const title: FlowRow = { text: 'Permissions', bold: true };
  switch (permission.status) {
    case 'running':
      return [
        title,
        { text: `   Checking your role assignments${symbols.ellipsis}`, tone: 'muted' },
      ];
    case 'failed':
      return [
        title,
        ...wrapRow(
          `Could not check your permissions (${permission.problem.text}); Azure will refuse what you may not do.`,
          width,
          ` ${symbols.warning} `,
          'warning',
        ),
      ];
    case 'done': {
      const check = permission.value;
      if (check.verdict === 'allowed')
        return [
          title,
          ...wrapRow(
            `You (${check.principal}) hold every permission this plan needs.`,
            width,
            ` ${symbols.ok} `,
            'ok',
          ),
        ];
      const lines = explainPermissions(check);
      const tone: Tone = check.verdict === 'denied' ? 'error' : 'warning';
      const mark = check.verdict === 'denied' ? symbols.error : symbols.warning;
      const verdict = gate.refused
        ? 'Apply refused: nothing will be changed until you have these permissions.'
        : gate.withheld.length
          ? `Not offered: ${gate.withheld.map((s) => s.title).join('; ')} (you may not do it).`
          : undefined;
      return [
        title,
        ...lines.flatMap((line) => wrapRow(line, width, ` ${mark} `, tone)),
        ...(verdict ? wrapRow(verdict, width, ` ${mark} `, tone, true) : []),
      ];
    }
  }
}
