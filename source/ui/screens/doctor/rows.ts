/**
 * The Doctor screen's list: findings grouped by severity, then by resource (the order of
 * `groupFindings`, which the command prints too), then what could not be checked and why. Only
 * findings and not-checked entries are selectable; the group rows are headings. Pure.
 */
import { groupFindings } from '../../../domain/doctor/engine.js';
import type { DoctorReport, Finding, NotChecked, Severity } from '../../../domain/doctor/types.js';
import { matchesFilter, parseFilter } from '../../filter.js';

export type DoctorRow =
  | { kind: 'severity'; key: string; severity: Severity; count: number }
  | { kind: 'resource'; key: string; resource: string; resourceName: string }
  | { kind: 'finding'; key: string; finding: Finding }
  | { kind: 'notCheckedHeading'; key: string; count: number }
  | { kind: 'notChecked'; key: string; entry: NotChecked };

export type Selectable = Extract<DoctorRow, { kind: 'finding' | 'notChecked' }>;

export interface DoctorList {
  rows: DoctorRow[];
  /** Keys of the selectable rows, in order. */
  keys: string[];
  /** Where each selectable row is among `rows`. */
  positions: number[];
  /** Findings and not-checked entries the filter hid. */
  hidden: number;
}

/** A finding's key: stable from one run to the next, so the selection stays on it after `r`. */
export function findingKey(finding: Finding, occurrence = 0): string {
  const base = `${finding.rule}|${finding.resource.toLowerCase()}`;
  return occurrence === 0 ? base : `${base}|${occurrence}`;
}

export function notCheckedKey(entry: NotChecked): string {
  return `not-checked|${entry.resource.toLowerCase()}|${entry.rules.join(',')}`;
}

/** What `/` matches a finding on: its severity, rule, resource and symptom. */
export function findingText(finding: Finding): string {
  return [
    finding.severity,
    finding.rule,
    finding.resourceName,
    finding.symptom,
    finding.fix.flow ?? '',
  ].join(' ');
}

export function notCheckedText(entry: NotChecked): string {
  return ['not checked', ...entry.rules, entry.resource, entry.reason].join(' ');
}

export function doctorList(report: DoctorReport | undefined, filter = ''): DoctorList {
  const list: DoctorList = { rows: [], keys: [], positions: [], hidden: 0 };
  if (report === undefined) return list;
  const filtering = parseFilter(filter).needle !== '';
  const keep = (text: string) => !filtering || matchesFilter(text, filter);
  const select = (row: Selectable) => {
    list.keys.push(row.key);
    list.positions.push(list.rows.length);
    list.rows.push(row);
  };
  const seen = new Map<string, number>();
  for (const group of groupFindings(report.findings)) {
    const resources = group.resources
      .map((r) => ({ ...r, shown: r.findings.filter((f) => keep(findingText(f))) }))
      .filter((r) => r.shown.length > 0);
    const total = group.resources.reduce((n, r) => n + r.findings.length, 0);
    const shown = resources.reduce((n, r) => n + r.shown.length, 0);
    list.hidden += total - shown;
    if (shown === 0) continue;
    list.rows.push({
      kind: 'severity',
      key: `severity|${group.severity}`,
      severity: group.severity,
      count: shown,
    });
    for (const r of resources) {
      list.rows.push({
        kind: 'resource',
        key: `resource|${group.severity}|${r.resource.toLowerCase()}`,
        resource: r.resource,
        resourceName: r.resourceName,
      });
      for (const finding of r.shown) {
        const base = findingKey(finding);
        const occurrence = seen.get(base) ?? 0;
        seen.set(base, occurrence + 1);
        select({ kind: 'finding', key: findingKey(finding, occurrence), finding });
      }
    }
  }
  const gaps = report.notChecked.filter((entry) => keep(notCheckedText(entry)));
  list.hidden += report.notChecked.length - gaps.length;
  if (gaps.length > 0) {
    list.rows.push({ kind: 'notCheckedHeading', key: 'not-checked', count: gaps.length });
    for (const entry of gaps) select({ kind: 'notChecked', key: notCheckedKey(entry), entry });
  }
  return list;
}

/** The selectable row with `key`, if the list still has it. */
export function selectableOf(list: DoctorList, key: string | undefined): Selectable | undefined {
  if (key === undefined) return undefined;
  const at = list.keys.indexOf(key);
  const row = at < 0 ? undefined : list.rows[list.positions[at] ?? -1];
  return row?.kind === 'finding' || row?.kind === 'notChecked' ? row : undefined;
}
