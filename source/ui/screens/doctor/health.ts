/**
 * The health column of Accounts and Pools (SPEC §3.1, §3.3): the doctor's worst severity per
 * resource (`healthByResource`). A pool shows its own; an account shows the worst of its own and
 * its pools', since an account whose pools cannot start is not healthy. Pure.
 */
import { healthByResource } from '../../../domain/doctor/engine.js';
import type { DoctorReport, Severity } from '../../../domain/doctor/types.js';
import { SEVERITIES } from '../../../domain/doctor/types.js';
import { describeProblem } from '../../problem.js';
import type { Column } from '../../table/layout.js';
import type { Theme } from '../../theme.js';
import { severityColour, severitySymbol } from '../../theme.js';

export interface HealthIndex {
  /** healthByResource of the report: worst severity per ARM id (lower case). */
  worst: ReadonlyMap<string, Severity>;
  /** Resources (lower case) some rule could not be run for. */
  unchecked: ReadonlySet<string>;
}

/** What the column shows for a row: not known yet, the doctor could not run, or its verdict. */
export type Health =
  | { kind: 'pending' }
  | { kind: 'failed' }
  | { kind: 'checked'; severity: Severity | undefined; unchecked: boolean };

export function healthIndex(report: DoctorReport): HealthIndex {
  return {
    worst: healthByResource(report.findings),
    unchecked: new Set(report.notChecked.map((n) => n.resource.toLowerCase())),
  };
}

const rank = (s: Severity | undefined): number =>
  s === undefined ? SEVERITIES.length : SEVERITIES.indexOf(s);

/** A resource's health; with `withPools`, the worst over the account and its pools. */
export function healthOf(
  index: HealthIndex | 'failed' | undefined,
  resourceId: string,
  withPools = false,
): Health {
  if (index === undefined) return { kind: 'pending' };
  if (index === 'failed') return { kind: 'failed' };
  const id = resourceId.toLowerCase();
  const under = `${id}/pools/`;
  const covers = (key: string) => key === id || (withPools && key.startsWith(under));
  let severity: Severity | undefined;
  for (const [key, s] of index.worst) {
    if (covers(key) && rank(s) < rank(severity)) severity = s;
  }
  let unchecked = false;
  for (const key of index.unchecked) if (covers(key)) unchecked = true;
  return { kind: 'checked', severity, unchecked };
}

/** ✓ ⚠ ✗ (· for info), … while the doctor runs, ? when it could not, – when not fully checked. */
export function healthText(health: Health, symbols: Theme['symbols']): string {
  switch (health.kind) {
    case 'pending':
      return symbols.ellipsis;
    case 'failed':
      return '?';
    case 'checked':
      if (health.severity !== undefined) return severitySymbol({ symbols }, health.severity);
      return health.unchecked ? symbols.skipped : symbols.ok;
  }
}

export function healthColour(health: Health, theme: Theme): string | undefined {
  if (health.kind !== 'checked') return theme.colours.muted;
  if (health.severity !== undefined) return severityColour(theme, health.severity);
  return health.unchecked ? theme.colours.muted : theme.colours.ok;
}

/** The column, for a table whose rows are the resources `idOf` names. */
export function healthColumn<T>(
  index: HealthIndex | 'failed' | undefined,
  idOf: (row: T) => string,
  symbols: Theme['symbols'],
  withPools = false,
): Column<T> {
  const of = (row: T) => healthOf(index, idOf(row), withPools);
  return {
    id: 'health',
    title: 'health',
    min: 6,
    text: (row) => healthText(of(row), symbols),
    // Worst first when sorted: critical, error, warning, info, healthy, then not known.
    sortKey: (row) => {
      const h = of(row);
      return h.kind === 'checked' ? rank(h.severity) + (h.unchecked ? 0.5 : 0) : 10;
    },
    colour: (row, theme) => healthColour(of(row), theme),
  };
}

/** Said after a table's summary when its health column could not be filled. */
export function healthNote(error: unknown): string {
  return error === undefined ? '' : ` (health unknown: ${describeProblem(error).text})`;
}
