/**
 * The flows' pickers (SPEC §4.2: never ask to type what can be listed): flows, accounts, pools,
 * user-assigned identities and storage accounts, each listed from the gateways, with what is
 * there now marked so that the operator sees the current value before replacing it.
 */
import type { CallOptions } from '../../../azure/index.js';
import { StorageAccountGateway } from '../../../azure/index.js';
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import { lastSegment } from '../../../domain/model.js';
import { sameResourceId } from '../../../domain/resource-id.js';
import { FLOW_TITLES } from '../../../domain/plans/index.js';
import type { FlowId } from '../../../domain/plans/index.js';
import type { Column } from '../../table/layout.js';
import type { PickValue } from './choices.js';
import type { FlowConnection } from './services.js';
import type { PickKind } from './start.js';

export interface PickerRow {
  key: string;
  name: string;
  group: string;
  /** What is there now, or why this row is suggested. */
  detail: string;
  value: PickValue;
}

export interface PickerContext {
  connection: FlowConnection;
  flow: FlowId | undefined;
  offered: readonly FlowId[];
  account: BatchAccountSummary | undefined;
  accountId: string | undefined;
  pool: PoolSummary | undefined;
}

export interface PickerSpec {
  /** What is picked, in the question: "Pick the identity to attach to pool …". */
  question(ctx: PickerContext): string;
  /** Column title of the name, and its plural. */
  noun: string;
  nouns: string;
  load(ctx: PickerContext, call: CallOptions): Promise<PickerRow[]>;
  /** The row to start on: the current value, or the one a rule suggests. */
  suggested?(ctx: PickerContext): string | undefined;
}

const FLOW_NOTES: Record<FlowId, string> = {
  'pool-identity': 'ARM PATCH of the pool identity; optional resize to 0 and back',
  'autostorage-mi': 'link storage, BatchAccountManagedIdentity, node identity, roles',
  'account-identity': 'the identity the Batch service uses (autostorage, CMK)',
};
export const AUDIT_ROW = 'audit';

const accountName = (ctx: PickerContext) =>
  ctx.account?.name ?? (ctx.accountId ? lastSegment(ctx.accountId) : 'the account');
const reference = (ctx: PickerContext) =>
  ctx.account?.autoStorage?.nodeIdentityReference?.resourceId;

async function identities(ctx: PickerContext, call: CallOptions, marks: (id: string) => string) {
  const listed = await ctx.connection.gateways.identities.listUserAssignedIdentities({}, call);
  return listed.map((i) => ({
    key: i.id.toLowerCase(),
    name: i.name,
    group: i.resourceGroup,
    detail: [marks(i.id), i.clientId ? `client ${i.clientId.slice(0, 8)}…` : '']
      .filter(Boolean)
      .join(' · '),
    id: i.id,
  }));
}

const is = (a: string | undefined, b: string) => a !== undefined && sameResourceId(a, b);

export const PICKERS: Record<PickKind, PickerSpec> = {
  flow: {
    noun: 'flow',
    nouns: 'flows',
    question: (ctx) =>
      ctx.accountId ? `Pick a flow for ${accountName(ctx)}` : 'Pick a guided set-up flow',
    load: (ctx) =>
      Promise.resolve([
        ...ctx.offered.map((flow) => ({
          key: flow,
          name: FLOW_TITLES[flow],
          group: '',
          detail: FLOW_NOTES[flow],
          value: { kind: 'flow', flow } as const,
        })),
        ...(ctx.accountId === undefined
          ? [
              {
                key: AUDIT_ROW,
                name: 'Audit log',
                group: '',
                detail: 'changes the flows made from this machine (also: l)',
                value: { kind: 'audit' } as const,
              },
            ]
          : []),
      ]),
  },
  account: {
    noun: 'Batch account',
    nouns: 'Batch accounts',
    question: () => 'Pick the Batch account',
    load: async (ctx, call) =>
      (await ctx.connection.gateways.management.listAccounts(call)).map((account) => ({
        key: account.id.toLowerCase(),
        name: account.name,
        group: account.resourceGroup,
        detail: `identity ${account.identity.type}${account.autoStorage ? ` · autostorage ${lastSegment(account.autoStorage.storageAccountId)} (${account.autoStorage.authenticationMode})` : ''}`,
        value: { kind: 'account', account },
      })),
  },
  pool: {
    noun: 'pool',
    nouns: 'pools',
    question: (ctx) => `Pick the pool of ${accountName(ctx)}`,
    load: async (ctx, call) => {
      const account = ctx.account;
      if (!account) throw new Error('Pick the account first.');
      return (await ctx.connection.gateways.management.listPools(account, call)).map((pool) => ({
        key: pool.name,
        name: pool.name,
        group: account.name,
        detail: `identities: ${pool.identity.userAssignedIdentities.map((i) => i.name).join(', ') || 'none'}`,
        value: { kind: 'pool', pool },
      }));
    },
  },
  poolIdentity: {
    noun: 'identity',
    nouns: 'identities',
    question: (ctx) =>
      `Pick the user-assigned identity to attach to pool ${accountName(ctx)}/${ctx.pool?.name ?? '?'}`,
    load: async (ctx, call) =>
      (
        await identities(ctx, call, (id) =>
          [
            ctx.pool?.identity.userAssignedIdentities.some((i) => is(i.resourceId, id))
              ? 'on the pool'
              : '',
            is(reference(ctx), id) ? "account's node identity reference" : '',
          ]
            .filter(Boolean)
            .join(', '),
        )
      ).map(({ id, ...row }) => ({ ...row, value: { kind: 'poolIdentity', id } })),
    // MI004: the reference is what the nodes need on the pool.
    suggested: (ctx) => reference(ctx)?.toLowerCase(),
  },
  nodeIdentity: {
    noun: 'identity',
    nouns: 'identities',
    question: (ctx) =>
      `Pick the identity ${accountName(ctx)}'s nodes use for autostorage (node identity reference)`,
    load: async (ctx, call) =>
      (
        await identities(ctx, call, (id) =>
          is(reference(ctx), id) ? 'current node identity reference' : '',
        )
      ).map(({ id, ...row }) => ({ ...row, value: { kind: 'nodeIdentity', id } })),
    suggested: (ctx) => reference(ctx)?.toLowerCase(),
  },
  accountIdentity: {
    noun: 'identity',
    nouns: 'identities',
    question: (ctx) => `Pick the identity the Batch service uses for ${accountName(ctx)}`,
    load: async (ctx, call) => {
      const current = ctx.account?.identity;
      const users = await identities(ctx, call, (id) =>
        current?.userAssignedIdentities.some((i) => is(i.resourceId, id))
          ? "the account's identity now"
          : '',
      );
      return [
        {
          key: 'system',
          name: 'System-assigned',
          group: '',
          detail:
            current?.type === 'SystemAssigned'
              ? "the account's identity now"
              : 'created with the account change; lives and dies with it',
          value: { kind: 'accountIdentity', identity: { type: 'SystemAssigned' } },
        },
        ...users.map(({ id, ...row }) => ({
          ...row,
          value: {
            kind: 'accountIdentity',
            identity: { type: 'UserAssigned', resourceId: id },
          } as const,
        })),
      ];
    },
    suggested: (ctx) =>
      ctx.account?.identity.type === 'SystemAssigned'
        ? 'system'
        : ctx.account?.identity.userAssignedIdentities[0]?.resourceId.toLowerCase(),
  },
  storageAccount: {
    noun: 'storage account',
    nouns: 'storage accounts',
    question: (ctx) => `Pick the storage account to link as ${accountName(ctx)}'s autostorage`,
    load: async (ctx, call) => {
      const { services, gateways } = ctx.connection;
      const storage = new StorageAccountGateway(
        services.clients.batchManagement(gateways.subscriptionId),
        { armEndpoint: services.armEndpoint, subscriptionId: gateways.subscriptionId },
      );
      const current = ctx.account?.autoStorage?.storageAccountId;
      return (await storage.listStorageAccounts(call)).map((s) => ({
        key: s.id.toLowerCase(),
        name: s.name,
        group: /\/resourceGroups\/([^/]+)/i.exec(s.id)?.[1] ?? '',
        detail: [
          is(current, s.id)
            ? `current autostorage (${ctx.account?.autoStorage?.authenticationMode ?? ''})`
            : '',
          s.networkAcls.defaultAction === 'Deny' ? 'firewall: deny by default' : '',
        ]
          .filter(Boolean)
          .join(' · '),
        value: { kind: 'storageAccount', id: s.id },
      }));
    },
    suggested: (ctx) => ctx.account?.autoStorage?.storageAccountId.toLowerCase(),
  },
};

export function pickerColumns(noun: string, grouped = true): Column<PickerRow>[] {
  if (!grouped)
    return [
      { id: 'name', title: noun, min: 20, max: 64, grow: 2, text: (r) => r.name },
      { id: 'detail', title: 'what it does', min: 10, grow: 3, drop: 1, text: (r) => r.detail },
    ];
  return [
    { id: 'name', title: noun, min: 16, max: 46, grow: 2, text: (r) => r.name },
    { id: 'group', title: 'group', min: 8, max: 24, grow: 1, drop: 2, text: (r) => r.group },
    { id: 'detail', title: 'now', min: 10, grow: 3, drop: 1, text: (r) => r.detail },
  ];
}
