/** One identity in full (Enter on Identities): ids, every use, every role on autostorage. */
import { clockTime } from '../../format.js';
import { wrapped as wrap } from '../../components/text-rows.js';
import type { TextRow } from '../../components/text-rows.js';
import { roleText, useText } from './columns.js';
import type { IdentityRow } from './load.js';

export function identityDetailRows(row: IdentityRow, width: number): TextRow[] {
  const wrapped = (text: string, indent: number, tone?: TextRow['tone']): TextRow[] =>
    wrap(text, width, indent, tone);
  const { info } = row;
  const rows: TextRow[] = [
    ...wrapped(info.id, 0, 'muted'),
    { text: `principalId ${info.principalId ?? 'unknown'}` },
    { text: `clientId    ${info.clientId ?? 'unknown'}` },
    { text: '' },
    { text: `Used as (${info.uses.length})` },
    ...info.uses.flatMap((u) => wrapped(useText(u), 2)),
    { text: '' },
    {
      text:
        row.storages.length === 0
          ? 'Role assignments on autostorage: no account using it has autostorage'
          : `Role assignments on autostorage (${row.storages.join(', ')})`,
    },
  ];
  if (row.problem !== undefined)
    rows.push(...wrapped(`could not read: ${row.problem}`, 2, 'error'));
  if (row.roles.length === 0 && row.storages.length > 0 && row.problem === undefined) {
    rows.push({ text: '  none', tone: 'warning' });
  }
  for (const role of row.roles) {
    const since = role.assignment.createdOn
      ? ` since ${role.assignment.createdOn.toISOString().slice(0, 10)} ${clockTime(role.assignment.createdOn)}`
      : '';
    rows.push(...wrapped(`${roleText(role)}${since}`, 2));
  }
  return rows;
}
