/**
 * The audit log (issue 7): every change the flows applied (or tried to) from this machine,
 * newest first — what, where, when, by whom — as AuditLog reads it back. Opened with `l` on the
 * Flows screen or its "Audit log" row; Esc closes it.
 */
import type { ReactNode } from 'react';
import type { AuditRead } from '../../../flows-audit.js';
import { formatAuditEntry } from '../../../domain/plans/index.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { StatusBar, statusBarRows } from '../../components/StatusBar.js';
import { useResource } from '../../hooks/useResource.js';
import { useTheme } from '../../theme.js';
import { flowRowNodes } from './render.js';
import type { FlowRow } from './rows.js';
import { wrapRow } from './rows.js';
import { auditLogOf } from './services.js';
import type { FlowConnection } from './services.js';

const LIMIT = 500;

export function auditRows(read: AuditRead, path: string, width: number): FlowRow[] {
  if (read.missing)
    return wrapRow(`Nothing applied from this machine yet (${path} does not exist).`, width, '');
  const rows = read.entries.flatMap((e) =>
    wrapRow(
      formatAuditEntry(e),
      width,
      '',
      e.outcome === 'failed' ? 'error' : e.outcome === 'applied' ? 'ok' : undefined,
    ),
  );
  if (read.skipped)
    rows.push(
      ...wrapRow(`${read.skipped} line(s) of ${path} were not audit entries`, width, '', 'warning'),
    );
  return rows;
}

export function AuditView({
  connection,
  active,
  width,
  height,
}: {
  connection: FlowConnection;
  active: boolean;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const audit = auditLogOf(connection.services);
  const resource = useResource(`audit|${audit.path}`, () => audit.read({ limit: LIMIT }));
  const read = resource.state.value;
  const rows: ReactNode[] = flowRowNodes(read ? auditRows(read, audit.path, width) : [], theme);
  const count = read ? `${read.entries.length} change(s) recorded in ${audit.path}` : '';
  return (
    <ScrollPanel
      screen="flows"
      active={active}
      title="Audit log of the flows (newest first)"
      rows={rows}
      height={height}
      top={<StatusBar width={width} state={resource.state} what="the audit log" summary={count} />}
      topRows={statusBarRows(resource.state, width)}
      onCommand={(command) => {
        if (command === 'refresh') resource.reload();
      }}
    />
  );
}
