/**
 * Paging to the end (or to a window) with a retry per page: when page 7 of 10 is throttled, we
 * retry page 7 from its continuation token (the nextLink), not the whole listing.
 */
import { withRetry, type RetryOptions } from './retry.js';

export interface Page<T> {
  items: T[];
  /** The continuation token (ARM nextLink / Batch odata.nextLink); undefined on the last page. */
  next?: string;
}

/** The part of the SDKs' PagedAsyncIterableIterator we use (typed here: core-paging is not our dependency). */
export interface PagedListing<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]>;
}

export type PageFetcher<T> = (continuationToken: string | undefined) => Promise<Page<T>>;

export interface CollectOptions<T> {
  /** Stop once this many items are in hand (a window); the rest is not fetched. */
  limit?: number;
  /** Called after each page with the page's items and the running total (progressive screens). */
  onPage?: (items: readonly T[], total: number) => void;
}

export interface Collected<T> {
  items: T[];
  /** True when `limit` cut the listing short. */
  truncated: boolean;
  pages: number;
}

/** A server that hands back the same nextLink forever must not hang a screen. */
const MAX_PAGES = 100_000;

export async function collectPages<T>(
  fetchPage: PageFetcher<T>,
  retry: RetryOptions,
  options: CollectOptions<T> = {},
): Promise<Collected<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const current = token;
    const page = await withRetry(() => fetchPage(current), retry);
    pages += 1;
    for (const item of page.items) items.push(item);
    options.onPage?.(page.items, items.length);
    if (options.limit !== undefined && items.length >= options.limit) {
      const truncated = items.length > options.limit || page.next !== undefined;
      items.length = Math.min(items.length, options.limit);
      return { items, truncated, pages };
    }
    if (!page.next || seen.has(page.next) || pages >= MAX_PAGES)
      return { items, truncated: false, pages };
    seen.add(page.next);
    token = page.next;
  }
}

/**
 * Adapts an ARM SDK listing (PagedAsyncIterableIterator) to a PageFetcher. `getContinuationToken`
 * must be the one exported by the same package as the listing: each package keeps its own
 * page → token map.
 */
export function armPages<T>(
  list: () => PagedListing<T>,
  getContinuationToken: (page: unknown) => string | undefined,
): PageFetcher<T> {
  return async (continuationToken) => {
    const pages = list().byPage(
      continuationToken === undefined ? undefined : { continuationToken },
    );
    try {
      const result = await pages.next();
      if (result.done) return { items: [] };
      const next = getContinuationToken(result.value);
      return next === undefined ? { items: result.value } : { items: result.value, next };
    } finally {
      // Close the generator: we drive paging ourselves, one retried page at a time.
      await pages.return?.(undefined);
    }
  };
}
