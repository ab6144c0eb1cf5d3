/** What a rule is, and the small builder each rule fills. */
import type { DoctorContext } from './context.js';
import type { EvidenceValue, Finding, Fix, NotChecked, RuleId, Severity } from './types.js';

export interface RuleOutput {
  findings: Finding[];
  notChecked: NotChecked[];
}

export interface Rule {
  id: RuleId;
  /** The rule's severity (SPEC §4.1); a finding may be milder when the impact is only possible. */
  severity: Severity;
  /** One line: what the rule checks (for --help and the README). */
  title: string;
  /**
   * `found`: the configuration rules' findings so far. Symptom rules (MI018, MI028) use them to
   * stay quiet when a configuration rule already explains what the nodes show.
   */
  check(ctx: DoctorContext, found: readonly Finding[]): RuleOutput;
}

export interface FindingInput {
  resource: string;
  resourceName: string;
  symptom: string;
  evidence: Record<string, EvidenceValue | undefined>;
  fix: Fix;
  severity?: Severity;
}

/** Collects one rule's output; evidence entries that are undefined are dropped. */
export class Output implements RuleOutput {
  readonly findings: Finding[] = [];
  readonly notChecked: NotChecked[] = [];

  constructor(private readonly rule: Pick<Rule, 'id' | 'severity'>) {}

  find(input: FindingInput): void {
    const evidence: Record<string, EvidenceValue> = {};
    for (const [k, v] of Object.entries(input.evidence)) if (v !== undefined) evidence[k] = v;
    this.findings.push({
      rule: this.rule.id,
      severity: input.severity ?? this.rule.severity,
      resource: input.resource,
      resourceName: input.resourceName,
      symptom: input.symptom,
      evidence,
      fix: input.fix,
    });
  }

  skip(resource: string, reason: string): void {
    this.notChecked.push({ rules: [this.rule.id], resource, reason });
  }
}

/** Declares a rule whose check fills an Output. */
export function rule(
  id: RuleId,
  severity: Severity,
  title: string,
  check: (ctx: DoctorContext, out: Output, found: readonly Finding[]) => void,
): Rule {
  return {
    id,
    severity,
    title,
    check(ctx, found) {
      const out = new Output({ id, severity });
      check(ctx, out, found);
      return out;
    },
  };
}
