/**
 * A flow after its pickers: the plan as a diff with the permission pre-check, the confirmation,
 * the apply checklist, then the report and the verification. The body scrolls (↑↓ PgUp PgDn);
 * the question or the progress stays on the last rows.
 */
import { Box } from 'ink';
import type { ReactNode } from 'react';
import { Confirm, confirmRows } from '../../components/Confirm.js';
import { Line } from '../../components/Line.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { Spinner } from '../../components/Spinner.js';
import { wrapText } from '../../components/text-rows.js';
import { useCommands } from '../../hooks/useCommands.js';
import type { CommandId } from '../../keys.js';
import { useTheme } from '../../theme.js';
import type { Theme } from '../../theme.js';
import { isEmptyPlan } from '../../../domain/plans/index.js';
import type { FlowId } from '../../../domain/plans/index.js';
import { currentPrompt, gateOf } from './gate.js';
import type { Gate, Prompt } from './gate.js';
import { flowRowNodes } from './render.js';
import { checklistRows, reportRows, verifyRows } from './report-rows.js';
import { permissionRows, planRows, warningRows, wrapRow } from './rows.js';
import type { FlowRow } from './rows.js';
import { rerunsOnRefresh } from './state.js';
import type { FlowState } from './state.js';

export interface StageViewProps {
  state: FlowState;
  readOnly: boolean;
  active: boolean;
  width: number;
  height: number;
  onCommand: (command: CommandId) => 'leave' | void;
}

const SHORT_TITLES: Record<FlowId, string> = {
  'pool-identity': 'Pool identity',
  'autostorage-mi': 'Autostorage with MI',
  'account-identity': 'Account identity',
};
const PHASE_TITLES: Record<FlowState['phase'], string> = {
  pick: 'pick',
  planning: 'planning',
  plan: 'plan',
  applying: 'applying',
  report: 'result',
};

type Footer =
  | { kind: 'spinner'; label: string }
  | { kind: 'confirm'; prompt: Prompt }
  | { kind: 'text'; text: string; tone: 'muted' | 'warning' | 'error' };

function bodyRows(state: FlowState, gate: Gate | undefined, width: number, theme: Theme) {
  const { symbols } = theme;
  const rows: FlowRow[] = [];
  const problem = state.problem;
  if (problem)
    rows.push(
      ...wrapRow(problem.text, width, ` ${symbols.error} `, 'error', true),
      ...wrapRow(problem.next, width, '   ', 'muted'),
    );
  const { plan } = state;
  if (!plan) return rows;
  if (state.phase === 'plan') {
    rows.push(
      ...planRows(plan, {
        width,
        showAz: state.showAz,
        symbols,
        ...(state.origin ? { origin: state.origin } : {}),
      }),
      ...(isEmptyPlan(plan) ? [] : warningRows(plan, width, symbols)),
      ...(gate ? permissionRows(state.permission, gate, width, symbols) : []),
    );
  } else if (state.phase === 'applying') {
    rows.push(
      ...wrapRow(plan.title, width, '', undefined, true),
      ...checklistRows(plan, state.progress, width, symbols),
    );
  } else if (state.phase === 'report' && state.report) {
    rows.push(
      ...wrapRow(plan.title, width, '', undefined, true),
      ...reportRows(plan, state.report, state.progress, width, symbols),
      ...verifyRows(state.verify, width, symbols),
    );
  }
  return rows;
}

function footerOf(state: FlowState, gate: Gate | undefined, readOnly: boolean): Footer {
  const stepNo = state.progress.findIndex((l) => l.status === 'running' || l.status === 'waiting');
  switch (state.phase) {
    case 'planning':
      return { kind: 'spinner', label: 'Reading Azure and planning…' };
    case 'applying': {
      const line = state.progress[stepNo];
      const step = state.plan?.steps[stepNo];
      const label = step
        ? `Applying step ${stepNo + 1} of ${state.plan?.steps.length ?? 0}: ${line?.status === 'waiting' && line.note ? line.note : step.title}`
        : 'Applying…';
      return { kind: 'spinner', label };
    }
    case 'report':
      if (state.verify?.status === 'running')
        return { kind: 'spinner', label: 'Verifying: re-reading Azure and running the doctor…' };
      return {
        kind: 'text',
        tone: 'muted',
        text: rerunsOnRefresh(state)
          ? 'r plans again from Azure and picks up where this stopped · l audit log · Esc back'
          : 'r re-checks (re-read + doctor) · l audit log · Esc back',
      };
    default:
      break;
  }
  const plan = state.plan;
  if (!plan || !gate) return { kind: 'text', tone: 'muted', text: 'r plans again · Esc back' };
  if (isEmptyPlan(plan))
    return { kind: 'text', tone: 'muted', text: 'Nothing to apply · r plans again · Esc back' };
  if (readOnly)
    return {
      kind: 'text',
      tone: 'warning',
      text: 'Read-only mode (--read-only or :ro): the apply step is hidden and nothing is changed in Azure; :ro turns it off.',
    };
  if (gate.checking) return { kind: 'spinner', label: 'Checking your permissions…' };
  if (gate.refused)
    return {
      kind: 'text',
      tone: 'error',
      text: 'Apply refused: you lack a permission a required step needs (see Permissions); nothing was changed.',
    };
  const prompt = currentPrompt(gate, state.answers);
  return prompt
    ? { kind: 'confirm', prompt }
    : { kind: 'text', tone: 'muted', text: 'r plans again · Esc back' };
}

function question(prompt: Prompt, state: FlowState, gate: Gate): string {
  if (prompt.kind === 'required') {
    const n = prompt.steps.length;
    const optional = gate.prompts.length - 1;
    return `Apply ${n === 1 ? 'step' : `these ${n} steps`} to Azure now${optional ? ` (the optional step${optional > 1 ? 's are' : ' is'} asked next)` : ''}?${gate.unsure ? ' Some permissions could not be confirmed.' : ''}`;
  }
  const index = (state.plan?.steps.indexOf(prompt.step) ?? 0) + 1;
  return `Also run step ${index}, ${prompt.step.title}? It stops what runs on the pool's nodes: ${prompt.step.reason}.`;
}

function footerRows(footer: Footer, state: FlowState, gate: Gate | undefined, width: number) {
  if (footer.kind === 'confirm' && gate)
    return confirmRows(question(footer.prompt, state, gate), width);
  if (footer.kind === 'text') return Math.min(2, wrapText(footer.text, width).length);
  return 1;
}

export function StageView({ state, readOnly, active, width, height, onCommand }: StageViewProps) {
  const theme = useTheme();
  const gate = state.plan ? gateOf(state.plan, state.permission) : undefined;
  const footer = footerOf(state, gate, readOnly);
  const notice = state.notice ? 1 : 0;
  const footRows = footerRows(footer, state, gate, width) + notice;
  const rows: ReactNode[] = flowRowNodes(bodyRows(state, gate, width, theme), theme);
  useCommands('flows', active, (command) =>
    command === 'refresh' ? undefined : onCommand(command),
  );
  // Short, so that the scroll position ("1-14 of 30") fits beside it at 80 columns.
  const title = `${state.flow ? SHORT_TITLES[state.flow] : 'Flow'} ${theme.symbols.dot} ${PHASE_TITLES[state.phase]}`;
  let foot: ReactNode;
  if (footer.kind === 'spinner') foot = <Spinner label={footer.label} />;
  else if (footer.kind === 'confirm' && gate)
    foot = (
      <Confirm
        question={question(footer.prompt, state, gate)}
        {...(footer.prompt.kind === 'required'
          ? { yes: 'apply', no: 'cancel (nothing is changed)' }
          : { yes: 'include it', no: 'leave it out', tone: 'warning' as const })}
        width={width}
      />
    );
  else if (footer.kind === 'text')
    foot = wrapText(footer.text, width)
      .slice(0, 2)
      .map((text, i) => (
        <Line key={i} color={theme.colours[footer.tone]}>
          {text}
        </Line>
      ));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <ScrollPanel
        key={state.phase}
        screen="flows"
        active={active}
        title={title}
        rows={rows}
        height={Math.max(1, height - footRows)}
        onCommand={(command) => (command === 'refresh' ? onCommand('refresh') : undefined)}
      />
      {state.notice ? <Line color={theme.colours.warning}>{state.notice}</Line> : null}
      {foot}
    </Box>
  );
}
