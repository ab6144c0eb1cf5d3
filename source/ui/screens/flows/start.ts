/**
 * How a guided flow is opened (SPEC §4.2): `i` on a pool, `a` on an account, `:flows`, or a
 * doctor finding whose fix is a flow. Each gives a FlowStart — the flow (or the flows to choose
 * from), what is already known, and what the operator still picks — carried in the route's
 * params, so Esc and the breadcrumb treat a flow like any other screen.
 */
import type { Finding, Snapshot } from '../../../domain/doctor/types.js';
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import { sameResourceId } from '../../../domain/resource-id.js';
import { choicesForFinding } from '../../../domain/plans/index.js';
import type {
  AccountIdentityChoice,
  ChoiceNeed,
  FlowId,
  PoolSize,
} from '../../../domain/plans/index.js';
import type { Session } from '../../session.js';

/** What a picker on the flow screen chooses. */
export type PickKind =
  | 'flow'
  | 'account'
  | 'pool'
  | 'poolIdentity'
  | 'storageAccount'
  | 'nodeIdentity'
  | 'accountIdentity';

/** The operator's choices so far, whatever the flow (see `choicesOf` for each flow's shape). */
export interface Draft {
  accountId?: string;
  /** Flow 1: the pool id. */
  pool?: string;
  /** Flow 1: the user-assigned identity to attach. */
  identityId?: string;
  /** Flow 2. */
  storageAccountId?: string;
  nodeIdentityId?: string;
  /** Flow 2: the identity an account without one gets; flow 3: the account's identity. */
  accountIdentity?: AccountIdentityChoice;
  /** Sizes to restore after a resize stopped half-way (a report's `resume`). */
  restore?: PoolSize[];
}

export interface FlowStart {
  /** The flow; undefined to choose among `offered` first. */
  flow?: FlowId;
  offered?: FlowId[];
  draft: Draft;
  /** The account it is about, when known (picker hints: its identity, its autostorage). */
  account?: BatchAccountSummary;
  pool?: PoolSummary;
  /** What is left to pick, when a finding said so; otherwise derived from the flow and draft. */
  needs?: PickKind[];
  /** Where the flow was opened from, for its first line ("doctor MI004 on batchhealthy/…"). */
  origin?: string;
}

export const ALL_FLOWS: readonly FlowId[] = ['pool-identity', 'autostorage-mi', 'account-identity'];
export const ACCOUNT_FLOWS: readonly FlowId[] = ['autostorage-mi', 'account-identity'];

/** `:flows`: every flow, and the audit log. */
export function flowsListStart(): FlowStart {
  return { offered: [...ALL_FLOWS], draft: {} };
}

/** `i` on a pool: attach a user-assigned identity to it. */
export function poolIdentityStart(account: BatchAccountSummary, pool: PoolSummary): FlowStart {
  return {
    flow: 'pool-identity',
    draft: { accountId: account.id, pool: pool.name },
    account,
    pool,
    origin: `pool ${account.name}/${pool.name}`,
  };
}

/** `a` on an account: autostorage with managed identity, or the account's own identity. */
export function accountFlowStart(account: BatchAccountSummary): FlowStart {
  return {
    offered: [...ACCOUNT_FLOWS],
    draft: { accountId: account.id },
    account,
    origin: `account ${account.name}`,
  };
}

function needOf(flow: FlowId, need: ChoiceNeed): PickKind {
  switch (need) {
    case 'identity':
      return flow === 'pool-identity' ? 'poolIdentity' : 'accountIdentity';
    default:
      return need;
  }
}

/**
 * A doctor finding's flow, with everything the finding determines filled in (the account, the
 * pool, the identity it names) and only the rest left to pick. Undefined when the finding's fix
 * is not a flow, or names nothing the snapshot holds.
 */
export function flowStartForFinding(finding: Finding, snapshot: Snapshot): FlowStart | undefined {
  const suggested = choicesForFinding(finding, snapshot);
  if (!suggested) return undefined;
  const { flow, choices } = suggested;
  const owner = snapshot.accounts.find((a) => sameResourceId(a.account.id, choices.accountId));
  const pool =
    'pool' in choices && typeof choices.pool === 'string'
      ? owner?.pools?.find((p) => p.pool.name === choices.pool)?.pool
      : undefined;
  const draft: Draft = { accountId: choices.accountId };
  if (choices.flow === 'pool-identity') {
    if (choices.pool) draft.pool = choices.pool;
    if (choices.identityId) draft.identityId = choices.identityId;
  } else if (choices.flow === 'autostorage-mi') {
    if (choices.storageAccountId) draft.storageAccountId = choices.storageAccountId;
    if (choices.nodeIdentityId) draft.nodeIdentityId = choices.nodeIdentityId;
    if (choices.accountIdentity) draft.accountIdentity = choices.accountIdentity;
  } else if (choices.identity) {
    draft.accountIdentity = choices.identity;
  }
  return {
    flow,
    draft,
    ...(owner ? { account: owner.account } : {}),
    ...(pool ? { pool } : {}),
    needs: suggested.needs.map((n) => needOf(flow, n)),
    origin: `doctor ${finding.rule} on ${finding.resourceName}`,
  };
}

/**
 * Opens the finding's flow on the Flows screen (for the doctor screen). Returns false, and
 * opens nothing, when the finding's fix is not a flow.
 */
export function openFlowForFinding(
  session: Pick<Session, 'open'>,
  finding: Finding,
  snapshot: Snapshot,
): boolean {
  const start = flowStartForFinding(finding, snapshot);
  if (!start) return false;
  session.open('flows', {
    ...(start.account ? { account: start.account } : {}),
    ...(start.pool ? { pool: start.pool } : {}),
    flow: start,
  });
  return true;
}

/** Identifies a start: the same start shows the same flow (and a run in progress) again. */
export function startKey(start: FlowStart): string {
  const d = start.draft;
  return [
    start.flow ?? (start.offered ?? []).join('+'),
    d.accountId?.toLowerCase() ?? '',
    d.pool ?? '',
    d.identityId?.toLowerCase() ?? '',
    d.storageAccountId?.toLowerCase() ?? '',
    d.nodeIdentityId?.toLowerCase() ?? '',
    d.accountIdentity?.type === 'UserAssigned'
      ? d.accountIdentity.resourceId.toLowerCase()
      : (d.accountIdentity?.type ?? ''),
  ].join('|');
}
