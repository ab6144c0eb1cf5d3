/**
 * What the flows need beyond the browsing screens' gateways: a FlowRunner over a collector whose
 * gateways carry the read-only switch (the gateways refuse writes themselves, SPEC §7), who is
 * signed in (the permission pre-check and the audit lines name them), and where audit lines go.
 */
import type { GatewayClients, Gateways } from '../../../azure/index.js';
import { createCollector } from '../../../azure/index.js';
import { FlowRunner } from '../../../azure/flows/index.js';
import type { FlowCaller, FlowRunnerOptions } from '../../../azure/flows/index.js';
import { AuditLog } from '../../../flows-audit.js';

export interface FlowServices {
  /** Who is signed in, from the token's claims (never the token): see callerFromCredential. */
  caller?: (signal?: AbortSignal) => Promise<FlowCaller>;
  /** Where applied changes are recorded (default: audit.jsonl in the config directory). */
  audit?: AuditLog;
  /** Runner settings: the clock and waits a sandbox in tests runs on. */
  runner?: Pick<FlowRunnerOptions, 'now' | 'sleep' | 'resize' | 'propagationMs'>;
}

/** The part of a ready session the flows build on (session.ts: Connection 'ready'). */
export interface FlowConnection {
  gateways: Gateways;
  services: { clients: GatewayClients; armEndpoint: string; flows?: FlowServices };
  readOnly: boolean;
}

const UNKNOWN_CALLER: FlowCaller = { label: 'unknown principal' };
const callers = new WeakMap<object, Promise<FlowCaller>>();
const audits = new WeakMap<object, AuditLog>();

/** Who is signed in, asked once per session. */
function callerOf(services: FlowConnection['services']): Promise<FlowCaller> {
  let caller = callers.get(services);
  if (caller === undefined) {
    const ask = services.flows?.caller;
    caller = ask ? ask() : Promise.resolve(UNKNOWN_CALLER);
    // A failed sign-in is asked again next time rather than remembered.
    caller.catch(() => callers.delete(services));
    callers.set(services, caller);
  }
  return caller;
}

export function auditLogOf(services: FlowConnection['services']): AuditLog {
  let audit = audits.get(services);
  if (audit === undefined) {
    audit = services.flows?.audit ?? new AuditLog();
    audits.set(services, audit);
  }
  return audit;
}

export type RunnerSource = () => Promise<FlowRunner>;

/** A runner for this connection, made when first needed (asking who is signed in takes a call). */
export function runnerSource(connection: FlowConnection): RunnerSource {
  let runner: Promise<FlowRunner> | undefined;
  return () => {
    runner ??= (async () => {
      const { services, gateways, readOnly } = connection;
      const collector = createCollector(
        services.clients,
        { armEndpoint: services.armEndpoint, subscriptionId: gateways.subscriptionId },
        { readOnly },
      );
      return new FlowRunner({
        collector,
        caller: await callerOf(services),
        audit: auditLogOf(services),
        readOnly,
        ...services.flows?.runner,
      });
    })();
    runner.catch(() => {
      runner = undefined;
    });
    return runner;
  };
}
