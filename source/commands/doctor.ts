/**
 * `batch-mi-tui doctor [--subscription ID] [--account NAME] [--pool ID] [--json]` (SPEC §2,
 * §4.1): collect the snapshot for the scope, run the rules, print the findings. Exit 0 with no
 * error or critical finding, 1 with one, 2 for bad input, sign-in or permission failures.
 * With --json, stdout carries one JSON document and nothing else; messages go to stderr.
 */
import { createCollector } from '../azure/collector.js';
import { countBySeverity, groupFindings, hasErrors, runDoctor } from '../domain/doctor/engine.js';
import type { DoctorReport, Finding, FixFlow, Snapshot } from '../domain/doctor/types.js';
import { DomainError, exitCodeFor } from '../domain/errors.js';
import type { CommonOptions } from '../options.js';

export interface DoctorOptions extends CommonOptions {
  subscription?: string;
  account?: string;
  pool?: string;
  json: boolean;
}

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export function doctorOptions(values: Record<string, string | true>): DoctorOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const options: DoctorOptions = { sandbox: values.sandbox === true, json: values.json === true };
  for (const key of ['cloud', 'debug', 'subscription', 'account', 'pool'] as const) {
    const value = text(key);
    if (value !== undefined) options[key] = value;
  }
  return options;
}

/** The JSON document of `doctor --json` (issue 5). */
export function reportJson(report: DoctorReport) {
  return {
    scope: report.scope,
    checkedAt: report.checkedAt.toISOString(),
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      resource: f.resource,
      resourceName: f.resourceName,
      symptom: f.symptom,
      evidence: f.evidence,
      fix: { flow: f.fix.flow ?? null, az: f.fix.az, ...(f.fix.note ? { note: f.fix.note } : {}) },
    })),
    notChecked: report.notChecked,
  };
}

const FLOW_NAMES: Record<FixFlow, string> = {
  'pool-identity': 'attach a user-assigned identity to a pool',
  'autostorage-mi': 'autostorage with managed identity',
  'account-identity': 'account identity',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function evidenceLines(f: Finding): string[] {
  return Object.entries(f.evidence).map(
    ([k, v]) => `${k} = ${Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : String(v)}`,
  );
}

/** The human report: grouped by severity, then resource; each fix command on a line of its own, whole. */
export function formatReport(report: DoctorReport, snapshot: Pick<Snapshot, 'accounts'>): string {
  const pools = snapshot.accounts.reduce((n, a) => n + (a.pools?.length ?? 0), 0);
  const nodes = snapshot.accounts.reduce(
    (n, a) => n + (a.pools ?? []).reduce((m, p) => m + (p.nodes?.length ?? 0), 0),
    0,
  );
  const where = [
    `subscription ${report.scope.subscriptionId}`,
    report.scope.account && `account ${report.scope.account}`,
    report.scope.pool && `pool ${report.scope.pool}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `Doctor: ${where}`,
    `Checked ${report.checkedAt.toISOString()}: ${plural(snapshot.accounts.length, 'account')}, ${plural(pools, 'pool')}, ${plural(nodes, 'node')}.`,
    '',
  ];
  for (const group of groupFindings(report.findings)) {
    lines.push(
      `${group.severity.toUpperCase()} (${group.resources.reduce((n, r) => n + r.findings.length, 0)})`,
    );
    for (const r of group.resources) {
      lines.push(`  ${r.resourceName}  ${r.resource}`);
      for (const f of r.findings) {
        lines.push(`    ${f.rule}  ${f.symptom}`);
        const evidence = evidenceLines(f);
        evidence.forEach((e, i) => lines.push(`      ${i === 0 ? 'evidence' : '        '}  ${e}`));
        lines.push('      fix:', f.fix.az);
        if (f.fix.note) lines.push(`      then: ${f.fix.note}`);
        if (f.fix.flow)
          lines.push(`      in the program: the "${FLOW_NAMES[f.fix.flow]}" flow (:doctor, Enter)`);
      }
    }
    lines.push('');
  }
  if (!report.findings.length)
    lines.push('No findings: nothing the doctor checks is wrong here.', '');
  if (report.notChecked.length) {
    lines.push(`NOT CHECKED (${report.notChecked.length})`);
    for (const n of report.notChecked)
      lines.push(`  ${n.rules.join(', ')}  ${n.resource}`, `      ${n.reason}`);
    lines.push('');
  }
  const c = countBySeverity(report.findings);
  lines.push(
    `${c.critical} critical, ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info` +
      (report.notChecked.length
        ? `; ${plural(report.notChecked.length, 'resource')} not fully checked.`
        : '.'),
    '',
  );
  return lines.join('\n');
}

/** One sentence, then what to do: never a stack trace. */
function failure(io: CommandIo, error: unknown): number {
  if (error instanceof DomainError) {
    io.stderr.write(
      `batch-mi-tui: ${error.message.replace(/\.$/, '')}. ${error.nextStep.replace(/\.$/, '')}.\n`,
    );
    return exitCodeFor(error);
  }
  io.stderr.write(`batch-mi-tui: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
}

export async function runDoctorCommand(
  values: Record<string, string | true>,
  io: CommandIo = process,
): Promise<number> {
  const options = doctorOptions(values);
  const { connect } = await import('../cloud/connect.js');
  let connection;
  try {
    connection = await connect(options);
  } catch (error) {
    return failure(io, error);
  }
  try {
    const subscriptionId = connection.profile.subscriptionId;
    if (!subscriptionId) {
      io.stderr.write('batch-mi-tui: no subscription is selected; pass --subscription ID.\n');
      return 2;
    }
    const collector = createCollector(connection.clients, {
      armEndpoint: connection.profile.armEndpoint,
      subscriptionId,
    });
    const snapshot = await collector.collect({
      ...(options.account !== undefined ? { account: options.account } : {}),
      ...(options.pool !== undefined ? { pool: options.pool } : {}),
    });
    const report = runDoctor(snapshot);
    io.stdout.write(
      options.json
        ? `${JSON.stringify(reportJson(report), null, 2)}\n`
        : formatReport(report, snapshot),
    );
    return hasErrors(report.findings) ? 1 : 0;
  } catch (error) {
    return failure(io, error);
  } finally {
    await connection.close();
  }
}
