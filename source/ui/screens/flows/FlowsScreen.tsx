/**
 * Screen 9, Flows (SPEC §4.2): guided set-up. Opened with `i` on a pool, `a` on an account, a
 * doctor finding, or `:flows` (the list of flows and the audit log). Pick with pickers → the plan
 * as a diff with the permission pre-check → confirm → apply step by step → verify. The flow's
 * state lives in the session's flow store, so leaving mid-apply loses nothing (store.ts).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Connection } from '../../session.js';
import { useSession } from '../../session.js';
import type { CommandId } from '../../keys.js';
import { lastSegment } from '../../../domain/model.js';
import { FLOW_TITLES } from '../../../domain/plans/index.js';
import type { ScreenProps } from '../common.js';
import { Connected } from '../common.js';
import { AuditView } from './AuditView.js';
import { Picker } from './Picker.js';
import type { PickerContext } from './pickers.js';
import { runnerSource } from './services.js';
import type { FlowConnection } from './services.js';
import { StageView } from './StageView.js';
import { flowsListStart, startKey } from './start.js';
import type { Draft, FlowStart } from './start.js';
import type { FlowState } from './state.js';
import { storeOf } from './store.js';

/** The panel key of the audit log over the Flows screen. */
export const AUDIT_PANEL = 'flows-audit';

type Ready = Extract<Connection, { phase: 'ready' }>;

export function FlowsScreen(props: ScreenProps) {
  const { connection } = useSession();
  const start = props.route.params?.flow ?? flowsListStart();
  return (
    <Connected>
      {() =>
        connection.phase === 'ready' ? (
          <Flow key={startKey(start)} {...props} start={start} connection={connection} />
        ) : null
      }
    </Connected>
  );
}

/** What is chosen so far, in one line: "account batchhealthy › pool packages-a". */
export function chosenLine(state: Pick<FlowState, 'draft'>): string {
  const d: Draft = state.draft;
  const parts = [
    d.accountId ? `account ${lastSegment(d.accountId)}` : '',
    d.pool ? `pool ${d.pool}` : '',
    d.identityId ? `identity ${lastSegment(d.identityId)}` : '',
    d.storageAccountId ? `storage ${lastSegment(d.storageAccountId)}` : '',
    d.nodeIdentityId ? `node identity ${lastSegment(d.nodeIdentityId)}` : '',
    d.accountIdentity
      ? `account identity ${d.accountIdentity.type === 'UserAssigned' ? lastSegment(d.accountIdentity.resourceId) : 'system-assigned'}`
      : '',
  ].filter(Boolean);
  return parts.length ? `Chosen: ${parts.join(' › ')}` : 'Nothing chosen yet.';
}

function Flow(props: ScreenProps & { start: FlowStart; connection: Ready }) {
  const { start, connection, panel, active, width, height, filter } = props;
  const session = useSession();
  const [entry] = useState(() => storeOf(connection.services).open(startKey(start), start));
  const state = useSyncExternalStore(entry.subscribe, entry.get);
  const flowConnection: FlowConnection = connection;
  const runner = useMemo(() => runnerSource(flowConnection), [flowConnection]);

  // The first plan starts as soon as nothing is left to pick (a finding, `i` with a default).
  useEffect(() => {
    entry.kick(runner);
  }, [entry, runner]);
  useEffect(() => {
    entry.sawReport();
  }, [entry, state.phase, state.verify]);

  const openAudit = () => {
    session.showPanel({ kind: 'detail', key: AUDIT_PANEL, label: 'Audit log' });
    return 'leave' as const;
  };
  const onCommand = (command: CommandId): 'leave' | void => {
    switch (command) {
      case 'confirm':
      case 'decline':
        entry.dispatch(
          { type: 'answer', yes: command === 'confirm', readOnly: connection.readOnly },
          runner,
        );
        return;
      case 'refresh':
        entry.dispatch({ type: 'refresh' }, runner);
        return;
      case 'azCommands':
        entry.dispatch({ type: 'toggleAz' });
        return;
      case 'audit':
        return openAudit();
      default:
        return;
    }
  };

  if (panel?.kind === 'detail' && panel.key === AUDIT_PANEL)
    return <AuditView connection={connection} active={active} width={width} height={height} />;
  if (state.phase === 'pick' && state.pick) {
    const ctx: PickerContext = {
      connection,
      flow: state.flow,
      offered: state.offered,
      account: state.account,
      accountId: state.draft.accountId,
      pool: state.pool,
    };
    return (
      <Picker
        key={state.pick}
        kind={state.pick}
        ctx={ctx}
        title={state.flow ? FLOW_TITLES[state.flow] : 'Guided set-up flows'}
        chosen={chosenLine(state)}
        filter={filter}
        active={active && panel === undefined}
        width={width}
        height={height}
        onPick={(value) => {
          if (value.kind === 'audit') {
            openAudit();
            return;
          }
          entry.dispatch({ type: 'pick', value }, runner);
          // The filter narrowed this list; the next picker (or the plan) starts unfiltered.
          if (filter !== '') session.clearFilter();
        }}
        onCommand={onCommand}
      />
    );
  }
  return (
    <StageView
      state={state}
      readOnly={connection.readOnly}
      active={active && panel === undefined}
      width={width}
      height={height}
      onCommand={onCommand}
    />
  );
}
