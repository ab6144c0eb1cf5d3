/**
 * The small set of failures the rest of the program reasons about. Gateways (azure/) turn SDK
 * errors into these; screens and commands show `message` in the status line and `nextStep`
 * beneath it, and pick an exit code from `kind`. Never a stack trace in front of an operator.
 *
 * Beyond ARCHITECTURE.md's six kinds there are three more, each because a screen must act on it
 * differently: `ReadOnly` (refused by us, Azure was never called), `Conflict` (ETag mismatch or
 * "already exists": re-read, or treat as done), and `Unexpected` (a bug or an unknown answer:
 * details go to the --debug file, not the screen).
 */

export type DomainErrorDetail =
  /** No usable credential, or Azure rejected the token (401). */
  | { kind: 'NotSignedIn'; sourcesTried: string[] }
  /** 403. `action`/`scope` as ARM names them in AuthorizationFailed / LinkedAuthorizationFailed. */
  | { kind: 'Forbidden'; action?: string; scope?: string; linked?: boolean }
  | { kind: 'NotFound'; resource?: string }
  /** 429 still after our retries, or a Retry-After longer than we are willing to wait. */
  | { kind: 'Throttled'; retryAfterMs?: number }
  /** Azure unreachable (connection refused/reset, DNS, TLS) or answering 5xx after retries. */
  | { kind: 'Network'; status?: number }
  /** 400/422: Azure refused the request's content. */
  | { kind: 'Invalid'; field?: string }
  /** 409/412. */
  | { kind: 'Conflict' }
  /** A write attempted while read-only mode is on. */
  | { kind: 'ReadOnly'; operation: string }
  | { kind: 'Unexpected' };

export type DomainErrorKind = DomainErrorDetail['kind'];

export interface DomainErrorInit {
  /** Azure's error code (AuthorizationFailed, PoolNotFound, ...), when it sent one. */
  azureCode?: string;
  statusCode?: number;
  /** x-ms-request-id / request-id: what Azure support asks for. */
  requestId?: string;
  /** What we were doing, in operator words: "list pools of account acct1". */
  operation?: string;
  cause?: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly azureCode: string | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly operation: string | undefined;

  constructor(
    readonly detail: DomainErrorDetail,
    /** One line, no trailing period needed: what failed, as the operator would say it. */
    message: string,
    /** One line: what to do about it. */
    readonly nextStep: string,
    init: DomainErrorInit = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.azureCode = init.azureCode;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.operation = init.operation;
  }

  get kind(): DomainErrorKind {
    return this.detail.kind;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** Exit code for the non-interactive commands (SPEC §2): sign-in/permission/bad input → 2. */
export function exitCodeFor(error: DomainError): 1 | 2 {
  switch (error.kind) {
    case 'NotSignedIn':
    case 'Forbidden':
    case 'Invalid':
    case 'ReadOnly':
      return 2;
    default:
      return 1;
  }
}

const prefix = (init: DomainErrorInit): string => (init.operation ? `${init.operation}: ` : '');

export function notSignedIn(
  reason: string,
  sourcesTried: string[] = [],
  init: DomainErrorInit = {},
): DomainError {
  const tried = sourcesTried.length ? ` (tried ${sourcesTried.join(', ')})` : '';
  return new DomainError(
    { kind: 'NotSignedIn', sourcesTried },
    `${prefix(init)}not signed in to Azure${tried}: ${reason}`,
    'Run `az login` (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET), then press r',
    init,
  );
}

export function forbidden(
  where: { action?: string; scope?: string; linked?: boolean },
  azureMessage: string,
  init: DomainErrorInit = {},
): DomainError {
  const what = where.action ? `may not perform ${where.action}` : 'is not allowed to do this';
  const on = where.scope ? ` on ${where.scope}` : '';
  const message = where.action
    ? `${prefix(init)}your identity ${what}${on}${where.linked ? ' (linked scope)' : ''}`
    : `${prefix(init)}forbidden: ${azureMessage}`;
  const nextStep = where.action
    ? `Ask an owner for a role that grants ${where.action}${on} (e.g. Contributor, or Managed Identity Operator for identity assign actions); reads still work — use --read-only meanwhile`
    : 'Ask an owner of the resource for access (Azure RBAC), then press r';
  return new DomainError({ kind: 'Forbidden', ...where }, message, nextStep, init);
}

export function notFound(
  azureMessage: string,
  resource?: string,
  init: DomainErrorInit = {},
): DomainError {
  return new DomainError(
    resource === undefined ? { kind: 'NotFound' } : { kind: 'NotFound', resource },
    `${prefix(init)}not found: ${azureMessage}`,
    'Check the subscription (:sub), account and pool names; it may have been deleted — press r to refresh',
    init,
  );
}

export function throttled(retryAfterMs?: number, init: DomainErrorInit = {}): DomainError {
  const wait =
    retryAfterMs === undefined ? '' : ` (Azure asks to wait ${Math.ceil(retryAfterMs / 1000)}s)`;
  return new DomainError(
    retryAfterMs === undefined ? { kind: 'Throttled' } : { kind: 'Throttled', retryAfterMs },
    `${prefix(init)}Azure is throttling requests${wait}`,
    'Wait a little and press r; a longer --refresh interval makes fewer calls',
    init,
  );
}

export function network(reason: string, init: DomainErrorInit = {}): DomainError {
  const status = init.statusCode;
  return new DomainError(
    status === undefined ? { kind: 'Network' } : { kind: 'Network', status },
    status === undefined
      ? `${prefix(init)}cannot reach Azure: ${reason}`
      : `${prefix(init)}Azure answered ${status}: ${reason}`,
    status === undefined
      ? 'Check the network, proxy (HTTPS_PROXY) and VPN, then press r'
      : "This is on Azure's side and usually passes: press r in a minute; check status.azure.com if it persists",
    init,
  );
}

export function invalid(
  azureMessage: string,
  field?: string,
  init: DomainErrorInit = {},
): DomainError {
  return new DomainError(
    field === undefined ? { kind: 'Invalid' } : { kind: 'Invalid', field },
    `${prefix(init)}Azure refused the request: ${azureMessage}`,
    'Correct the value named above and try again; nothing was changed',
    init,
  );
}

export function conflict(azureMessage: string, init: DomainErrorInit = {}): DomainError {
  return new DomainError(
    { kind: 'Conflict' },
    `${prefix(init)}conflict: ${azureMessage}`,
    'Someone changed it since it was read: press r to re-read, then try again',
    init,
  );
}

export function readOnlyRefused(operation: string): DomainError {
  return new DomainError(
    { kind: 'ReadOnly', operation },
    `read-only mode: refused to ${operation}`,
    'Leave read-only mode (:ro, or start without --read-only) to make changes',
    { operation },
  );
}

export function unexpected(reason: string, init: DomainErrorInit = {}): DomainError {
  return new DomainError(
    { kind: 'Unexpected' },
    `${prefix(init)}unexpected error: ${reason}`,
    'Run again with --debug and look at the debug file; please report it if it persists',
    init,
  );
}
