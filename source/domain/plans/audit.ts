/**
 * One audit line per change a flow makes (issue 7): what, where, when, by whom. Built from the
 * plan's own data (ARM ids, role names, identity names) and the caller's token claims (object
 * id and a display label) — never a token, key or secret. `scrub` is a last guard all the same.
 */
import { lastSegment } from '../model.js';
import type { StepResult } from './report.js';
import type { Change, FlowId } from './types.js';

export interface AuditActor {
  /** Token `oid`. */
  objectId?: string;
  /** upn, or `app <appid>`: principalLabel of the token's claims. */
  label: string;
  tenantId?: string;
}

export interface AuditEntry {
  /** ISO time on this machine's clock, when the step ended. */
  at: string;
  by: AuditActor;
  flow: FlowId;
  stepId: string;
  kind: string;
  /** What, one line (the step's title). */
  what: string;
  /** Where: the ARM id changed. */
  target: string;
  changes: Change[];
  outcome: 'applied' | 'already-held' | 'failed';
  detail?: string;
  error?: string;
  /** Azure's request id, for support. */
  requestId?: string;
}

/** A JWT, a SAS signature or an account key: none belongs in an audit file. */
const SECRET = /(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*)|(sig=[^&\s]+)|([A-Za-z0-9+/]{80,}={0,2})/g;

export function scrub(text: string): string {
  return text.replace(SECRET, '[redacted]');
}

export function auditEntry(
  result: StepResult,
  flow: FlowId,
  by: AuditActor,
  at: Date,
): AuditEntry | undefined {
  if (result.status !== 'applied' && result.status !== 'already-held' && result.status !== 'failed')
    return undefined;
  const { step } = result;
  return {
    at: at.toISOString(),
    by,
    flow,
    stepId: step.id,
    kind: step.kind,
    what: scrub(step.title),
    target: step.target,
    changes: step.changes.map((c) => ({
      path: c.path,
      before: c.before,
      after: c.after,
    })),
    outcome: result.status,
    ...(result.detail ? { detail: scrub(result.detail) } : {}),
    ...(result.error ? { error: scrub(result.error.message) } : {}),
    ...(result.error?.requestId ? { requestId: result.error.requestId } : {}),
  };
}

const show = (v: Change['before']): string =>
  v === null ? '∅' : Array.isArray(v) ? `[${v.join(', ')}]` : v;

/** One line per entry, for the audit viewer. */
export function formatAuditEntry(e: AuditEntry): string {
  const changes = e.changes
    .map((c) => `${c.path}: ${show(c.before)} → ${show(c.after)}`)
    .join('; ');
  const tail = e.error ? ` — ${e.error}` : e.detail ? ` (${e.detail})` : '';
  return `${e.at} ${e.by.label} ${e.outcome} ${e.what} on ${lastSegment(e.target)}${changes ? ` [${changes}]` : ''}${tail}`;
}
