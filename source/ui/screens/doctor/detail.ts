/**
 * One finding in full (Enter on Doctor): the symptom, the evidence (property → value), and the
 * fix: the in-app flow, then the `az` command shown whole. Pure.
 *
 * The command is printed for selecting by hand: its rows start at the first column and hold
 * nothing but the command, cut every `width` characters with no indent, border, padding or
 * continuation mark, so what a mouse selects across them is the command (the terminal may put
 * line breaks between rows; `c` copies it exactly, with OSC 52). A row never ends in a space:
 * terminals (and Ink) drop trailing blanks, so a space at a cut starts the next row instead.
 */
import type { EvidenceValue, Finding, FixFlow, NotChecked } from '../../../domain/doctor/types.js';
import { wrapped } from '../../components/text-rows.js';
import type { TextRow } from '../../components/text-rows.js';
import type { Theme } from '../../theme.js';
import { severitySymbol } from '../../theme.js';

/** The guided flows of SPEC §4.2, in the words the Flows screen will use. */
export const FLOW_NAMES: Record<FixFlow, string> = {
  'pool-identity': 'attach a user-assigned identity to a pool',
  'autostorage-mi': 'autostorage with managed identity',
  'account-identity': 'account identity',
};

/** Said under the flow's name when `f` opens it from this finding. */
export const FLOW_KEY_HINT = 'press f to fix with the guided flow';

/** Said instead when the finding names nothing the last snapshot holds (the run is older). */
export const FLOW_FROM_FLOWS = 'r runs the doctor again; :flows starts the flow by hand';

/** Says where the command starts; the rows after it are the command alone. */
export const COMMAND_HEADING = 'az command (c copies it; the rows below are all of it):';

/**
 * `text` cut into rows of `width` characters (fewer where a cut would leave a row ending in a
 * space), nothing added: the rows joined are the text.
 */
export function commandRows(text: string, width: number): string[] {
  if (width <= 0) return [];
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    const chars = [...line];
    if (chars.length === 0) rows.push('');
    let i = 0;
    while (i < chars.length) {
      let end = Math.min(chars.length, i + width);
      while (end < chars.length && end - 1 > i && /\s/.test(chars[end - 1] ?? '')) end--;
      rows.push(chars.slice(i, end).join(''));
      i = end;
    }
  }
  return rows;
}

export function evidenceText(value: EvidenceValue): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return value === null ? '(none)' : String(value);
}

/**
 * `flowOpens`: whether `f` can open the finding's flow from the last run's snapshot (the screen
 * asks flowStartForFinding); when it cannot, the rows say how else to get there.
 */
export function findingDetailRows(
  finding: Finding,
  width: number,
  theme: Pick<Theme, 'symbols' | 'unicode'>,
  flowOpens = true,
): TextRow[] {
  const arrow = theme.unicode ? '→' : '->';
  const tone: TextRow['tone'] =
    finding.severity === 'warning' ? 'warning' : finding.severity === 'info' ? undefined : 'error';
  // The panel's title names the rule and the resource; the first row says how bad and what.
  const rows: TextRow[] = [
    ...wrapped(
      `${severitySymbol(theme, finding.severity)} ${finding.severity.toUpperCase()}: ${finding.symptom}`,
      width,
      0,
      tone,
    ),
    { text: '' },
    { text: 'Evidence' },
  ];
  const evidence = Object.entries(finding.evidence);
  if (evidence.length === 0) rows.push({ text: '  (none recorded)', tone: 'muted' });
  for (const [property, value] of evidence) {
    rows.push(...wrapped(`${property} ${arrow} ${evidenceText(value)}`, width, 2));
  }
  rows.push({ text: '' }, { text: 'Fix' });
  if (finding.fix.flow !== undefined) {
    rows.push(
      ...wrapped(`in the program: the "${FLOW_NAMES[finding.fix.flow]}" flow`, width, 2),
      ...wrapped(`(${flowOpens ? FLOW_KEY_HINT : FLOW_FROM_FLOWS})`, width, 4, 'muted'),
    );
  }
  rows.push(...wrapped(COMMAND_HEADING, width, 0, 'muted'));
  rows.push(...commandRows(finding.fix.az, width).map((text) => ({ text })));
  if (finding.fix.note !== undefined) {
    rows.push({ text: '' }, ...wrapped(`then: ${finding.fix.note}`, width, 2));
  }
  rows.push({ text: '' }, ...wrapped(`resource ${finding.resource}`, width, 0, 'muted'));
  return rows;
}

export function notCheckedDetailRows(
  entry: NotChecked,
  width: number,
  theme: Pick<Theme, 'symbols'>,
): TextRow[] {
  return [
    ...wrapped(
      `${theme.symbols.skipped} NOT CHECKED  ${entry.rules.join(', ')}`,
      width,
      0,
      'warning',
    ),
    ...wrapped(entry.resource, width, 0, 'muted'),
    { text: '' },
    { text: 'Why' },
    ...wrapped(entry.reason, width, 2),
    { text: '' },
    ...wrapped(
      'These rules were not run for this resource: the doctor does not guess without the data. Once it can be read (e.g. a role that grants read on it), r runs the doctor again.',
      width,
      0,
      'muted',
    ),
  ];
}
