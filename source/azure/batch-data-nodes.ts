/**
 * A compute node of the Batch data plane as the Nodes screen holds it (NodeRow): mapped from the
 * wire or the SDK model, and compared with a row held from an earlier listing without building a
 * new one (BatchDataGateway.eachNode hands the held row back when nothing changed).
 */
import type { NodeError, NodeRow, NodeState } from '../domain/model.js';
import { NODE_STATES } from '../domain/model.js';

/**
 * A compute node as either the wire (JSON, dates as strings) or the SDK model (dates as Date)
 * has it: the property names are the same, so one mapper serves both.
 */
export interface NodeLike {
  id?: string;
  state?: string;
  schedulingState?: string;
  stateTransitionTime?: Date | string;
  allocationTime?: Date | string;
  ipAddress?: string;
  isDedicated?: boolean;
  errors?: Array<{
    code?: string;
    message?: string;
    errorDetails?: Array<{ name?: string; value?: string }>;
  }>;
  startTaskInfo?: { failureInfo?: { code?: string; message?: string; category?: string } };
}

/** The states as constants: rows share these strings instead of each holding the wire's copy. */
const STATES = new Map<string, NodeState>(NODE_STATES.map((s) => [s, s]));

function stateOf(s: string | undefined): NodeState {
  if (s === undefined) return 'unknown';
  return STATES.get(s) ?? STATES.get(s.toLowerCase()) ?? 'unknown';
}

/**
 * Most nodes have no errors: they share one empty list, frozen so that a push fails loudly
 * instead of giving every node the error.
 */
const NO_ERRORS = Object.freeze([]) as unknown as NodeError[];

const dateOf = (v: Date | string | undefined): Date | undefined =>
  v === undefined ? undefined : v instanceof Date ? v : new Date(v);

export function toNodeRow(n: NodeLike): NodeRow {
  const row: NodeRow = {
    id: n.id ?? '',
    state: stateOf(n.state),
    errors:
      n.errors === undefined || n.errors.length === 0
        ? NO_ERRORS
        : n.errors.map((e) => ({
            code: e.code ?? '',
            message: e.message ?? '',
            details: (e.errorDetails ?? []).map((d) => ({
              name: d.name ?? '',
              value: d.value ?? '',
            })),
          })),
  };
  // The constants, not the wire's copies of them.
  if (n.schedulingState === 'enabled' || n.schedulingState === 'disabled')
    row.schedulingState = n.schedulingState === 'enabled' ? 'enabled' : 'disabled';
  const since = dateOf(n.stateTransitionTime);
  if (since) row.stateTransitionTime = since;
  const allocated = dateOf(n.allocationTime);
  if (allocated) row.allocationTime = allocated;
  if (n.ipAddress) row.ipAddress = n.ipAddress;
  if (n.isDedicated !== undefined) row.isDedicated = n.isDedicated;
  const failure = n.startTaskInfo?.failureInfo;
  if (failure) {
    row.startTaskFailure = {
      code: failure.code ?? '',
      message: failure.message ?? '',
      ...(failure.category ? { category: failure.category } : {}),
    };
  }
  return row;
}

function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

const twoDigits = (text: string, i: number): number => digitAt(text, i) * 10 + digitAt(text, i + 1);

/**
 * Epoch ms of a time as Batch writes it (`2026-11-23T16:53:10.4140000Z`), as `new Date(text)`
 * reads it (fraction truncated to ms), without Date.parse's general parser, which costs ~7 ms
 * per refresh of 10,000 nodes (two times each). Any other shape goes to Date.parse.
 */
export function isoMs(text: string): number {
  const n = text.length;
  if (
    n < 20 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(n - 1) !== 90 ||
    (n > 20 && (text.charCodeAt(19) !== 46 || n === 21))
  )
    return Date.parse(text);
  let ms = 0;
  for (let i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
    const d = digitAt(text, i);
    if (Number.isNaN(d)) return Date.parse(text);
    if (scale >= 1) ms += d * scale;
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  // NaN fails every comparison, so a non-digit anywhere falls through to Date.parse.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days =
    month === 2
      ? leap
        ? 29
        : 28
      : month === 4 || month === 6 || month === 9 || month === 11
        ? 30
        : 31;
  if (
    !(year >= 100) ||
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= days) ||
    !(hour <= 23) ||
    !(minute <= 59) ||
    !(second <= 59)
  )
    return Date.parse(text);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** `t` (wire text or SDK Date) as epoch ms, without building a Date. */
const timeOf = (t: Date | string | undefined): number | undefined =>
  t === undefined ? undefined : t instanceof Date ? t.getTime() : isoMs(t);

/** Whether the wire's node says exactly what `row` (from an earlier listing) says. */
export function sameAsListed(row: NodeRow, n: NodeLike): boolean {
  const errors = n.errors ?? [];
  const failure = n.startTaskInfo?.failureInfo;
  const held = row.startTaskFailure;
  return (
    row.id === n.id &&
    row.state === stateOf(n.state) &&
    row.schedulingState ===
      (n.schedulingState === 'enabled' || n.schedulingState === 'disabled'
        ? n.schedulingState
        : undefined) &&
    row.stateTransitionTime?.getTime() === timeOf(n.stateTransitionTime) &&
    row.allocationTime?.getTime() === timeOf(n.allocationTime) &&
    row.ipAddress === (n.ipAddress || undefined) &&
    row.isDedicated === n.isDedicated &&
    row.errors.length === errors.length &&
    row.errors.every((e, i) => {
      const w = errors[i];
      const details = w?.errorDetails ?? [];
      return (
        w !== undefined &&
        e.code === (w.code ?? '') &&
        e.message === (w.message ?? '') &&
        e.details.length === details.length &&
        e.details.every(
          (d, j) => d.name === (details[j]?.name ?? '') && d.value === (details[j]?.value ?? ''),
        )
      );
    }) &&
    (failure === undefined
      ? held === undefined
      : held !== undefined &&
        held.code === (failure.code ?? '') &&
        held.message === (failure.message ?? '') &&
        held.category === (failure.category || undefined))
  );
}
