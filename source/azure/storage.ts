/**
 * Blob Storage (@azure/storage-blob, which sends `x-ms-version` on every request — bearer tokens
 * are refused without it): list a container, read a blob's properties, read a blob range by
 * range, create the logs container, and call storage once for the token check.
 *
 * One gateway per storage account, over a BlobServiceClient the caller made: the signed-in
 * operator's (cloud/clients.ts), one for a token obtained elsewhere (`blobServiceForToken`, the
 * token check), or one for a SAS URL. Refusals become domain errors that say which of the three
 * storage causes it was (storage-errors.ts).
 */
import type { TokenCredential } from '@azure/identity';
import {
  AnonymousCredential,
  BlobServiceClient,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import type { StorageProbe } from '../domain/token/storage-steps.js';
import { LineIndex, type LineIndexOptions } from '../domain/logs/line-index.js';
import { Caller, type CallOptions, type GatewayOptions } from './call.js';
import { errorFacts, isAbortError } from './errors.js';
import { authenticationDetail, storageErrorCode, toStorageError } from './storage-errors.js';

export interface BlobInfo {
  name: string;
  /** Content-Length in bytes. */
  size: number;
  lastModified?: Date;
  contentType?: string;
}

/** Our retry loop is the one (azure/retry.ts); the SDK's own would multiply it. */
const NO_SDK_RETRIES = { retryOptions: { maxTries: 1 } };

type Options = StoragePipelineOptions & { tlsOptions?: { ca: string[] } };

/** A client that presents one token already obtained (from IMDS, a file, …) and nothing else. */
export function blobServiceForToken(
  serviceUrl: string,
  token: string,
  options: { tlsOptions?: { ca: string[] } } = {},
): BlobServiceClient {
  const credential: TokenCredential = {
    // Storage's bearer policy asks for a scope; the token is what it is, whatever the scope.
    getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 5 * 60_000 }),
  };
  const pipeline: Options = { ...NO_SDK_RETRIES, ...options };
  return new BlobServiceClient(serviceUrl, credential, pipeline);
}

/** A client for a container URL that carries its own SAS. */
export function blobServiceForSas(
  serviceUrlWithSas: string,
  options: { tlsOptions?: { ca: string[] } } = {},
) {
  const pipeline: Options = { ...NO_SDK_RETRIES, ...options };
  return new BlobServiceClient(serviceUrlWithSas, new AnonymousCredential(), pipeline);
}

export class StorageGateway {
  private readonly calls: Caller;

  /** The client's URL carries a SAS (storage-errors.ts words refusals differently then). */
  private readonly sas: boolean;

  constructor(
    private readonly service: BlobServiceClient,
    options: GatewayOptions = {},
  ) {
    this.calls = new Caller(options);
    this.sas = /[?&]sig=/i.test(service.url);
  }

  get accountName(): string {
    return this.service.accountName;
  }

  private async read<T>(
    operation: string,
    where: { container?: string; blob?: string },
    fn: () => Promise<T>,
    call: CallOptions,
  ): Promise<T> {
    try {
      return await this.calls.read(operation, fn, call, where.blob ?? where.container);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw toStorageError(error, {
        operation,
        accountName: this.accountName,
        sas: this.sas,
        ...where,
      });
    }
  }

  /** Blobs of a container under a prefix (a virtual directory), all pages, up to `limit`. */
  async listBlobs(
    container: string,
    options: { prefix?: string; limit?: number } = {},
    call: CallOptions = {},
  ): Promise<BlobInfo[]> {
    const client = this.service.getContainerClient(container);
    const limit = options.limit ?? 5000;
    const pages = client
      .listBlobsFlat({ ...(options.prefix ? { prefix: options.prefix } : {}) })
      .byPage({ maxPageSize: Math.min(limit, 5000) });
    const found: BlobInfo[] = [];
    for (;;) {
      // Each page on its own retry: a listing that fails half-way resumes, not restarts.
      const page = await this.read(
        `list blobs in ${container} of ${this.accountName}`,
        { container },
        () => pages.next(),
        call,
      );
      if (page.done) break;
      for (const item of page.value.segment.blobItems) {
        found.push({
          name: item.name,
          size: item.properties.contentLength ?? 0,
          ...(item.properties.lastModified ? { lastModified: item.properties.lastModified } : {}),
          ...(item.properties.contentType ? { contentType: item.properties.contentType } : {}),
        });
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  async getBlobProperties(
    container: string,
    blob: string,
    call: CallOptions = {},
  ): Promise<BlobInfo> {
    const p = await this.read(
      `read properties of ${blob}`,
      { container, blob },
      () =>
        this.service
          .getContainerClient(container)
          .getBlobClient(blob)
          .getProperties({ abortSignal: call.signal }),
      call,
    );
    return {
      name: blob,
      size: p.contentLength ?? 0,
      ...(p.lastModified ? { lastModified: p.lastModified } : {}),
      ...(p.contentType ? { contentType: p.contentType } : {}),
    };
  }

  /** Bytes [offset, offset+count) of a blob: one ranged GET (x-ms-range). */
  async readRange(
    container: string,
    blob: string,
    offset: number,
    count: number,
    call: CallOptions = {},
  ): Promise<Uint8Array> {
    return this.read(
      `read ${blob} bytes ${offset}–${offset + count - 1}`,
      { container, blob },
      async () => {
        const response = await this.service
          .getContainerClient(container)
          .getBlobClient(blob)
          .download(offset, count, { abortSignal: call.signal });
        const stream = response.readableStreamBody;
        if (!stream) return new Uint8Array(0);
        const chunks: Buffer[] = [];
        for await (const chunk of stream)
          chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
        return Buffer.concat(chunks);
      },
      call,
    );
  }

  /** A line index over a blob, read range by range as the viewer asks (domain/logs). */
  async openLines(
    container: string,
    blob: string,
    options: LineIndexOptions = {},
    call: CallOptions = {},
  ): Promise<LineIndex> {
    const { size } = await this.getBlobProperties(container, blob, call);
    return new LineIndex(
      (offset, count, signal) =>
        this.readRange(container, blob, offset, count, signal ? { ...call, signal } : call),
      size,
      options,
    );
  }

  async containerExists(container: string, call: CallOptions = {}): Promise<boolean> {
    return this.read(
      `look for container ${container} in ${this.accountName}`,
      { container },
      () => this.service.getContainerClient(container).exists({ abortSignal: call.signal }),
      call,
    );
  }

  /**
   * Creates the container unless it exists; true when it was created. A write: refused in
   * read-only mode.
   */
  async createContainer(container: string, call: CallOptions = {}): Promise<boolean> {
    const operation = `create container ${container} in ${this.accountName}`;
    try {
      const r = await this.calls.write(
        operation,
        () =>
          this.service
            .getContainerClient(container)
            .createIfNotExists({ abortSignal: call.signal }),
        call,
        container,
      );
      return r.succeeded;
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw toStorageError(error, {
        operation,
        accountName: this.accountName,
        container,
        write: true,
        sas: this.sas,
      });
    }
  }

  /**
   * One call as the token check's third step: List Blobs (one result) on a container, Get Blob
   * Properties on a blob, List Containers on an account. Storage's answer, whatever it is, is
   * the result: only an abort throws.
   */
  async probe(
    target: { container?: string; blob?: string },
    call: CallOptions = {},
  ): Promise<StorageProbe> {
    const operation = target.blob
      ? 'Get Blob Properties'
      : target.container
        ? 'List Blobs'
        : 'List Containers';
    try {
      const status = await this.calls.read(
        `${operation} on ${this.accountName}`,
        async () => {
          if (target.container && target.blob) {
            const p = await this.service
              .getContainerClient(target.container)
              .getBlobClient(target.blob)
              .getProperties({ abortSignal: call.signal });
            return p._response.status;
          }
          const page = target.container
            ? await this.service
                .getContainerClient(target.container)
                .listBlobsFlat()
                .byPage({ maxPageSize: 1 })
                .next()
            : await this.service.listContainers().byPage({ maxPageSize: 1 }).next();
          return page.done ? 200 : page.value._response.status;
        },
        call,
      );
      return { operation, status, message: 'OK' };
    } catch (error) {
      if (isAbortError(error)) throw error;
      const sdk = error instanceof Error && error.cause !== undefined ? error.cause : error;
      const f = errorFacts(sdk);
      const code = storageErrorCode(f, sdk);
      const detail = authenticationDetail(sdk);
      return {
        operation,
        ...(f.statusCode === undefined ? {} : { status: f.statusCode }),
        ...(code === undefined ? {} : { code }),
        message: detail ?? f.message.split('\n')[0] ?? f.message,
      };
    }
  }
}
