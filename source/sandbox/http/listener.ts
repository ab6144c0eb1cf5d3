/**
 * One listener of the sandbox: an HTTPS (or, for IMDS, plain HTTP) server on 127.0.0.1 that reads
 * each request whole, applies injected faults, and hands it to a Handler. Everything Azure-shaped
 * lives in the handlers; this file only knows HTTP.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults } from '../faults.js';
import { genericError } from './errors.js';
import type { Handler, SandboxRequest, SandboxResponse } from './types.js';

export interface ListenerOptions {
  /** 'arm', 'entra', 'imds', 'storage', 'batch', 'control': picks the error shape and fault rules. */
  name: string;
  handler: Handler;
  /** TLS key and certificate; omitted: plain HTTP (IMDS is plain HTTP in Azure too). */
  tls?: { key: string; cert: string };
  port?: number;
  faults?: Faults;
  /** Called with errors a handler threw (the client gets a 500 in the listener's shape). */
  onError?: (error: unknown, req: SandboxRequest) => void;
}

export interface OpenListener {
  name: string;
  port: number;
  /** `https://127.0.0.1:PORT` (or http:// for IMDS). */
  origin: string;
  close(): Promise<void>;
}

/** `//subscriptions/x` (arm-authorization sends it) and `/subscriptions/x` are the same route. */
export const normalizePath = (pathname: string): string => `/${pathname.replace(/^\/+/, '')}`;

export async function openListener(options: ListenerOptions): Promise<OpenListener> {
  const sockets = new Set<Socket>();
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void serve(options, req, res);
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  // Keep-alive sockets of the SDKs' agents would hold close() open: track them to end them.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  return {
    name: options.name,
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

async function serve(
  options: ListenerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return; // the client went away while sending
  }
  const scheme = options.tls ? 'https' : 'http';
  // Collapse leading slashes before parsing: arm-authorization sends `//subscriptions/...`, which
  // the URL parser would read as a protocol-relative URL whose host is `subscriptions`.
  const target = normalizePath(req.url ?? '/');
  const url = new URL(target, `${scheme}://${req.headers.host ?? '127.0.0.1'}`);
  const request: SandboxRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: normalizePath(url.pathname),
    headers: req.headers,
    body: Buffer.concat(chunks),
    listener: options.name,
    ...(req.socket.remoteAddress
      ? { remoteAddress: req.socket.remoteAddress.replace(/^::ffff:/i, '') }
      : {}),
  };

  const decision = options.faults?.decide(
    options.name,
    request.method,
    `${request.path}${url.search}`,
  );
  if (decision && decision.delayMs > 0) await sleep(decision.delayMs);
  const fault = decision?.fault;
  if (fault?.kind === 'drop') {
    req.socket.destroy();
    return;
  }

  let response: SandboxResponse | undefined;
  if (fault?.kind === 'throttle') {
    // Azure Storage throttles with 503 ServerBusy (its SDK retries 503, not 429); the rest say 429.
    response =
      options.name === 'storage'
        ? genericError('storage', 503, 'unavailable', request)
        : genericError(options.name, 429, 'throttled', request);
    response.headers = { ...response.headers, 'retry-after': String(fault.retryAfterSeconds ?? 1) };
  } else if (fault?.kind === 'error') {
    const status = fault.status ?? 503;
    response = genericError(
      options.name,
      status,
      status === 503 ? 'unavailable' : 'internal',
      request,
    );
  } else {
    try {
      response =
        (await options.handler(request)) ?? genericError(options.name, 404, 'notFound', request);
    } catch (error) {
      options.onError?.(error, request);
      response = genericError(options.name, 500, 'internal', request);
    }
  }
  write(res, request, response);
}

function write(res: http.ServerResponse, req: SandboxRequest, response: SandboxResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = {
    date: new Date().toUTCString(),
    ...lowerCaseKeys(response.headers ?? {}),
  };
  let body: Buffer;
  if (response.body === undefined || response.body === null) body = Buffer.alloc(0);
  else if (Buffer.isBuffer(response.body)) body = response.body;
  else if (typeof response.body === 'string') body = Buffer.from(response.body, 'utf8');
  else {
    body = Buffer.from(JSON.stringify(response.body), 'utf8');
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  // A HEAD answer (storage's getProperties) keeps the content-length of what GET would send.
  if (req.method !== 'HEAD' || headers['content-length'] === undefined)
    headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}
