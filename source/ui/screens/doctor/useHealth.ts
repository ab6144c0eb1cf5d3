/**
 * The health column's data: one doctor run (collector + rules) over the table's scope, started
 * once the table's rows are in — it never holds up the first rows — and again each time they are
 * read again (`r`), never per row. Until it is done the column says '…'.
 */
import { runDoctor } from '../../../domain/doctor/engine.js';
import { useResource } from '../../hooks/useResource.js';
import type { Collect } from '../../session.js';
import { healthIndex } from './health.js';
import type { HealthIndex } from './health.js';
import type { RunScope } from './useDoctorRun.js';

export interface HealthRun {
  /** undefined while unknown; 'failed' when the doctor could not run. */
  index: HealthIndex | 'failed' | undefined;
  error: unknown;
}

/**
 * `tableReadAt` is when the table's rows were read (undefined: not yet); `subscriptionId` and
 * `scope` name what the table shows.
 */
export function useHealth(
  collect: Collect,
  subscriptionId: string,
  scope: RunScope,
  tableReadAt: number | undefined,
): HealthRun {
  const key =
    tableReadAt === undefined
      ? undefined
      : ['health', subscriptionId, scope.account ?? '', scope.pool ?? '', tableReadAt].join('|');
  const { state } = useResource(key, async (call) =>
    healthIndex(runDoctor(await collect(scope, call))),
  );
  return {
    index: state.error !== undefined && state.value === undefined ? 'failed' : state.value,
    error: state.error,
  };
}
