/** Small helpers shared by the ARM handlers: ARM's error shape, JSON bodies, query access. */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { newGuid } from '../world/ids.js';

/** ARM's error envelope: {"error":{"code","message"}} with the request id headers ARM sends. */
export function armError(status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'x-ms-request-id': newGuid(), ...extraHeaders }, body: { error: { code, message } } };
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'x-ms-request-id': newGuid(), ...headers }, body };
}

/** Query parameters are matched case-insensitively by ARM ($filter, $skipToken, api-version). */
export function query(req: SandboxRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of req.url.searchParams) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export type JsonBody = Record<string, unknown>;

/** Parses a JSON request body; ARM answers 400 InvalidRequestContent for malformed JSON. */
export function readJson(req: SandboxRequest): { ok: true; body: JsonBody } | { ok: false; response: SandboxResponse } {
  const text = req.body.toString('utf8').trim();
  if (text === '') return { ok: true, body: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, body: value as JsonBody };
  } catch {
    // answered below
  }
  return { ok: false, response: armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.') };
}

export const asRecord = (value: unknown): JsonBody | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonBody) : undefined;

/** One page of a list with ARM's absolute nextLink (`$skiptoken` carries the offset). */
export function page<T>(req: SandboxRequest, armBase: string, items: T[], serialize: (item: T) => unknown, pageSize = 100): SandboxResponse {
  const offset = Math.max(0, Number.parseInt(query(req, '$skiptoken') ?? '0', 10) || 0);
  const slice = items.slice(offset, offset + pageSize);
  const body: { value: unknown[]; nextLink?: string } = { value: slice.map(serialize) };
  if (offset + pageSize < items.length) {
    const next = new URL(req.path, armBase);
    for (const [k, v] of req.url.searchParams) if (k.toLowerCase() !== '$skiptoken') next.searchParams.set(k, v);
    next.searchParams.set('$skiptoken', String(offset + pageSize));
    body.nextLink = next.toString();
  }
  return ok(body);
}
