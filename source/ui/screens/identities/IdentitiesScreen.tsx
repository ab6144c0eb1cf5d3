/**
 * Screen 5, Identities: every user-assigned identity seen on the subscription's accounts and
 * pools, where it is used, its ids and its roles on autostorage. Enter shows one in full; y shows
 * what the program knows of it as JSON.
 */
import { Box } from 'ink';
import type { Gateways } from '../../../azure/index.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { renderTextRows } from '../../components/text-rows.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import { useTheme } from '../../theme.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { IDENTITY_COLUMNS, identityKey } from './columns.js';
import { identityDetailRows } from './detail.js';
import type { IdentityRow } from './load.js';
import { loadIdentities } from './load.js';

const EMPTY: readonly IdentityRow[] = [];

export function IdentitiesScreen(props: ScreenProps) {
  return <Connected>{(gateways) => <Identities {...props} gateways={gateways} />}</Connected>;
}

function Identities({
  gateways,
  filter,
  active,
  panel,
  width,
  height,
}: ScreenProps & { gateways: Gateways }) {
  const session = useSession();
  const theme = useTheme();
  const { state, reload } = useResource(`identities|${gateways.subscriptionId}`, (call) =>
    loadIdentities(gateways, call),
  );
  const statusRows = statusBarRows(state, width);
  const tableRows = Math.max(0, height - statusRows);
  const table = useTable({
    screen: 'identities',
    active: active && panel === undefined,
    rows: state.value ?? EMPTY,
    columns: IDENTITY_COLUMNS,
    keyOf: identityKey,
    filter,
    bodyRows: tableRows - 1,
    onOpen: (row) => {
      session.showPanel({ kind: 'detail', key: identityKey(row), label: row.info.name });
      return 'leave';
    },
    onJson: (row) => {
      session.showPanel({ kind: 'json', target: jsonOf(row) });
      return 'leave';
    },
    onRefresh: reload,
  });
  if (panel?.kind === 'json') {
    return (
      <JsonPanel
        screen="identities"
        gateways={gateways}
        target={panel.target}
        active={active}
        width={width}
        height={height}
      />
    );
  }
  if (panel?.kind === 'detail') {
    const row = state.value?.find((r) => identityKey(r) === panel.key);
    return (
      <ScrollPanel
        key={panel.key}
        screen="identities"
        active={active}
        title={`Identity ${panel.label}`}
        rows={row === undefined ? [] : renderTextRows(identityDetailRows(row, width), theme)}
        height={height}
        onCommand={(command) => {
          if (command !== 'json' || row === undefined) return;
          session.showPanel({ kind: 'json', target: jsonOf(row) });
          return 'leave';
        }}
      />
    );
  }
  const rows = state.value;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <StatusBar
        width={width}
        state={state}
        what="identities of the accounts and pools, and their roles on autostorage"
        summary={
          rows
            ? `${rows.length} user-assigned identit${rows.length === 1 ? 'y' : 'ies'} in use`
            : ''
        }
      />
      <Table
        columns={IDENTITY_COLUMNS}
        rows={table.shown}
        keys={table.keys}
        state={table.state}
        width={width}
        height={tableRows}
        empty={
          rows === undefined
            ? ''
            : rows.length === 0
              ? 'No account or pool in this subscription uses a user-assigned identity.'
              : 'No identity matches the filter (Esc clears it).'
        }
      />
    </Box>
  );
}

/**
 * ManagedIdentityGateway keeps no raw body, so the JSON view shows the identity as the program
 * assembled it from the identity blocks of the accounts and pools (and says so).
 */
function jsonOf(row: IdentityRow) {
  return {
    kind: 'value' as const,
    title: row.info.name,
    value: { ...row.info, rolesOnAutoStorage: row.roles.map((r) => r.assignment) },
    note: 'As seen on the accounts and pools (identity blocks), with its role assignments.',
  };
}
