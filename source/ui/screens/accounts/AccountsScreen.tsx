/**
 * Screen 1, Accounts: every Batch account of the subscription with its identity set-up, read in
 * one listing plus one pool listing per account (no N+1). Enter opens the account; y shows its
 * JSON as ARM serves it.
 *
 * Health (✓ ⚠ ✗ from the doctor, SPEC §3.1) is not a column yet: it arrives with the doctor.
 */
import { Box } from 'ink';
import type { AccountPools, Gateways } from '../../../azure/index.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { formatCount } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { ACCOUNT_COLUMNS, accountKey } from './columns.js';

const EMPTY: readonly AccountPools[] = [];

export function AccountsScreen(props: ScreenProps) {
  return <Connected>{(gateways) => <Accounts {...props} gateways={gateways} />}</Connected>;
}

function summaryOf(rows: readonly AccountPools[]): string {
  const unreadable = rows.filter((r) => r.error !== undefined);
  const accounts = `${formatCount(rows.length)} account${rows.length === 1 ? '' : 's'}`;
  if (unreadable.length === 0) return accounts;
  const first = unreadable[0]?.error?.message ?? '';
  return `${accounts} (pools of ${unreadable.length} unreadable: ${first})`;
}

function Accounts({
  gateways,
  filter,
  active,
  panel,
  width,
  height,
}: ScreenProps & { gateways: Gateways }) {
  const session = useSession();
  const { state, reload } = useResource(`accounts|${gateways.subscriptionId}`, (call) =>
    gateways.management.listAccountsWithPools(call),
  );
  const statusRows = statusBarRows(state, width);
  const tableRows = Math.max(0, height - statusRows);
  const table = useTable({
    screen: 'accounts',
    active: active && panel === undefined,
    rows: state.value ?? EMPTY,
    columns: ACCOUNT_COLUMNS,
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
        summary={state.value ? summaryOf(state.value) : ''}
      />
      <Table
        columns={ACCOUNT_COLUMNS}
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
