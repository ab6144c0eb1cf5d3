/**
 * The token check's engine (SPEC §5): where tokens come from and what IMDS's refusals mean, the
 * four steps as pure evaluations, and the orchestration over injected ports.
 */
export {
  runTokenCheck,
  type IdentityRecord,
  type TokenCheckInput,
  type TokenCheckPorts,
  type TokenCheckReport,
} from './check.js';
export {
  IMDS_HOST,
  STORAGE_RESOURCE,
  classifyImdsFailure,
  explainImdsFailure,
  imdsDescriptionFromSdk,
  nodeTokenCommand,
  type ImdsFailure,
  type ImdsFailureKind,
  type ImdsSelector,
} from './imds.js';
export {
  STEP_TITLES,
  checkPassed,
  describeSource,
  evaluateAcquire,
  evaluateClaims,
  type AcquireOutcome,
  type Expectation,
  type StepName,
  type StepResult,
  type StepStatus,
  type TokenSource,
} from './steps.js';
export {
  evaluateRbac,
  evaluateStorage,
  type RoleData,
  type StorageContext,
  type StorageProbe,
} from './storage-steps.js';
export {
  describeTarget,
  parseStorageUrl,
  redactUrl,
  targetScope,
  type StorageTarget,
} from './storage-url.js';
