/**
 * The flow runner's contract with the screens: what it needs (a collector whose gateways make
 * the writes, who the caller is, where audit lines go) and what it reports while it works.
 */
import type { Snapshot } from '../../domain/doctor/types.js';
import type {
  AuditActor,
  AuditEntry,
  Plan,
  PlanResult,
  PlanStep,
  StepResult,
  Verifier,
  VerifierResult,
} from '../../domain/plans/index.js';
import type { RoleAssignmentInfo } from '../../domain/model.js';
import type { SnapshotCollector } from '../collector.js';
import type { RetryEvent } from '../retry.js';

/** Who applies the changes, from the token's claims (never the token itself). */
export type FlowCaller = AuditActor;

/** Where audit lines go (flows-audit.ts writes them to a local file). */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

export interface FlowRunnerOptions {
  /** Reads the state; its gateways (and their read-only switch) make the writes. */
  collector: SnapshotCollector;
  caller: FlowCaller;
  audit?: AuditSink;
  /**
   * The same switch the gateways were given. Checked before anything is sent: in read-only mode
   * apply reports "nothing applied" without calling Azure (the gateways refuse writes as well).
   */
  readOnly?: boolean | (() => boolean);
  /** The clock Azure's timestamps use (the sandbox's in tests). Default: this machine's. */
  now?: () => Date;
  /** Waits between polls of a resizing pool, and for role propagation. Default: real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Resize polling: every `pollMs` (default 15 s), giving up after `timeoutMs` (default 30 min). */
  resize?: { pollMs?: number; timeoutMs?: number };
  /** How long a new role assignment may take to work (default: the documented 10 minutes). */
  propagationMs?: number;
  /** Judges the re-read state after applying (default: the doctor). */
  verifier?: Verifier;
}

export type FlowProgress =
  | { type: 'checking-permissions' }
  | { type: 'step-started'; index: number; total: number; step: PlanStep }
  /** A long wait inside a step: a pool resizing, a role assignment propagating. */
  | { type: 'step-waiting'; index: number; step: PlanStep; message: string }
  | { type: 'step-done'; index: number; result: StepResult }
  | { type: 'retry'; index: number; event: RetryEvent };

export interface ApplyOptions {
  /**
   * Optional steps (the resizes) the operator confirmed: true for all, or their ids. Default:
   * none — an optional step never runs without its own confirmation.
   */
  confirmed?: boolean | readonly string[];
  onProgress?: (event: FlowProgress) => void;
  signal?: AbortSignal;
  /** 'enforce' (default): a missing permission stops the flow before any write. */
  permissionCheck?: 'enforce' | 'skip';
}

export interface PlannedFlow {
  snapshot: Snapshot;
  result: PlanResult;
}

export interface VerifyResult {
  snapshot: Snapshot;
  verdict: VerifierResult;
  /** The plan made again from the re-read state: empty once everything holds. */
  remaining: PlanResult;
  /** Role assignments younger than the propagation time, and when to re-check. */
  propagation: { assignments: RoleAssignmentInfo[]; recheckAt?: Date };
  /** The verifier is satisfied and no required step is left. */
  ok: boolean;
  summary: string;
}

export type { Plan };
