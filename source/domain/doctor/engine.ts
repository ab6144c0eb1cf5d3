/**
 * Runs the rules over a snapshot. Configuration rules first, then the symptom rules that stay
 * quiet when a configuration rule already explains what the nodes show (MI018, MI028). Every run
 * starts from the snapshot alone: nothing is cached between runs, so a fix made through ARM
 * shows in the next run.
 */
import { DoctorContext } from './context.js';
import type { Rule } from './rule.js';
import { MI001, MI002, MI003 } from './rules-autostorage.js';
import { MI004, MI005 } from './rules-reference.js';
import { MI017 } from './rules-storage.js';
import { MI019, MI020, MI021 } from './rules-cmk.js';
import { MI007, MI008, MI009, MI010, MI024 } from './rules-pool.js';
import { MI006, MI018, MI028 } from './rules-symptoms.js';
import {
  SEVERITIES,
  type DoctorReport,
  type Finding,
  type NotChecked,
  type RuleId,
  type Severity,
  type Snapshot,
} from './types.js';

/** In evaluation order. MI027 is not here: it needs a token (see token.ts). */
export const RULES: readonly Rule[] = [
  MI001,
  MI002,
  MI003,
  MI004,
  MI005,
  MI007,
  MI008,
  MI009,
  MI010,
  MI017,
  MI019,
  MI020,
  MI021,
  MI024,
  MI006,
  MI018,
  MI028,
];

/** Every rule id with its severity and title, MI027 included (for help text and the README). */
type CatalogueEntry = { id: RuleId; severity: Severity; title: string };
export const RULE_CATALOGUE: readonly CatalogueEntry[] = [
  ...RULES.map(({ id, severity, title }): CatalogueEntry => ({ id, severity, title })),
  {
    id: 'MI027',
    severity: 'error',
    title: "A checked token's claims do not match the pool identity",
  } satisfies CatalogueEntry,
].sort((a, b) => a.id.localeCompare(b.id));

/** Rules judged per pool: all of them are not checked when an account's pools cannot be listed. */
const POOL_RULES: RuleId[] = [
  'MI003',
  'MI004',
  'MI005',
  'MI007',
  'MI008',
  'MI009',
  'MI010',
  'MI017',
  'MI018',
  'MI024',
  'MI028',
];

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

export function compareFindings(a: Finding, b: Finding): number {
  return (
    rank(a.severity) - rank(b.severity) ||
    a.resourceName.localeCompare(b.resourceName) ||
    a.rule.localeCompare(b.rule)
  );
}

/** One entry per resource and reason, naming every rule it kept from running. */
function mergeNotChecked(entries: NotChecked[]): NotChecked[] {
  const merged = new Map<string, NotChecked>();
  for (const e of entries) {
    const key = `${e.resource.toLowerCase()}\n${e.reason}`;
    const existing = merged.get(key);
    if (existing) existing.rules = [...new Set([...existing.rules, ...e.rules])].sort();
    else merged.set(key, { ...e, rules: [...e.rules].sort() });
  }
  return [...merged.values()].sort((a, b) => a.resource.localeCompare(b.resource));
}

export function runDoctor(snapshot: Snapshot): DoctorReport {
  const ctx = new DoctorContext(snapshot);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  for (const r of RULES) {
    const out = r.check(ctx, findings);
    findings.push(...out.findings);
    notChecked.push(...out.notChecked);
  }
  for (const { account } of snapshot.accounts.filter((a) => !a.pools)) {
    const gap = ctx.gap('pools', account.id);
    notChecked.push({
      rules: POOL_RULES,
      resource: account.id,
      reason: gap?.reason ?? 'its pools were not listed',
    });
  }
  return {
    scope: snapshot.scope,
    checkedAt: snapshot.now,
    findings: findings.sort(compareFindings),
    notChecked: mergeNotChecked(notChecked),
  };
}

/** Exit code of `batch-mi-tui doctor` (SPEC §2): 1 when a finding is an error or critical. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' || f.severity === 'critical');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Worst severity per resource (ARM id, lower case): the health column of the accounts and pools screens. */
export function healthByResource(findings: readonly Finding[]): Map<string, Severity> {
  const health = new Map<string, Severity>();
  for (const f of findings) {
    const key = f.resource.toLowerCase();
    const current = health.get(key);
    if (current === undefined || rank(f.severity) < rank(current)) health.set(key, f.severity);
  }
  return health;
}

/** Findings grouped by severity, then by resource, in report order (the doctor screen and the command). */
export function groupFindings(findings: readonly Finding[]): Array<{
  severity: Severity;
  resources: Array<{ resource: string; resourceName: string; findings: Finding[] }>;
}> {
  const groups: ReturnType<typeof groupFindings> = [];
  for (const f of [...findings].sort(compareFindings)) {
    let group = groups.find((g) => g.severity === f.severity);
    if (!group) groups.push((group = { severity: f.severity, resources: [] }));
    let resource = group.resources.find(
      (r) => r.resource.toLowerCase() === f.resource.toLowerCase(),
    );
    if (!resource)
      group.resources.push(
        (resource = { resource: f.resource, resourceName: f.resourceName, findings: [] }),
      );
    resource.findings.push(f);
  }
  return groups;
}
