/**
 * One picker of a flow: a question, then a table listed from the gateways (`/` narrows it, Enter
 * picks, r lists again). It starts on the current or suggested row, so Enter alone keeps what
 * the account already uses or takes what the doctor's rule asks for.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import type { CommandId } from '../../keys.js';
import { Line } from '../../components/Line.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { Table } from '../../components/Table.js';
import { useResource } from '../../hooks/useResource.js';
import { useTable } from '../../hooks/useTable.js';
import { useTheme } from '../../theme.js';
import type { PickValue } from './choices.js';
import { PICKERS, pickerColumns } from './pickers.js';
import type { PickerContext, PickerRow } from './pickers.js';
import type { PickKind } from './start.js';

export interface PickerProps {
  kind: PickKind;
  ctx: PickerContext;
  title: string;
  /** A line under the title: what is chosen so far. */
  chosen: string;
  filter: string;
  active: boolean;
  width: number;
  height: number;
  onPick: (value: PickValue) => void;
  onCommand: (command: CommandId) => 'leave' | void;
}

const EMPTY: readonly PickerRow[] = [];
const keyOf = (row: PickerRow) => row.key;
// Title, question and what is chosen so far.
const HEADING_ROWS = 3;

export function Picker(props: PickerProps) {
  const { kind, ctx, filter, width, height } = props;
  const { colours } = useTheme();
  const spec = PICKERS[kind];
  const resource = useResource(
    `${kind}|${ctx.connection.gateways.subscriptionId}|${ctx.accountId ?? ''}|${ctx.pool?.name ?? ''}`,
    (call) => spec.load(ctx, call),
  );
  const columns = useMemo(() => pickerColumns(spec.noun, kind !== 'flow'), [spec.noun, kind]);
  const rows = resource.state.value ?? EMPTY;
  const listed = rows.filter((r) => r.value.kind !== 'audit').length;
  const statusRows = statusBarRows(resource.state, width);
  const tableRows = Math.max(0, height - HEADING_ROWS - statusRows);
  const suggested = spec.suggested?.(ctx);
  const table = useTable({
    screen: 'flows',
    active: props.active,
    rows,
    columns,
    keyOf,
    filter,
    bodyRows: tableRows - 1,
    ...(suggested === undefined ? {} : { initialSelected: suggested }),
    onOpen: (row) => {
      props.onPick(row.value);
      return 'leave';
    },
    onRefresh: resource.reload,
    onOther: props.onCommand,
  });
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Line bold>{props.title}</Line>
      <Line color={colours.accent}>{spec.question(ctx)}</Line>
      <Line color={colours.muted}>{props.chosen}</Line>
      <StatusBar
        width={width}
        state={resource.state}
        what={spec.nouns}
        summary={`${listed} ${listed === 1 ? spec.noun : spec.nouns} · Enter picks · / narrows`}
      />
      <Table
        columns={columns}
        rows={table.shown}
        keys={table.keys}
        state={table.state}
        width={width}
        height={tableRows}
        empty={
          resource.state.value === undefined
            ? ''
            : rows.length === 0
              ? `No ${spec.noun} to pick in this subscription.`
              : `No ${spec.noun} matches the filter (Esc clears it).`
        }
      />
    </Box>
  );
}
