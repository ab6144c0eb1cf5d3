/**
 * Screen 2, Account detail: the account's identity, autostorage, encryption and authentication
 * blocks, then its pools. Enter on a pool opens the Pools screen on it; y shows the account's
 * JSON; a opens the account's guided flows, as on Accounts. Shows the account as listed at
 * once, then as read afresh.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { Gateways } from '../../../azure/index.js';
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import { Line } from '../../components/Line.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import { useTheme } from '../../theme.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected, NothingChosen } from '../common.js';
import { accountFlowStart } from '../flows/start.js';
import { poolColumns, poolKey } from '../pools/columns.js';
import { accountDetailLines, LABEL_WIDTH } from './detail.js';
import type { Tone } from './detail.js';

const EMPTY: readonly PoolSummary[] = [];
const DETAIL_COLUMNS = new Set(['name', 'identities', 'ref', 'packages', 'allocation', 'nodes']);
// The pools table keeps at least this many rows (header included) however long the detail.
const MIN_TABLE_ROWS = 4;

export function AccountScreen(props: ScreenProps) {
  const account = props.route.params?.account;
  if (account === undefined) return <NothingChosen what="account" />;
  return (
    <Connected>
      {(gateways) => <Account {...props} account={account} gateways={gateways} />}
    </Connected>
  );
}

type Props = ScreenProps & { account: BatchAccountSummary; gateways: Gateways };

function Account({ account, gateways, filter, active, panel, width, height }: Props) {
  const session = useSession();
  const theme = useTheme();
  const { state, reload } = useResource(`account|${account.id}`, async (call) => {
    const ref = { resourceGroup: account.resourceGroup, name: account.name };
    const [detail, pools] = await Promise.all([
      gateways.management.getAccount(ref, call),
      gateways.management.listPools(account, call),
    ]);
    return { detail, pools };
  });
  const shown = state.value?.detail ?? account;
  const lines = useMemo(() => accountDetailLines(shown), [shown]);
  const columns = useMemo(
    () => poolColumns(shown, undefined, theme.symbols).filter((c) => DETAIL_COLUMNS.has(c.id)),
    [shown, theme.symbols],
  );
  const statusRows = statusBarRows(state, width);
  const detailRows = Math.max(0, Math.min(lines.length, height - statusRows - 1 - MIN_TABLE_ROWS));
  const tableRows = Math.max(0, height - statusRows - detailRows - 1);
  const table = useTable({
    screen: 'account',
    active: active && panel === undefined,
    rows: state.value?.pools ?? EMPTY,
    columns,
    keyOf: poolKey,
    filter,
    bodyRows: tableRows - 1,
    onOpen: (pool) => {
      session.open('pools', { account: shown, pool });
      return 'leave';
    },
    // y shows the account: this screen is about it (its pools' JSON is on the Pools screen).
    onJson: () => {
      session.showPanel({ kind: 'json', target: { kind: 'account', account } });
      return 'leave';
    },
    onRefresh: reload,
    // About the account, whichever pool is selected: the flows start from it as read afresh.
    onOther: (command) => {
      if (command !== 'flowAccount') return;
      session.open('flows', { account: shown, flow: accountFlowStart(shown) });
      return 'leave';
    },
  });
  if (panel?.kind === 'json') {
    return (
      <JsonPanel
        screen="account"
        gateways={gateways}
        target={panel.target}
        active={active}
        width={width}
        height={height}
      />
    );
  }
  const toneColour = (tone: Tone | undefined) =>
    tone === undefined ? undefined : theme.colours[tone];
  const pools = state.value?.pools;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <StatusBar width={width} state={state} what={`Batch account ${account.name}`} />
      {lines.slice(0, detailRows).map((line, i) => (
        <Line key={i}>
          <Text color={theme.colours.muted}>{line.label.padEnd(LABEL_WIDTH)}</Text>
          <Text color={toneColour(line.tone)}>{line.value}</Text>
        </Line>
      ))}
      <Line bold>
        {`pools${pools === undefined ? '' : ` (${pools.length})`}  `}
        <Text color={theme.colours.muted}>Enter opens a pool</Text>
      </Line>
      <Table
        columns={columns}
        rows={table.shown}
        keys={table.keys}
        state={table.state}
        width={width}
        height={tableRows}
        empty={
          pools === undefined
            ? ''
            : pools.length === 0
              ? 'This account has no pools.'
              : 'No pool matches the filter (Esc clears it).'
        }
      />
    </Box>
  );
}
