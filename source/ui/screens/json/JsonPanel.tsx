/**
 * The JSON view of a resource, read again from Azure so it shows what ARM or Batch serves now
 * (the listings behind the tables use $select and drop fields). A value already in hand is shown
 * as is, with a note saying where it came from.
 */
import type { Gateways } from '../../../azure/index.js';
import { Line } from '../../components/Line.js';
import { useJsonRows } from '../../components/JsonView.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { useResource } from '../../hooks/useResource.js';
import type { Loader } from '../../hooks/useResource.js';
import type { ScreenId } from '../../keys.js';
import type { JsonTarget } from '../../targets.js';
import { jsonTitle } from '../../targets.js';
import { useTheme } from '../../theme.js';

export interface JsonPanelProps {
  screen: ScreenId;
  gateways: Gateways;
  target: JsonTarget;
  active: boolean;
  width: number;
  height: number;
}

function targetKey(target: JsonTarget): string | undefined {
  switch (target.kind) {
    case 'account':
      return `account|${target.account.id}`;
    case 'pool':
      return `pool|${target.pool.id}`;
    case 'node':
      return `node|${target.account.id}|${target.poolId}|${target.nodeId}`;
    case 'value':
      return undefined;
  }
}

function loaderFor(gateways: Gateways, target: JsonTarget): Loader<unknown> {
  return async (call) => {
    switch (target.kind) {
      case 'account': {
        const { resourceGroup, name } = target.account;
        return (await gateways.management.getAccount({ resourceGroup, name }, call)).raw;
      }
      case 'pool': {
        const { resourceGroup, accountName, name, accountId } = target.pool;
        return (
          await gateways.management.getPool({ resourceGroup, accountName, name, accountId }, call)
        ).raw;
      }
      case 'node': {
        const endpoint = target.account.accountEndpoint ?? '';
        return (await gateways.data(endpoint).getNode(target.poolId, target.nodeId, call)).raw;
      }
      case 'value':
        return target.value;
    }
  };
}

export function JsonPanel({ screen, gateways, target, active, width, height }: JsonPanelProps) {
  const { colours } = useTheme();
  const key = targetKey(target);
  const { state, reload } = useResource(key, loaderFor(gateways, target));
  const value = target.kind === 'value' ? target.value : state.value;
  const rows = useJsonRows(value, width);
  const note =
    target.kind === 'value' ? (
      <Line color={colours.muted}>{target.note ?? ''}</Line>
    ) : (
      <StatusBar width={width} state={state} what={`the JSON of ${jsonTitle(target)}`} />
    );
  const noteRows = target.kind === 'value' ? (target.note ? 1 : 0) : statusBarRows(state, width);
  const ready = target.kind === 'value' || state.value !== undefined;
  return (
    <ScrollPanel
      screen={screen}
      active={active}
      title={`JSON ${jsonTitle(target)}`}
      rows={ready ? rows : []}
      height={height}
      top={noteRows > 0 ? note : null}
      topRows={noteRows}
      onCommand={(command) => {
        if (command === 'refresh') reload();
      }}
    />
  );
}
