/**
 * From the operator's picks to a flow's choices, and what is still to pick. Pure.
 */
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import type { FlowChoices, FlowId } from '../../../domain/plans/index.js';
import type { Draft, PickKind } from './start.js';

/** What a picker hands back. */
export type PickValue =
  | { kind: 'flow'; flow: FlowId }
  | { kind: 'audit' }
  | { kind: 'account'; account: BatchAccountSummary }
  | { kind: 'pool'; pool: PoolSummary }
  | { kind: 'poolIdentity'; id: string }
  | { kind: 'storageAccount'; id: string }
  | { kind: 'nodeIdentity'; id: string }
  | { kind: 'accountIdentity'; identity: FlowAccountIdentity };

type FlowAccountIdentity = NonNullable<Draft['accountIdentity']>;

/** The draft with one pick applied. */
export function applyPick(draft: Draft, value: PickValue): Draft {
  switch (value.kind) {
    case 'flow':
    case 'audit':
      return draft;
    case 'account': {
      // Another account: what was picked for the previous one no longer applies.
      const same = draft.accountId?.toLowerCase() === value.account.id.toLowerCase();
      return same ? draft : { accountId: value.account.id };
    }
    case 'pool':
      return { ...draft, pool: value.pool.name };
    case 'poolIdentity':
      return { ...draft, identityId: value.id };
    case 'storageAccount':
      return { ...draft, storageAccountId: value.id };
    case 'nodeIdentity':
      return { ...draft, nodeIdentityId: value.id };
    case 'accountIdentity':
      return { ...draft, accountIdentity: value.identity };
  }
}

function has(draft: Draft, kind: PickKind): boolean {
  switch (kind) {
    case 'flow':
      return true;
    case 'account':
      return draft.accountId !== undefined;
    case 'pool':
      return draft.pool !== undefined;
    case 'poolIdentity':
      return draft.identityId !== undefined;
    case 'storageAccount':
      return draft.storageAccountId !== undefined;
    case 'nodeIdentity':
      return draft.nodeIdentityId !== undefined;
    case 'accountIdentity':
      return draft.accountIdentity !== undefined;
  }
}

/**
 * The pickers a flow still needs, in the order they are shown. Flow 2 asks for the account's
 * identity only when the account has none (MI001); when the account is not known yet, that is
 * decided once it is picked. `needs` (from a doctor finding) narrows the list to what the
 * finding left open.
 */
export function picksFor(
  flow: FlowId,
  draft: Draft,
  account: BatchAccountSummary | undefined,
  needs?: readonly PickKind[],
): PickKind[] {
  const all: PickKind[] =
    flow === 'pool-identity'
      ? ['account', 'pool', 'poolIdentity']
      : flow === 'autostorage-mi'
        ? [
            'account',
            'storageAccount',
            'nodeIdentity',
            ...(account?.identity.type === 'None' ? (['accountIdentity'] as const) : []),
          ]
        : ['account', 'accountIdentity'];
  const open = all.filter((kind) => !has(draft, kind));
  return needs === undefined
    ? open
    : open.filter((kind) => kind === 'account' || needs.includes(kind));
}

/** The flow's choices once every pick is made; undefined while something is missing. */
export function choicesOf(flow: FlowId, draft: Draft): FlowChoices | undefined {
  const { accountId } = draft;
  if (accountId === undefined) return undefined;
  const base = { accountId, ...(draft.restore ? { restore: draft.restore } : {}) };
  switch (flow) {
    case 'pool-identity':
      return draft.pool !== undefined && draft.identityId !== undefined
        ? { flow, ...base, pool: draft.pool, identityId: draft.identityId }
        : undefined;
    case 'autostorage-mi':
      return draft.storageAccountId !== undefined && draft.nodeIdentityId !== undefined
        ? {
            flow,
            ...base,
            storageAccountId: draft.storageAccountId,
            nodeIdentityId: draft.nodeIdentityId,
            ...(draft.accountIdentity ? { accountIdentity: draft.accountIdentity } : {}),
          }
        : undefined;
    case 'account-identity':
      return draft.accountIdentity ? { flow, ...base, identity: draft.accountIdentity } : undefined;
  }
}

/** The draft a report's `resume` choices stand for (a re-run picks up where the last stopped). */
export function draftOf(choices: FlowChoices): Draft {
  const base: Draft = {
    accountId: choices.accountId,
    ...(choices.restore ? { restore: choices.restore } : {}),
  };
  switch (choices.flow) {
    case 'pool-identity':
      return { ...base, pool: choices.pool, identityId: choices.identityId };
    case 'autostorage-mi':
      return {
        ...base,
        storageAccountId: choices.storageAccountId,
        nodeIdentityId: choices.nodeIdentityId,
        ...(choices.accountIdentity ? { accountIdentity: choices.accountIdentity } : {}),
      };
    case 'account-identity':
      return { ...base, accountIdentity: choices.identity };
  }
}
