/**
 * Screen 4, Nodes of a pool, live: polled every --refresh seconds (one fetch at a time), a
 * state-count bar, the table windowed to the rows that fit, and the transitions log since the
 * screen opened. `e` keeps errored nodes only; Enter shows a node's errors; y its JSON.
 * Holds 10,000 nodes (SPEC §7: refresh ≤ 250 ms, RSS ≤ 200 MB): each page is folded into a
 * NodeTracker as its text arrives, so the screen holds one copy of the pool and a refresh in which
 * nothing changed hands React the same rows array (no re-filter, no re-sort); only visible rows
 * render.
 */
import { Box } from 'ink';
import { useMemo, useReducer, useRef } from 'react';
import type { Gateways } from '../../../azure/index.js';
import type { BatchAccountSummary, NodeRow, PoolSummary } from '../../../domain/model.js';
import { isErrored, NodeTracker } from '../../../domain/nodes.js';
import { Line } from '../../components/Line.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { renderTextRows } from '../../components/text-rows.js';
import { Table } from '../../components/Table.js';
import { formatCount } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useSession } from '../../session.js';
import type { Panel } from '../../targets.js';
import { useTheme } from '../../theme.js';
import { JsonPanel } from '../json/JsonPanel.js';
import type { ScreenProps } from '../common.js';
import { Connected, NothingChosen } from '../common.js';
import { nodeColumns, nodeKey, shortNodeId } from './columns.js';
import { nodeDetailRows } from './detail.js';
import { initialNodes, nodesReducer } from './reducer.js';
import { StateBar } from './StateBar.js';
import { Transitions } from './Transitions.js';

export function NodesScreen(props: ScreenProps) {
  const { account, pool } = props.route.params ?? {};
  if (account === undefined || pool === undefined) return <NothingChosen what="pool" />;
  return (
    <Connected>
      {(gateways) => <Nodes {...props} account={account} pool={pool} gateways={gateways} />}
    </Connected>
  );
}

type Props = ScreenProps & { account: BatchAccountSummary; pool: PoolSummary; gateways: Gateways };

/** Rows of the transitions log: a quarter of the body, 3 to 10. */
export function logRows(height: number): number {
  return Math.min(10, Math.max(3, Math.floor(height / 4)));
}

function Nodes({ account, pool, gateways, filter, active, panel, width, height }: Props) {
  const session = useSession();
  const [live, dispatch] = useReducer(nodesReducer, undefined, initialNodes);
  const key = `nodes|${account.id}|${pool.name}`;
  // What the polls of this pool have seen: kept between polls, folded into as pages arrive.
  const tracked = useRef<{ key: string; tracker: NodeTracker } | undefined>(undefined);
  const { state, reload } = useResource(
    key,
    async (call) => {
      if (tracked.current?.key !== key) tracked.current = { key, tracker: new NodeTracker() };
      const poll = tracked.current.tracker.begin();
      await gateways
        .data(account.accountEndpoint ?? '')
        .eachNode(pool.name, (rows) => poll.add(rows), call, { held: poll.held });
      return poll.finish(new Date());
    },
    {
      intervalMs: session.refreshMs,
      onLoaded: (poll) => {
        dispatch({ type: 'polled', poll });
      },
    },
  );
  const rows = useMemo(
    () => (live.errorsOnly ? live.nodes.filter(isErrored) : live.nodes),
    [live.nodes, live.errorsOnly],
  );
  const columns = useMemo(() => nodeColumns(live.observedAt), [live.observedAt]);
  const statusRows = statusBarRows(state, width);
  const log = logRows(height);
  const tableRows = Math.max(0, height - statusRows - 2 - log);
  const table = useTable({
    screen: 'nodes',
    active: active && panel === undefined,
    rows,
    columns,
    keyOf: nodeKey,
    filter,
    bodyRows: tableRows - 1,
    onOpen: (node) => {
      session.showPanel({ kind: 'detail', key: node.id, label: shortNodeId(node.id) });
      return 'leave';
    },
    onJson: (node) => {
      session.showPanel({
        kind: 'json',
        target: { kind: 'node', account, poolId: pool.name, nodeId: node.id },
      });
      return 'leave';
    },
    onRefresh: reload,
    onOther: (command, node) => {
      if (command === 'errors') dispatch({ type: 'toggleErrors' });
      if ((command === 'nodeLogs' || command === 'tokenCheck') && node !== undefined) {
        session.open(command === 'nodeLogs' ? 'logs' : 'token', { account, pool, node: node.id });
        return 'leave';
      }
    },
  });
  if (panel !== undefined) {
    return (
      <NodePanel
        panel={panel}
        nodes={live.nodes}
        observedAt={live.observedAt ?? 0}
        account={account}
        pool={pool}
        gateways={gateways}
        active={active}
        width={width}
        height={height}
      />
    );
  }
  const every = `every ${session.refreshMs / 1000}s`;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <StatusBar
        width={width}
        state={state}
        what={`nodes of ${pool.name}`}
        summary={
          state.value === undefined
            ? ''
            : `${formatCount(live.counts.total)} nodes in ${pool.name} ${every}`
        }
      />
      <StateBar
        counts={live.counts}
        errored={live.errored}
        errorsOnly={live.errorsOnly}
        width={width}
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
            : live.nodes.length === 0
              ? `${pool.name} has no nodes (target ${pool.targetDedicatedNodes ?? 0} dedicated).`
              : live.errorsOnly && rows.length === 0
                ? 'No node has errors (e shows all).'
                : 'No node matches the filter (Esc clears it).'
        }
      />
      <Transitions transitions={live.transitions} since={live.since} rows={log} />
    </Box>
  );
}

function NodePanel({
  panel,
  nodes,
  observedAt,
  account,
  pool,
  gateways,
  active,
  width,
  height,
}: {
  panel: Panel;
  nodes: readonly NodeRow[];
  observedAt: number;
  account: BatchAccountSummary;
  pool: PoolSummary;
  gateways: Gateways;
  active: boolean;
  width: number;
  height: number;
}) {
  const session = useSession();
  const theme = useTheme();
  if (panel.kind === 'json') {
    return (
      <JsonPanel
        screen="nodes"
        gateways={gateways}
        target={panel.target}
        active={active}
        width={width}
        height={height}
      />
    );
  }
  // The detail follows the live poll: it shows the node as the latest refresh saw it.
  const node = nodes.find((n) => n.id === panel.key);
  const rows =
    node === undefined
      ? [<Line key="gone">{`${panel.key} is no longer in ${pool.name}.`}</Line>]
      : renderTextRows(nodeDetailRows(node, observedAt, width), theme);
  return (
    <ScrollPanel
      key={panel.key}
      screen="nodes"
      active={active}
      title={`Node ${panel.label}`}
      rows={rows}
      height={height}
      onCommand={(command) => {
        if (command !== 'json') return;
        session.showPanel({
          kind: 'json',
          target: { kind: 'node', account, poolId: pool.name, nodeId: panel.key },
        });
        return 'leave';
      }}
    />
  );
}
