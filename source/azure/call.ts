/**
 * What every gateway shares: per-call abort signal and retry listener, the retry policy, and the
 * read-only guard. Read-only is enforced here, where writes are made (SPEC §7 safety): a write
 * in read-only mode fails with a ReadOnly domain error before any request is built.
 */
import { readOnlyRefused } from '../domain/errors.js';
import { collectPages, type CollectOptions, type Collected, type PageFetcher } from './paging.js';
import { withRetry, type RetryListener, type RetryOptions, type RetryPolicy } from './retry.js';

export interface GatewayOptions {
  /** Read on every write, so `:ro` can toggle it while the program runs. Default: false. */
  readOnly?: boolean | (() => boolean);
  /** Receives every retry of every call of this gateway (e.g. the status line). */
  onRetry?: RetryListener;
  retryPolicy?: Partial<RetryPolicy>;
  /** Tests only: replaces real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  /** Aborts the call, its retries and its waits (a screen closing). */
  signal?: AbortSignal;
  /** Also told about this call's retries (in addition to the gateway's listener). */
  onRetry?: RetryListener;
}

export class Caller {
  constructor(private readonly options: GatewayOptions = {}) {}

  isReadOnly(): boolean {
    const ro = this.options.readOnly;
    return typeof ro === 'function' ? ro() : ro === true;
  }

  retryOptions(
    operation: string,
    idempotent: boolean,
    call: CallOptions = {},
    resource?: string,
  ): RetryOptions {
    const listeners = [this.options.onRetry, call.onRetry].filter((l) => l !== undefined);
    return {
      operation,
      idempotent,
      ...(resource === undefined ? {} : { resource }),
      ...(call.signal === undefined ? {} : { signal: call.signal }),
      ...(this.options.retryPolicy === undefined ? {} : { policy: this.options.retryPolicy }),
      ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
      ...(listeners.length ? { onRetry: (e) => listeners.forEach((l) => l(e)) } : {}),
    };
  }

  /** An idempotent read: retried on 429, 5xx and transport failures. */
  read<T>(
    operation: string,
    fn: () => Promise<T>,
    call?: CallOptions,
    resource?: string,
  ): Promise<T> {
    return withRetry(fn, this.retryOptions(operation, true, call, resource));
  }

  /** A listing, paged to the end (or `limit`), each page retried on its own. */
  list<T>(
    operation: string,
    fetchPage: PageFetcher<T>,
    call?: CallOptions,
    collect?: CollectOptions<T>,
    resource?: string,
  ): Promise<Collected<T>> {
    return collectPages(fetchPage, this.retryOptions(operation, true, call, resource), collect);
  }

  /** A write: refused in read-only mode without calling Azure; retried on 429 only. */
  async write<T>(
    operation: string,
    fn: () => Promise<T>,
    call?: CallOptions,
    resource?: string,
  ): Promise<T> {
    if (this.isReadOnly()) throw readOnlyRefused(operation);
    return withRetry(fn, this.retryOptions(operation, false, call, resource));
  }
}
