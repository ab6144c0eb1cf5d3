import type { IncomingHttpHeaders } from 'node:http';

/** What every sandbox handler receives: the request, already read. */
export interface SandboxRequest {
  method: string;
  url: URL;
  /** Path with leading slashes collapsed (arm-authorization sends `//subscriptions/...`). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Which listener it came in on: 'arm', 'entra', 'imds', 'storage', 'batch', 'control'. */
  listener: string;
  /** The caller's address as the socket saw it (IPv4-mapped IPv6 unwrapped): 127.0.0.1 here. */
  remoteAddress?: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is served as JSON; a string or Buffer as is. */
  body?: unknown;
}

/** Returns undefined when the route is not its own (the server then answers 404 in the listener's error shape). */
export type Handler = (req: SandboxRequest) => Promise<SandboxResponse | undefined> | SandboxResponse | undefined;

/** Claims of a token the sandbox's Entra issued, as they appear in the JWT. */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  appid?: string;
  azp?: string;
  xms_mirid?: string;
  idtyp?: 'app' | 'user';
  [claim: string]: unknown;
}
