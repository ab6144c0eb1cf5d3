/**
 * How values read on screen: short, stable widths, nothing that needs a wide terminal. Pure, so
 * columns and tests share one definition.
 */
import type { NodeStateCounts } from '../domain/nodes.js';
import { NODE_STATE_LABELS, nonZeroStates } from '../domain/nodes.js';

/** `42s`, `3m05s`, `2h07m`, `3d04h`: time in state as operators say it, at most 6 characters. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d${String(h % 24).padStart(2, '0')}h`;
}

/** Local wall-clock time (HH:MM:SS): what an operator compares with their own clock. */
export function clockTime(at: Date | number): string {
  const d = typeof at === 'number' ? new Date(at) : at;
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/** 10000 → `10,000`, independent of the machine's locale so tests and screens agree. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The name of a resource from its ARM id (storage account of an autostorage block, ...). */
export function nameOf(id: string | undefined): string {
  if (!id) return '';
  const parts = id.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] ?? id;
}

/** `idle 9,950 · starting 50`: non-zero states in the order of a node's life. */
export function describeCounts(counts: NodeStateCounts, separator = ' · '): string {
  const parts = nonZeroStates(counts).map(
    ({ state, count }) => `${NODE_STATE_LABELS[state]} ${formatCount(count)}`,
  );
  return parts.length === 0 ? 'no nodes' : parts.join(separator);
}

/** Fits text into exactly `width` columns: cut with a mark, or padded. */
export function fit(
  text: string,
  width: number,
  align: 'left' | 'right' = 'left',
  mark = '…',
): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length > width) {
    return width <= mark.length
      ? chars.slice(0, width).join('')
      : chars.slice(0, width - mark.length).join('') + mark;
  }
  // Pad by code points, not UTF-16 units, so a ✓ or ✗ counts as the one column it takes.
  const padding = ' '.repeat(width - chars.length);
  return align === 'right' ? padding + text : text + padding;
}
