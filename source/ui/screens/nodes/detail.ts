/**
 * A node's detail (Enter on the Nodes screen): state and how long, address, and every error with
 * its message and details, then the start task's failure — what an operator otherwise digs out
 * of the portal's node blade. Messages wrap to the width instead of being cut.
 */
import type { NodeRow } from '../../../domain/model.js';
import { NODE_STATE_LABELS, timeInState } from '../../../domain/nodes.js';
import { wrapped } from '../../components/text-rows.js';
import type { TextRow } from '../../components/text-rows.js';
import { clockTime, formatDuration } from '../../format.js';

export function nodeDetailRows(node: NodeRow, observedAt: number, width: number): TextRow[] {
  const indented = (text: string, indent: number, tone?: TextRow['tone']): TextRow[] =>
    wrapped(text, width, indent, tone);
  const since = node.stateTransitionTime;
  const where = [
    `IP ${node.ipAddress ?? '-'}`,
    node.isDedicated === undefined ? '' : node.isDedicated ? 'dedicated' : 'spot',
    node.allocationTime ? `allocated ${clockTime(node.allocationTime)}` : '',
    node.schedulingState ? `scheduling ${node.schedulingState}` : '',
  ];
  const inState = formatDuration(timeInState(node, new Date(observedAt))) || '?';
  const rows: TextRow[] = [
    ...indented(node.id, 0),
    ...indented(
      `state ${NODE_STATE_LABELS[node.state]} for ${inState}${since ? ` (since ${clockTime(since)})` : ''}`,
      0,
    ),
    ...indented(where.filter(Boolean).join(' · '), 0),
  ];
  rows.push({ text: '' });
  if (node.errors.length === 0) {
    rows.push({ text: 'No errors reported on this node.', tone: 'muted' });
  } else {
    rows.push({ text: `Errors (${node.errors.length})` });
    for (const error of node.errors) {
      rows.push(...indented(error.code, 2, 'error'));
      rows.push(...indented(error.message, 4));
      for (const d of error.details) rows.push(...indented(`${d.name}: ${d.value}`, 4, 'muted'));
    }
  }
  const failure = node.startTaskFailure;
  if (failure) {
    rows.push({ text: '' });
    rows.push({ text: 'Start task failed' });
    rows.push(
      ...indented(`${failure.code}${failure.category ? ` (${failure.category})` : ''}`, 2, 'error'),
    );
    rows.push(...indented(failure.message, 4));
  }
  return rows;
}
