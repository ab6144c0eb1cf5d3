/**
 * Screen 3, Pools of an account: identities, node identity reference (✓/✗), packages,
 * certificates, allocation and node counts from ARM (one listing), then nodes by state from the
 * data plane, a few pools at a time, and health from one doctor run over the account. Enter
 * opens the live nodes; y shows the pool's JSON; d opens the doctor on the pool.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import type { Gateways } from '../../../azure/index.js';
import { mapSettled } from '../../../azure/concurrency.js';
import type { BatchAccountSummary, PoolSummary } from '../../../domain/model.js';
import { countNodeStates } from '../../../domain/nodes.js';
import type { NodeStateCounts } from '../../../domain/nodes.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import type { Collect } from '../../session.js';
import { useTheme } from '../../theme.js';
import { healthNote } from '../doctor/health.js';
import { useHealth } from '../doctor/useHealth.js';
import { poolIdentityStart } from '../flows/start.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected, NothingChosen } from '../common.js';
import { poolColumns, poolKey } from './columns.js';

const EMPTY: readonly PoolSummary[] = [];
// Counting nodes reads each pool's node list ($select=id,state): a few pools at a time.
const COUNT_CONCURRENCY = 4;

export function PoolsScreen(props: ScreenProps) {
  const account = props.route.params?.account;
  if (account === undefined) return <NothingChosen what="account" />;
  return (
    <Connected>
      {(gateways, collect) => (
        <Pools
          {...props}
          account={account}
          gateways={gateways}
          collect={collect}
          initialPool={props.route.params?.pool?.name}
        />
      )}
    </Connected>
  );
}

type Props = ScreenProps & {
  account: BatchAccountSummary;
  gateways: Gateways;
  collect: Collect;
  initialPool: string | undefined;
};

function Pools(props: Props) {
  const { account, gateways, collect, initialPool, filter, active, panel, width, height } = props;
  const session = useSession();
  const theme = useTheme();
  const pools = useResource(`pools|${account.id}`, (call) =>
    gateways.management.listPools(account, call),
  );
  const listed = pools.state.value;
  // Nodes by state, once the pools are known; read again whenever they are.
  const counts = useResource(
    listed === undefined ? undefined : `counts|${account.id}|${pools.state.loadedAt ?? 0}`,
    async (call) => {
      const data = gateways.data(account.accountEndpoint ?? '');
      const settled = await mapSettled(
        listed ?? [],
        COUNT_CONCURRENCY,
        async (pool) =>
          countNodeStates((await data.listNodes(pool.name, call, { select: 'id,state' })).items),
        call.signal,
      );
      return new Map<string, NodeStateCounts | Error>(
        (listed ?? []).map((pool, i) => {
          const r = settled[i];
          return [pool.name, r?.ok ? r.value : (r?.error ?? new Error('not read'))];
        }),
      );
    },
  );
  const scope = useMemo(() => ({ account: account.name }), [account.name]);
  const health = useHealth(collect, gateways.subscriptionId, scope, pools.state.loadedAt);
  const columns = useMemo(
    () => poolColumns(account, counts.state.value, theme.symbols, { index: health.index }),
    [account, counts.state.value, theme.symbols, health.index],
  );
  // The node counts' own retries and failures show in the status bar once the pools are in.
  const countsTalk =
    (counts.state.error !== undefined || counts.state.retry !== undefined) &&
    pools.state.error === undefined &&
    !pools.state.loading;
  const statusRows = statusBarRows(countsTalk ? counts.state : pools.state, width);
  const tableRows = Math.max(0, height - statusRows);
  const table = useTable({
    screen: 'pools',
    active: active && panel === undefined,
    rows: listed ?? EMPTY,
    columns,
    keyOf: poolKey,
    filter,
    bodyRows: tableRows - 1,
    ...(initialPool === undefined ? {} : { initialSelected: initialPool }),
    onOpen: (pool) => {
      session.open('nodes', { account, pool });
      return 'leave';
    },
    onJson: (pool) => {
      session.showPanel({ kind: 'json', target: { kind: 'pool', pool } });
      return 'leave';
    },
    onRefresh: pools.reload,
    onOther: (command, pool) => {
      if (pool === undefined) return;
      if (command === 'tokenCheck') {
        session.open('token', { account, pool });
        return 'leave';
      }
      if (command === 'flowIdentity') {
        session.open('flows', { account, pool, flow: poolIdentityStart(account, pool) });
        return 'leave';
      }
      if (command !== 'doctor') return;
      session.open('doctor', { account, pool });
      return 'leave';
    },
  });
  if (panel?.kind === 'json') {
    return (
      <JsonPanel
        screen="pools"
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
      {countsTalk ? (
        <StatusBar width={width} state={counts.state} what={`nodes by state in ${account.name}`} />
      ) : (
        <StatusBar
          width={width}
          state={pools.state}
          what={`pools of ${account.name}`}
          summary={
            listed
              ? `${listed.length} pool${listed.length === 1 ? '' : 's'} of ${account.name}${healthNote(health.error)}`
              : ''
          }
        />
      )}
      <Table
        columns={columns}
        rows={table.shown}
        keys={table.keys}
        state={table.state}
        width={width}
        height={tableRows}
        empty={
          listed === undefined
            ? ''
            : listed.length === 0
              ? `${account.name} has no pools.`
              : 'No pool matches the filter (Esc clears it).'
        }
      />
    </Box>
  );
}
