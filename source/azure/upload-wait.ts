/**
 * Following an uploadbatchservicelogs call: the node answers at once with how many files it will
 * write and where, then writes them in the background. The only way to know it is done is to list
 * the virtual directory until that many blobs are there. Shared by `upload-logs` (progress on
 * stderr) and the Logs screen (progress in the frame): progress is reported through a callback.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobInfo, StorageGateway } from './storage.js';

export interface UploadProgress {
  listed: number;
  expected: number;
  waitedMs: number;
}

export interface UploadWait {
  files: BlobInfo[];
  /** False when the wait ran out before every file arrived. */
  complete: boolean;
  waitedMs: number;
}

export interface UploadWaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  now?: () => number;
}

/** Lists `container/prefix` until `expected` blobs are there, or `timeoutMs` has passed. */
export async function waitForUpload(
  storage: StorageGateway,
  container: string,
  prefix: string,
  expected: number,
  options: UploadWaitOptions = {},
): Promise<UploadWait> {
  const { timeoutMs = 120_000, intervalMs = 1000, signal, onProgress } = options;
  const now = options.now ?? Date.now;
  const started = now();
  for (;;) {
    const files = await storage.listBlobs(container, { prefix }, signal ? { signal } : {});
    const waitedMs = now() - started;
    onProgress?.({ listed: files.length, expected, waitedMs });
    if (files.length >= expected) return { files, complete: true, waitedMs };
    if (waitedMs >= timeoutMs) return { files, complete: false, waitedMs };
    await sleep(intervalMs, undefined, signal ? { signal } : {});
  }
}
