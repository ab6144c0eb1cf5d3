/**
 * Screen 1, Accounts: every Batch account of the subscription with its identity set-up, read in
 * one listing plus one pool listing per account (no N+1). Enter opens the account; y shows its
 * JSON as ARM serves it; d opens the doctor on it. Health (✓ ⚠ ✗) comes from one doctor run
 * over the subscription, started once the rows are in.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import type { AccountPools, Gateways } from '../../../azure/index.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { formatCount } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import type { Collect } from '../../session.js';
import { useTheme } from '../../theme.js';
import { healthNote } from '../doctor/health.js';
import { useHealth } from '../doctor/useHealth.js';
import { accountFlowStart } from '../flows/start.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { accountColumns, accountKey } from './columns.js';

const EMPTY: readonly AccountPools[] = [];

export function AccountsScreen(props: ScreenProps) {
  return (
    <Connected>
      {(gateways, collect) => <Accounts {...props} gateways={gateways} collect={collect} />}
    </Connected>
  );
}

function summaryOf(rows: readonly AccountPools[]): string {
  const unreadable = rows.filter((r) => r.error !== undefined);
  const accounts = `${formatCount(rows.length)} account${rows.length === 1 ? '' : 's'}`;
  if (unreadable.length === 0) return accounts;
  const first = unreadable[0]?.error?.message ?? '';
  return `${accounts} (pools of ${unreadable.length} unreadable: ${first})`;
}

const NO_SCOPE = {};

function Accounts({
  gateways,
  collect,
  filter,
  active,
  panel,
  width,
  height,
}: ScreenProps & { gateways: Gateways; collect: Collect }) {
  const session = useSession();
  const { symbols } = useTheme();
  const { state, reload } = useResource(`accounts|${gateways.subscriptionId}`, (call) =>
    gateways.management.listAccountsWithPools(call),
  );
  const health = useHealth(collect, gateways.subscriptionId, NO_SCOPE, state.loadedAt);
  const columns = useMemo(() => accountColumns(health.index, symbols), [health.index, symbols]);
  const statusRows = statusBarRows(state, width);
  const tableRows = Math.max(0, height - statusRows);
  const table = useTable({
    screen: 'accounts',
    active: active && panel === undefined,
    rows: state.value ?? EMPTY,
    columns,
    keyOf: accountKey,
    filter,
    bodyRows: tableRows - 1,
    ...(session.initialAccount === undefined ? {} : { initialSelected: session.initialAccount }),
    onOpen: (row) => {
      session.open('account', { account: row.account });
      return 'leave';
    },
    onJson: (row) => {
      session.showPanel({ kind: 'json', target: { kind: 'account', account: row.account } });
      return 'leave';
    },
    onRefresh: reload,
    onOther: (command, row) => {
      if (row === undefined) return;
      if (command === 'flowAccount') {
        session.open('flows', { account: row.account, flow: accountFlowStart(row.account) });
        return 'leave';
      }
      if (command !== 'doctor') return;
      session.open('doctor', { account: row.account });
      return 'leave';
    },
  });
  if (panel?.kind === 'json') {
    return (
      <JsonPanel
        screen="accounts"
        gateways={gateways}
        target={panel.target}
        active={active}
        width={width}
        height={height}
      />
    );
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <StatusBar
        width={width}
        state={state}
        what={`Batch accounts of subscription ${gateways.subscriptionId}`}
        summary={state.value ? summaryOf(state.value) + healthNote(health.error) : ''}
      />
      <Table
        columns={columns}
        rows={table.shown}
        keys={table.keys}
        state={table.state}
        width={width}
        height={tableRows}
        empty={
          state.value === undefined
            ? ''
            : state.value.length === 0
              ? `No Batch accounts in subscription ${gateways.subscriptionId} (:sub ID picks another).`
              : 'No account matches the filter (Esc clears it).'
        }
      />
    </Box>
  );
}
