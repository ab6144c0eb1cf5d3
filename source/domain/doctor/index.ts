/** The doctor (SPEC §4.1, RULES.md): pure rules over a snapshot of what the Azure APIs return. */
export * from './types.js';
export {
  RULES,
  RULE_CATALOGUE,
  compareFindings,
  countBySeverity,
  groupFindings,
  hasErrors,
  healthByResource,
  runDoctor,
} from './engine.js';
export {
  checkTokenClaims,
  tokenClaimsFinding,
  type ClaimCheck,
  type ExpectedIdentity,
} from './token.js';
export { PROPAGATION_MS } from './context.js';
export { scopeCovers } from './rbac.js';
