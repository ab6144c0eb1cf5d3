/**
 * The apply checklist: one line per step, moved along by the runner's progress events. Pure.
 */
import { describeRetry } from '../../../azure/retry.js';
import type { FlowProgress } from '../../../azure/flows/index.js';
import type { StepStatus } from '../../../domain/plans/index.js';

export type LineStatus = 'pending' | 'running' | 'waiting' | StepStatus;

/** One step's line in the checklist while applying. */
export interface StepLine {
  status: LineStatus;
  note?: string;
}

/** A runner progress event folded into the checklist. */
export function foldProgress(lines: readonly StepLine[], event: FlowProgress): StepLine[] {
  if (event.type === 'checking-permissions') return [...lines];
  const next = [...lines];
  switch (event.type) {
    case 'step-started':
      next[event.index] = { status: 'running' };
      break;
    case 'step-waiting':
      next[event.index] = { status: 'waiting', note: event.message };
      break;
    case 'retry':
      next[event.index] = {
        status: next[event.index]?.status ?? 'running',
        note: describeRetry(event.event),
      };
      break;
    case 'step-done': {
      const { result } = event;
      const note = result.error?.message ?? result.detail;
      next[event.index] = { status: result.status, ...(note ? { note } : {}) };
      break;
    }
  }
  return next;
}
