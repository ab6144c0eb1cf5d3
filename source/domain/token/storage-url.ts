/**
 * Blob Storage URLs as operators paste them: `https://<account>.blob.core.windows.net/<container>
 * [/<blob>]`, or path-style `https://<ip or localhost>:<port>/<account>/<container>[/<blob>]` as
 * emulators (and the sandbox) serve them — the same rule @azure/storage-blob applies. A SAS in the
 * query is a secret: it is never shown, only said to be there.
 */
import type { ParseResult } from '../resource-id.js';

export interface StorageTarget {
  accountName: string;
  /** The account's blob endpoint, ending in a slash (path-style: including the account). */
  serviceUrl: string;
  container?: string;
  /** Blob name, decoded, with its virtual directories. */
  blob?: string;
  pathStyle: boolean;
  /** The URL carries a SAS (`sig=`). */
  hasSas: boolean;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function isPathStyle(host: string): boolean {
  return IPV4.test(host) || host.startsWith('[') || host === 'localhost';
}

/** Parses a storage account, container or blob URL; one sentence when it is not one. */
export function parseStorageUrl(input: string): ParseResult<StorageTarget> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, message: `'${redactUrl(input)}' is not a URL` };
  }
  if (url.protocol !== 'https:')
    return {
      ok: false,
      message: 'the storage URL must be https:// (bearer tokens are refused over http)',
    };
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pathStyle = isPathStyle(url.hostname);
  let accountName: string;
  let serviceUrl: string;
  if (pathStyle) {
    const account = segments.shift();
    if (!account) return { ok: false, message: `'${redactUrl(input)}' names no storage account` };
    accountName = account;
    serviceUrl = `${url.origin}/${account}/`;
  } else {
    accountName = url.hostname.split('.')[0] ?? '';
    serviceUrl = `${url.origin}/`;
  }
  const [container, ...rest] = segments;
  const target: StorageTarget = {
    accountName,
    serviceUrl,
    pathStyle,
    hasSas: url.searchParams.has('sig'),
  };
  if (container) target.container = container;
  if (rest.length) target.blob = rest.join('/');
  return { ok: true, value: target };
}

/** The URL without its query: a SAS signature must never reach the screen, JSON or a log. */
export function redactUrl(input: string): string {
  const q = input.indexOf('?');
  if (q === -1) return input;
  return /[?&]sig=/i.test(input.slice(q)) ? `${input.slice(0, q)}?<SAS hidden>` : input.slice(0, q);
}

/** Where the target is, in operator words: "container logs of stbatchlogs". */
export function describeTarget(t: StorageTarget): string {
  if (t.blob) return `blob ${t.blob} in container ${t.container ?? ''} of ${t.accountName}`;
  if (t.container) return `container ${t.container} of ${t.accountName}`;
  return `storage account ${t.accountName}`;
}

/** The ARM scope a role must cover for the target (container scope when there is one). */
export function targetScope(storageAccountId: string, t: StorageTarget): string {
  return t.container
    ? `${storageAccountId}/blobServices/default/containers/${t.container}`
    : storageAccountId;
}
