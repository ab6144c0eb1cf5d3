/**
 * Screen 6, Doctor (SPEC §4.1): the findings for the current scope — the subscription, an account
 * (`d` on Accounts, `:doctor` from an account) or a pool (`d` on Pools) — grouped by severity then
 * resource, and what could not be checked, with why. Enter shows a finding's evidence and fix,
 * with the `az` command whole; `c` copies that command (OSC 52); `f` opens the finding's guided
 * flow with what the run read; `r` runs the doctor again from a fresh read.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { renderTextRows, wrapped } from '../../components/text-rows.js';
import { clockTime, nameOf } from '../../format.js';
import { useClipboard } from '../../hooks/useClipboard.js';
import { useCommands } from '../../hooks/useCommands.js';
import { useNow } from '../../hooks/useNow.js';
import type { Collect } from '../../session.js';
import { useSession } from '../../session.js';
import type { Panel } from '../../targets.js';
import { useTheme } from '../../theme.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { flowStartForFinding, openFlowForFinding } from '../flows/start.js';
import { findingDetailRows, notCheckedDetailRows } from './detail.js';
import { DoctorStatus, doctorStatusRows } from './DoctorStatus.js';
import { FindingList } from './FindingList.js';
import { listStart, selectedRow } from './reducer.js';
import type { DoctorState } from './reducer.js';
import { doctorList, selectableOf } from './rows.js';
import type { Selectable } from './rows.js';
import { useDoctorRun } from './useDoctorRun.js';
import type { RunScope } from './useDoctorRun.js';

export function DoctorScreen(props: ScreenProps) {
  return (
    <Connected>
      {(gateways, collect) => (
        <Doctor {...props} collect={collect} subscriptionId={gateways.subscriptionId} />
      )}
    </Connected>
  );
}

/** `subscription 1234abcd…`, `account batchhealthy`, `pool batchhealthy/packages-a`. */
export function scopeLabel(scope: RunScope, subscriptionId: string): string {
  if (scope.account !== undefined && scope.pool !== undefined)
    return `pool ${scope.account}/${scope.pool}`;
  if (scope.account !== undefined) return `account ${scope.account}`;
  return `subscription ${subscriptionId}`;
}

type Props = ScreenProps & { collect: Collect; subscriptionId: string };

function Doctor({ collect, subscriptionId, route, filter, active, panel, width, height }: Props) {
  const session = useSession();
  const copy = useClipboard();
  const accountName = route.params?.account?.name;
  const poolName = route.params?.pool?.name;
  const scope = useMemo(
    (): RunScope => ({
      ...(accountName === undefined ? {} : { account: accountName }),
      ...(accountName === undefined || poolName === undefined ? {} : { pool: poolName }),
    }),
    [accountName, poolName],
  );
  const { state, dispatch, rerun } = useDoctorRun(collect, scope);
  const list = useMemo(() => doctorList(state.report, filter), [state.report, filter]);
  const now = useNow(state.running);
  const label = scopeLabel(scope, subscriptionId);
  const statusRows = doctorStatusRows(state, width);
  const listRows = Math.max(0, height - statusRows);
  const row = selectedRow(state, list.keys, list.positions);
  const start = listStart(state, row, listRows, list.rows.length);
  const selected = row < 0 ? undefined : list.rows[row];

  const copyFix = (entry: Selectable | undefined) => {
    if (entry?.kind !== 'finding') {
      session.say({
        tone: 'info',
        text: 'Nothing to copy here: select a finding (it has the fix).',
      });
      return;
    }
    copy(entry.finding.fix.az);
    session.say({
      tone: 'info',
      text: `copied (OSC 52): the fix of ${entry.finding.rule} for ${entry.finding.resourceName}`,
    });
  };

  // The flow starts from the snapshot the finding came from: the report and it are one run's.
  const openFix = (entry: Selectable | undefined): 'leave' | undefined => {
    if (entry?.kind !== 'finding' || entry.finding.fix.flow === undefined) {
      session.say({
        tone: 'info',
        text: 'No guided flow fixes this: select a finding whose fix names a flow (c copies the az command).',
      });
      return undefined;
    }
    const { finding } = entry;
    if (state.snapshot === undefined || !openFlowForFinding(session, finding, state.snapshot)) {
      session.say({
        tone: 'info',
        text: `The last run does not hold what the flow needs for ${finding.rule} on ${finding.resourceName}: r runs the doctor again, :flows starts the flow by hand.`,
      });
      return undefined;
    }
    return 'leave';
  };

  useCommands('doctor', active && panel === undefined, (command) => {
    const move = (by: number | 'top' | 'bottom') => {
      dispatch({
        type: 'move',
        by,
        keys: list.keys,
        positions: list.positions,
        total: list.rows.length,
        height: listRows,
      });
    };
    const page = Math.max(1, listRows - 1);
    switch (command) {
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'pageUp':
        return move(-page);
      case 'pageDown':
        return move(page);
      case 'top':
        return move('top');
      case 'bottom':
        return move('bottom');
      case 'refresh':
        return rerun();
      case 'copy':
        return copyFix(
          selected?.kind === 'finding' || selected?.kind === 'notChecked' ? selected : undefined,
        );
      case 'fixFlow':
        return openFix(selected?.kind === 'finding' ? selected : undefined);
      case 'open':
        if (selected?.kind === 'finding') {
          session.showPanel({
            kind: 'detail',
            key: selected.key,
            label: `${selected.finding.rule} ${selected.finding.resourceName}`,
          });
          return 'leave';
        }
        if (selected?.kind === 'notChecked') {
          const name = nameOf(selected.entry.resource);
          session.showPanel({ kind: 'detail', key: selected.key, label: `not checked ${name}` });
          return 'leave';
        }
        return undefined;
      default:
        return undefined;
    }
  });

  if (panel?.kind === 'detail') {
    return (
      <DetailPanel
        panel={panel}
        state={state}
        active={active}
        width={width}
        height={height}
        onCopy={copyFix}
        onFix={openFix}
        onRerun={rerun}
      />
    );
  }
  const empty =
    state.report === undefined
      ? ''
      : list.hidden > 0
        ? 'No finding matches the filter (Esc clears it).'
        : `No findings: nothing the doctor checks is wrong in ${label}.`;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <DoctorStatus state={state} scope={label} hidden={list.hidden} now={now} width={width} />
      <FindingList rows={list.rows} selected={row} start={start} height={listRows} empty={empty} />
    </Box>
  );
}

interface DetailPanelProps {
  panel: Extract<Panel, { kind: 'detail' }>;
  state: DoctorState;
  active: boolean;
  width: number;
  height: number;
  onCopy: (entry: Selectable | undefined) => void;
  onFix: (entry: Selectable | undefined) => 'leave' | undefined;
  onRerun: () => void;
}

/** A finding (or a not-checked entry) in full, as the latest run has it. */
function DetailPanel(props: DetailPanelProps) {
  const { panel, state, active, width, height, onCopy, onFix, onRerun } = props;
  const theme = useTheme();
  // Looked up in the whole report: the filter narrows the list, not what Enter opened.
  const entry = useMemo(() => selectableOf(doctorList(state.report), panel.key), [state, panel]);
  const { snapshot } = state;
  // ScrollPanel takes the scrolling keys; `f` is the doctor's own.
  useCommands('doctor', active, (command) => (command === 'fixFlow' ? onFix(entry) : undefined));
  const rows = useMemo(() => {
    if (entry?.kind === 'finding') {
      const opens =
        snapshot !== undefined && flowStartForFinding(entry.finding, snapshot) !== undefined;
      return findingDetailRows(entry.finding, width, theme, opens);
    }
    if (entry?.kind === 'notChecked') return notCheckedDetailRows(entry.entry, width, theme);
    const when = state.finishedAt === undefined ? '' : ` (checked ${clockTime(state.finishedAt)})`;
    return wrapped(
      state.running
        ? 'The doctor is running again; this shows once it is done.'
        : `The latest run${when} no longer finds this: what fired it does not hold any more. Esc goes back to the findings.`,
      width,
      0,
      'muted',
    );
  }, [entry, width, theme, snapshot, state.running, state.finishedAt]);
  return (
    <ScrollPanel
      key={panel.key}
      screen="doctor"
      active={active}
      title={panel.label}
      rows={renderTextRows(rows, theme)}
      height={height}
      onCommand={(command) => {
        if (command === 'copy') onCopy(entry);
        if (command === 'refresh') onRerun();
      }}
    />
  );
}
