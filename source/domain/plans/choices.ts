/**
 * From a doctor finding to its flow's choices: what the finding already says (the account, the
 * pool, the identity it names), and what the operator still has to pick (SPEC §4.2: with
 * pickers, never typed). The screens open the flow with these and ask only for `needs`.
 */
import type { Finding, Snapshot } from '../doctor/types.js';
import { sameResourceId } from '../resource-id.js';
import type { AutoStorageChoices, FlowChoices, FlowId } from './types.js';

export type ChoiceNeed = 'identity' | 'nodeIdentity' | 'storageAccount' | 'accountIdentity';

export interface SuggestedChoices {
  flow: FlowId;
  /** Everything the finding determines; complete when `needs` is empty. */
  choices: Partial<FlowChoices> & { flow: FlowId; accountId: string };
  /** What the operator must still pick. */
  needs: ChoiceNeed[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function choicesForFinding(
  finding: Finding,
  snapshot: Snapshot,
): SuggestedChoices | undefined {
  const flow = finding.fix.flow;
  if (!flow) return undefined;
  const owner = snapshot.accounts.find(
    (a) =>
      sameResourceId(a.account.id, finding.resource) ||
      (a.pools ?? []).some((p) => sameResourceId(p.pool.id, finding.resource)),
  );
  if (!owner) return undefined;
  const account = owner.account;
  const pool = owner.pools?.find((p) => sameResourceId(p.pool.id, finding.resource))?.pool;
  const base = { accountId: account.id };
  const reference = account.autoStorage?.nodeIdentityReference?.resourceId;

  if (flow === 'pool-identity') {
    if (!pool) return undefined;
    // MI004: the reference; MI009: the identityReference the pool names; otherwise pick one.
    const named =
      finding.rule === 'MI004'
        ? reference
        : finding.rule === 'MI009'
          ? pool.identityReferences.find(
              (r) =>
                !pool.identity.userAssignedIdentities.some((i) =>
                  sameResourceId(i.resourceId, r.resourceId),
                ),
            )?.resourceId
          : undefined;
    return {
      flow,
      choices: { flow, ...base, pool: pool.name, ...(named ? { identityId: named } : {}) },
      needs: named ? [] : ['identity'],
    };
  }

  if (flow === 'autostorage-mi') {
    const storage = account.autoStorage?.storageAccountId;
    const ids = pool?.identity.userAssignedIdentities.map((i) => i.resourceId) ?? [];
    const node = reference ?? str(ids.length === 1 ? ids[0] : undefined);
    const choices: Partial<AutoStorageChoices> & { flow: 'autostorage-mi'; accountId: string } = {
      flow,
      ...base,
      ...(storage ? { storageAccountId: storage } : {}),
      ...(node ? { nodeIdentityId: node } : {}),
    };
    const needs: ChoiceNeed[] = [
      ...(storage ? [] : (['storageAccount'] as const)),
      ...(node ? [] : (['nodeIdentity'] as const)),
      ...(account.identity.type === 'None' ? (['accountIdentity'] as const) : []),
    ];
    return { flow, choices, needs };
  }

  // account-identity: keep the current identity when there is one (a CMK grant), else pick.
  const current =
    account.identity.type === 'SystemAssigned'
      ? { type: 'SystemAssigned' as const }
      : account.identity.userAssignedIdentities[0]
        ? {
            type: 'UserAssigned' as const,
            resourceId: account.identity.userAssignedIdentities[0].resourceId,
          }
        : undefined;
  return {
    flow,
    choices: { flow, ...base, ...(current ? { identity: current } : {}) },
    needs: current ? [] : ['identity'],
  };
}

/** Whether suggested choices are complete enough to plan. */
export function isComplete(s: SuggestedChoices): s is SuggestedChoices & { choices: FlowChoices } {
  return s.needs.length === 0;
}
