/**
 * Known signatures in a node's Batch service logs (agent-debug.log and friends): the lines that
 * explain a managed-identity failure, each with what it means and the doctor rule that names the
 * cause and the fix. Texts are Azure's own where Azure documents them (RULES.md §1–§3, [S1][S4]
 * [S9][I7]): the agent's `TvmJoinPoolInProgress`, the node error `ApplicationPackageError`, the
 * task failure codes, Storage's error codes and IMDS's error descriptions.
 *
 * Pure: a line in, a match out. Matching is per line, so a viewer can highlight the visible
 * window of a 30 MB log without reading the rest; `LogContext` carries the one fact that changes
 * how other lines read (a node identity reference that is null), collected as lines stream by.
 */
import type { RuleId } from '../doctor/types.js';

export type SignatureId =
  | 'tvm-join-in-progress'
  | 'identity-not-on-vm'
  | 'imds-multiple-identities'
  | 'application-package-error'
  | 'resource-download-failed'
  | 'container-list-misc-error'
  | 'storage-firewall'
  | 'permission-mismatch'
  | 'container-access-denied'
  | 'blob-access-denied'
  | 'autostorage-no-permission'
  | 'node-identity-reference-null';

export interface Signature {
  id: SignatureId;
  /** The text that identifies it (matched case-insensitively). */
  pattern: RegExp;
  rule: RuleId;
  /** One line: what the operator should understand from it. */
  explanation: string;
  severity: 'error' | 'warning' | 'info';
}

export interface SignatureMatch {
  /** 0-based line number in the file. */
  line: number;
  signature: SignatureId;
  rule: RuleId;
  explanation: string;
  severity: Signature['severity'];
  /** Where the identifying text is in the line: [start, end) in UTF-16 units, to highlight. */
  span: [number, number];
}

/**
 * Most specific first: a line that says both "403 AuthorizationPermissionMismatch" and
 * "download failed" is about the missing role, not about downloads in general.
 */
export const SIGNATURES: readonly Signature[] = [
  {
    id: 'tvm-join-in-progress',
    pattern: /TvmJoinPoolInProgress/i,
    rule: 'MI003',
    severity: 'error',
    explanation:
      'The node never finishes joining the pool: autostorage uses the account identity, but no node identity reference is set, so the node cannot fetch what the pool needs (table A3).',
  },
  {
    id: 'imds-multiple-identities',
    pattern: /Multiple user assigned identities exist/i,
    rule: 'MI008',
    severity: 'warning',
    explanation:
      'The VM has several user-assigned identities and the token request named none; IMDS answers 400 until client_id or msi_res_id is given (set AZURE_CLIENT_ID for the task).',
  },
  {
    id: 'identity-not-on-vm',
    pattern: /Identity not found|not assigned to this VM/i,
    rule: 'MI004',
    severity: 'error',
    explanation:
      "IMDS refused a token for an identity the node's VM does not have: the node identity reference (or an identityReference) is not among the pool's identities (table A4).",
  },
  {
    id: 'autostorage-no-permission',
    pattern: /AutoStorageNoPermission/i,
    rule: 'MI002',
    severity: 'error',
    explanation:
      "The Batch account's identity has no Storage Blob Data Contributor/Owner on autostorage, so package uploads fail with 409.",
  },
  {
    id: 'storage-firewall',
    pattern: /\bAuthorizationFailure\b/,
    rule: 'MI017',
    severity: 'error',
    explanation:
      "Storage's firewall refused the node's network (403 AuthorizationFailure), even if the identity's role is right: allow the pool's subnet on the storage account.",
  },
  {
    id: 'container-list-misc-error',
    pattern: /ResourceContainerListMiscError/i,
    rule: 'MI004',
    severity: 'error',
    explanation:
      'Storage answered 400 while listing the container: the identity named for it is not on the pool, so the node cannot get a token for it (table B4).',
  },
  {
    id: 'permission-mismatch',
    pattern: /AuthorizationPermissionMismatch/i,
    rule: 'MI005',
    severity: 'error',
    explanation:
      'Storage accepted the token but the identity holds no Storage Blob Data role there (403 AuthorizationPermissionMismatch): grant Storage Blob Data Reader (tables A2/B2).',
  },
  {
    id: 'container-access-denied',
    pattern: /ResourceContainerAccessDenied/i,
    rule: 'MI005',
    severity: 'error',
    explanation:
      'The node could not read the resource-file container: its identity lacks a Storage Blob Data role there, or no node identity reference is set (tables B2/B3).',
  },
  {
    id: 'blob-access-denied',
    pattern: /BlobAccessDenied/i,
    rule: 'MI005',
    severity: 'error',
    explanation:
      'The node could not read a blob it was given: the identityReference lacks a Storage Blob Data role there, or is missing.',
  },
  {
    id: 'application-package-error',
    pattern:
      /ApplicationPackageError|One or more application packages specified for the pool are invalid/i,
    rule: 'MI004',
    severity: 'error',
    explanation:
      "The node is unusable because its application packages could not be installed: most often the node identity reference is not one of the pool's identities (table A4).",
  },
  {
    id: 'resource-download-failed',
    pattern: /Resource download failed/i,
    rule: 'MI004',
    severity: 'error',
    explanation:
      'A package or resource file download failed on the node: check that the node identity reference is on the pool (MI004) and holds a data role (MI005).',
  },
  {
    id: 'node-identity-reference-null',
    pattern: /nodeIdentityReference\W{0,3}null/i,
    rule: 'MI003',
    severity: 'warning',
    explanation:
      'Autostorage has no node identity reference: nodes have no identity to reach autostorage with, so packages and autostorage resource files fail (MI003).',
  },
];

/** Facts gathered from the whole log that change what single lines mean. */
export interface LogContext {
  /** The log states that autostorage has no node identity reference. */
  nodeIdentityReferenceNull: boolean;
}

export const emptyContext = (): LogContext => ({ nodeIdentityReferenceNull: false });

/** Updates the context with one line (call for every line, in any order). */
export function observeContext(context: LogContext, text: string): LogContext {
  if (!context.nodeIdentityReferenceNull && /nodeIdentityReference\W{0,3}null/i.test(text))
    return { ...context, nodeIdentityReferenceNull: true };
  return context;
}

/**
 * Without a node identity reference the node has no identity for autostorage at all, so an
 * access denial there is table B3 (MI003), not a missing role (MI005): same code, other cause.
 */
function refine(match: SignatureMatch, context: LogContext): SignatureMatch {
  if (
    context.nodeIdentityReferenceNull &&
    (match.signature === 'container-access-denied' || match.signature === 'permission-mismatch')
  ) {
    return {
      ...match,
      rule: 'MI003',
      explanation:
        'Access to the autostorage container was denied because no node identity reference is set: the node has no identity to read it with (table B3). Set autostorage.nodeIdentityReference to a pool identity with a data role.',
    };
  }
  return match;
}

/** The first (most specific) known signature in one line, or undefined. */
export function matchLine(
  text: string,
  line: number,
  context: LogContext = emptyContext(),
): SignatureMatch | undefined {
  for (const s of SIGNATURES) {
    const found = s.pattern.exec(text);
    if (!found) continue;
    return refine(
      {
        line,
        signature: s.id,
        rule: s.rule,
        explanation: s.explanation,
        severity: s.severity,
        span: [found.index, found.index + found[0].length],
      },
      context,
    );
  }
  return undefined;
}

/** The same signature on many lines (the join line repeats every few seconds): shown once. */
export interface SignatureGroup {
  match: SignatureMatch;
  count: number;
  lastLine: number;
}

/** Which signature explains a log best: the cause, before its consequences. */
const PRIORITY: readonly SignatureId[] = [
  'tvm-join-in-progress',
  'identity-not-on-vm',
  'container-list-misc-error',
  'imds-multiple-identities',
  'storage-firewall',
  'autostorage-no-permission',
  'permission-mismatch',
  'container-access-denied',
  'blob-access-denied',
  'application-package-error',
  'resource-download-failed',
  'node-identity-reference-null',
];

/**
 * Accumulates matches over a stream of lines with bounded memory: one group per signature,
 * however long the log. `explanation()` picks the group that explains the log.
 */
export class SignatureScan {
  private context = emptyContext();
  private readonly groups = new Map<SignatureId, SignatureGroup>();

  add(text: string, line: number): void {
    this.context = observeContext(this.context, text);
    const match = matchLine(text, line, this.context);
    if (!match) return;
    const group = this.groups.get(match.signature);
    if (group) {
      group.count += 1;
      group.lastLine = line;
    } else this.groups.set(match.signature, { match, count: 1, lastLine: line });
  }

  /** Groups in the order the log shows them, re-read with everything the log told us. */
  results(): SignatureGroup[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g, match: refine(g.match, this.context) }))
      .sort((a, b) => a.match.line - b.match.line);
  }

  /** The signature that explains the log, or undefined when it shows none. */
  /** What the whole log says about the node (e.g. no node identity reference), for matching single lines later. */
  logContext(): LogContext {
    return this.context;
  }

  explanation(): SignatureGroup | undefined {
    const all = this.results();
    for (const id of PRIORITY) {
      const group = all.find((g) => g.match.signature === id);
      if (group) return group;
    }
    return undefined;
  }
}

/** All groups of an in-memory log (small files, tests). */
export function scanLines(lines: readonly string[]): SignatureScan {
  const scan = new SignatureScan();
  lines.forEach((text, i) => scan.add(text, i));
  return scan;
}
