/**
 * ARM resource ids: parsing and building. Azure treats ids case-insensitively (its own answers
 * mix `resourceGroups` and `resourcegroups`), so comparisons go through `sameId`.
 */
import { createHash, randomUUID } from 'node:crypto';

export const sameId = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

export interface ParsedId {
  subscriptionId?: string;
  resourceGroup?: string;
  provider?: string;
  /** type/name pairs after the provider, e.g. [['batchAccounts','acc'],['pools','p']]. */
  resources: Array<[string, string]>;
}

/** Splits `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/...`. */
export function parseArmId(id: string): ParsedId {
  const parts = id.split('/').filter((p) => p !== '');
  const parsed: ParsedId = { resources: [] };
  let i = 0;
  while (i < parts.length) {
    const segment = (parts[i] ?? '').toLowerCase();
    const value = parts[i + 1];
    if (segment === 'subscriptions' && value !== undefined) parsed.subscriptionId = value;
    else if (segment === 'resourcegroups' && value !== undefined) parsed.resourceGroup = value;
    else if (segment === 'providers' && value !== undefined) parsed.provider = value;
    else if (value !== undefined) parsed.resources.push([parts[i] ?? '', value]);
    i += 2;
  }
  return parsed;
}

export const resourceGroupId = (subscriptionId: string, resourceGroup: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** The resource group id a resource id lives in (undefined for subscription-level ids). */
export function resourceGroupOf(id: string): string | undefined {
  const parsed = parseArmId(id);
  if (!parsed.subscriptionId || !parsed.resourceGroup) return undefined;
  return resourceGroupId(parsed.subscriptionId, parsed.resourceGroup);
}

export const lastSegment = (id: string): string => id.split('/').filter(Boolean).pop() ?? '';

/** Azure's date-time format with seven fractional digits, as ARM and Batch serve it. */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

export const newGuid = (): string => randomUUID();

/** A deterministic GUID from text (seeded worlds stay identical from run to run). */
export function guidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * An ARM weak ETag as Batch serves it, from a count of 100 ns ticks: W/"0x8D...". Ticks are a
 * bigint: epoch milliseconds times 10,000 exceed Number.MAX_SAFE_INTEGER, so one tick more would
 * round away as a number.
 */
export const etagOfTicks = (ticks: bigint): string =>
  `W/"0x8D${ticks.toString(16).toUpperCase().slice(-13).padStart(13, '0')}"`;

/** Milliseconds as 100 ns ticks. */
export const ticksOf = (ms: number): bigint => BigInt(Math.trunc(ms)) * 10_000n;
