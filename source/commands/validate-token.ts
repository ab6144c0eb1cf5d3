/**
 * `batch-mi-tui validate-token --storage-url URL [--client-id ID | --resource-id ID |
 * --token-file FILE] [--json]` (SPEC §5): can this identity, as the nodes of a pool get it, read
 * this storage? Four steps, one line each: acquire a token, compare its claims with the identity
 * (MI027), call storage, check the role assignments. Exit 0 when none failed, 1 when one did, 2
 * for bad input or a failed sign-in.
 *
 * Where the token comes from:
 * - none of the three: the signed-in credential (the operator's own);
 * - --client-id / --resource-id: IMDS, as on a node. Elsewhere, BATCH_MI_TUI_IMDS names the IMDS
 *   to ask: an http URL, or ACCOUNT/POOL/NODE for a node of the sandbox (its profile's imdsBase);
 * - --token-file: a token fetched on a node (the curl line printed at the end does that).
 * The token is never printed, logged or kept: only its first 8 characters are shown.
 */
import { readFile } from 'node:fs/promises';
import type { Connection } from '../cloud/connect.js';
import { DomainError, exitCodeFor } from '../domain/errors.js';
import { decodeJwt } from '../domain/jwt.js';
import { nodeTokenCommand, type ImdsSelector } from '../domain/token/imds.js';
import { parseStorageUrl, redactUrl } from '../domain/token/storage-url.js';
import type { TokenSource } from '../domain/token/steps.js';
import {
  commonOptions,
  failureMessage,
  stopSignal,
  wantsColour,
  type Output,
} from './run-support.js';
import { armAccess, checkPorts, type Acquisition } from './validate-token-ports.js';
import {
  appendDebug,
  formatFooter,
  formatHeader,
  formatStep,
  painter,
  reportJson,
} from './validate-token-output.js';

/** An input the operator must fix: one sentence, exit 2. */
class BadInput extends Error {}

const text = (values: Record<string, string | true>, name: string) =>
  typeof values[name] === 'string' ? values[name] : undefined;

/** A token file holds the token, or IMDS's whole JSON answer (curl without jq). */
export async function readTokenFile(path: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES'
          ? 'permission was denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : `of ${code ?? 'an error'}`;
    throw new BadInput(`Cannot read the token file ${path} because ${why}.`);
  }
  let token = content.trim();
  if (token.startsWith('{')) {
    try {
      const answer = JSON.parse(token) as { access_token?: unknown };
      if (typeof answer.access_token === 'string') token = answer.access_token;
    } catch {
      // Not JSON after all: judged as a token below.
    }
  }
  if (!decodeJwt(token))
    throw new BadInput(
      `The token file ${path} does not hold a JWT; write one on a node with: ${nodeTokenCommand({})}.`,
    );
  return token;
}

/** BATCH_MI_TUI_IMDS: an IMDS origin (and path prefix), or ACCOUNT/POOL/NODE of the sandbox. */
export function imdsEndpointFrom(
  value: string | undefined,
  imdsBase: string | undefined,
): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^https?:\/\//i.test(v)) return v.replace(/\/+$/, '');
  const parts = v.split('/');
  if (parts.length !== 3 || parts.some((p) => !p))
    throw new BadInput(
      `BATCH_MI_TUI_IMDS must be an http:// URL or ACCOUNT/POOL/NODE, not '${v}'.`,
    );
  if (!imdsBase)
    throw new BadInput(
      'BATCH_MI_TUI_IMDS names a sandbox node, but the cloud profile has no imdsBase (use --sandbox or a sandbox profile).',
    );
  const [account, pool, node] = parts.map(encodeURIComponent);
  return `${imdsBase.replace(/\/+$/, '')}/accounts/${account ?? ''}/pools/${pool ?? ''}/nodes/${node ?? ''}`;
}

async function openConnection(
  values: Record<string, string | true>,
  needed: boolean,
  output: Output,
) {
  const { connect } = await import('../cloud/connect.js');
  try {
    return await connect(commonOptions(values));
  } catch (error) {
    // A node is often signed in to nothing: the check still runs, without ARM.
    const signIn = error instanceof Error && error.message.startsWith('Could not sign in');
    if (needed || !signIn) throw error;
    const why = failureMessage(error).replace(/\.$/, '');
    output.err(
      `batch-mi-tui: not signed in to Azure, so the claims are compared with what was asked for and the role check is skipped (${why}).\n`,
    );
    return undefined;
  }
}

export async function runValidateTokenCommand(
  values: Record<string, string | true>,
  output: Output,
): Promise<number> {
  const json = values.json === true;
  const storageUrl = text(values, 'storage-url') ?? '';
  const clientId = text(values, 'client-id');
  const resourceId = text(values, 'resource-id');
  const tokenFile = text(values, 'token-file');
  const debug = text(values, 'debug');
  const stop = stopSignal(output);
  let connection: Connection | undefined;
  try {
    const parsed = parseStorageUrl(storageUrl);
    if (!parsed.ok) throw new BadInput(`--storage-url: ${parsed.message}.`);
    const target = parsed.value;
    const token = tokenFile === undefined ? undefined : await readTokenFile(tokenFile);
    const imds = clientId !== undefined || resourceId !== undefined;
    connection = await openConnection(values, !imds && token === undefined, output);
    const selector: ImdsSelector = clientId ? { clientId } : resourceId ? { resourceId } : {};
    let acquisition: Acquisition;
    let source: TokenSource;
    if (token !== undefined && tokenFile !== undefined) {
      acquisition = { kind: 'file', path: tokenFile, token };
      source = { kind: 'file', path: tokenFile };
    } else if (imds) {
      const endpoint = imdsEndpointFrom(output.env.BATCH_MI_TUI_IMDS, connection?.profile.imdsBase);
      if (!endpoint && connection?.profile.imdsBase)
        throw new BadInput(
          "On the sandbox, say which node's IMDS to ask: set BATCH_MI_TUI_IMDS=ACCOUNT/POOL/NODE (node ids: batch-mi-tui nodes).",
        );
      const { ImdsGateway } = await import('../azure/imds.js');
      const gateway = new ImdsGateway(endpoint ? { endpoint } : {});
      acquisition = { kind: 'imds', imds: gateway, selector };
      source = { kind: 'imds', selector, endpoint: endpoint ?? 'http://169.254.169.254' };
    } else if (connection) {
      acquisition = { kind: 'operator', connection };
      source = { kind: 'operator', credential: connection.info.credentialLabel };
    } else
      throw new BadInput(
        'Not signed in, and no --client-id, --resource-id or --token-file to get a token from.',
      );

    const arm = await armAccess(connection);
    const paint = painter(wantsColour(output));
    if (!json) output.out(`${formatHeader(headerLabel(source), redactUrl(storageUrl))}\n`);
    const { runTokenCheck } = await import('../domain/token/check.js');
    const report = await runTokenCheck(
      checkPorts(acquisition, target, arm, connection?.trust.tlsOptions),
      {
        source,
        target,
        storageUrl,
        ...(connection?.profile.tenantId ? { tenantId: connection.profile.tenantId } : {}),
        signal: stop.signal,
        ...(json
          ? {}
          : { onStep: (step) => output.out(`${formatStep(step, paint).join('\n')}\n`) }),
      },
    );
    const document = reportJson(report);
    appendDebug(debug, 'validate-token report', JSON.stringify(document, null, 2));
    output.out(
      json
        ? `${JSON.stringify(document, null, 2)}\n`
        : `${formatFooter(report, paint).join('\n')}\n`,
    );
    return report.passed ? 0 : 1;
  } catch (error) {
    if (stop.signal.aborted) return stop.code();
    appendDebug(debug, 'validate-token failed', error);
    output.err(`batch-mi-tui: ${failureMessage(error)}\n`);
    // Bad input, a missing profile and a failed sign-in are the operator's to fix (SPEC §2: 2).
    return error instanceof DomainError ? exitCodeFor(error) : 2;
  } finally {
    stop.dispose();
    await connection?.close();
  }
}

/** Who is asked about, as the header line names them. */
function headerLabel(source: TokenSource): string {
  switch (source.kind) {
    case 'imds':
      return 'clientId' in source.selector
        ? `identity with client id ${source.selector.clientId} (IMDS)`
        : 'resourceId' in source.selector
          ? `identity ${source.selector.resourceId.split('/').pop() ?? ''} (IMDS)`
          : 'the node identity (IMDS)';
    case 'operator':
      return `you (${source.credential})`;
    case 'file':
      return `the token in ${source.path}`;
  }
}
