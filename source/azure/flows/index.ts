/** The guided flows' engine: what the flow screens use (see runner.ts). */
export { FlowRunner } from './runner.js';
export { callerFromCredential } from './caller.js';
export { readFlowState, identitiesNamed } from './read.js';
export { checkPlanPermissions } from './permissions.js';
export type {
  ApplyOptions,
  AuditSink,
  FlowCaller,
  FlowProgress,
  FlowRunnerOptions,
  PlannedFlow,
  VerifyResult,
} from './types.js';
