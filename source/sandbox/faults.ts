/**
 * Fault injection for reliability tests (SPEC §6): per listener and route, added latency, 429
 * with Retry-After, 500/503, or a dropped connection. Tests drive it through `sandbox.faults`;
 * the standalone sandbox exposes the same rules on its control route.
 */
import { randomUUID } from 'node:crypto';

export type FaultKind = 'latency' | 'throttle' | 'error' | 'drop';

export interface FaultRule {
  /** 'arm', 'entra', 'imds', 'storage', 'batch'; omitted: every listener. */
  listener?: string;
  /** Tested against `METHOD path?query` (path with leading slashes collapsed). */
  match?: RegExp;
  kind: FaultKind;
  /** latency: delay before the request is handled (also usable with the other kinds). */
  latencyMs?: number;
  /** throttle: the Retry-After seconds (Azure sends whole seconds). */
  retryAfterSeconds?: number;
  /** error: 500 or 503 (default 503). */
  status?: number;
  /** How many requests it hits before it disarms itself; omitted: until removed. */
  times?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  /** How many requests it has hit so far. */
  hits: number;
}

/** What the listener should do with one request. */
export interface FaultDecision {
  delayMs: number;
  /** The terminating fault, if any (throttle, error or drop). */
  fault?: ActiveFault;
}

export class Faults {
  private readonly rules: ActiveFault[] = [];

  /** Adds a rule; returns its id for `remove`. */
  add(rule: FaultRule): string {
    const id = randomUUID();
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  remove(id: string): void {
    const index = this.rules.findIndex((r) => r.id === id);
    if (index >= 0) this.rules.splice(index, 1);
  }

  clear(): void {
    this.rules.length = 0;
  }

  list(): readonly ActiveFault[] {
    return this.rules;
  }

  /**
   * Decides for one request and counts the hit. Latency rules add up; the first matching
   * terminating rule (in the order added) wins.
   */
  decide(listener: string, method: string, pathAndQuery: string): FaultDecision {
    const subject = `${method.toUpperCase()} ${pathAndQuery}`;
    const decision: FaultDecision = { delayMs: 0 };
    for (const rule of [...this.rules]) {
      if (rule.listener !== undefined && rule.listener !== listener) continue;
      if (rule.match && !rule.match.test(subject)) continue;
      if (rule.kind !== 'latency' && decision.fault) continue;
      rule.hits++;
      decision.delayMs += rule.latencyMs ?? 0;
      if (rule.kind !== 'latency') decision.fault = rule;
      if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
    }
    return decision;
  }
}

/** The JSON form the control route accepts: `match` as a string pattern. */
export function ruleFromJson(input: unknown): FaultRule | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = input as Record<string, unknown>;
  const kinds: FaultKind[] = ['latency', 'throttle', 'error', 'drop'];
  if (!kinds.includes(value.kind as FaultKind)) return undefined;
  const num = (key: string): number | undefined =>
    typeof value[key] === 'number' ? value[key] : undefined;
  const rule: FaultRule = { kind: value.kind as FaultKind };
  if (typeof value.listener === 'string') rule.listener = value.listener;
  if (typeof value.match === 'string') rule.match = new RegExp(value.match, 'i');
  const latencyMs = num('latencyMs');
  const retryAfterSeconds = num('retryAfterSeconds');
  const status = num('status');
  const times = num('times');
  if (latencyMs !== undefined) rule.latencyMs = latencyMs;
  if (retryAfterSeconds !== undefined) rule.retryAfterSeconds = retryAfterSeconds;
  if (status !== undefined) rule.status = status;
  if (times !== undefined) rule.times = times;
  return rule;
}
