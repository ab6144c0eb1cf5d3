/**
 * A storage token from IMDS, as a Batch node gets it for one of its pool's identities.
 *
 * Two ways in, chosen by whether the program was told which IMDS to ask:
 *
 * - Not told (the program runs on a node): ManagedIdentityCredential with the identity's client id
 *   or resource id — exactly what task code using the Azure SDK does there, so a pass here means
 *   the SDK on that node will pass too. MSAL picks its managed-identity source, endpoint included,
 *   once per process (specs/README.md), which is right on a node: there is one IMDS.
 *
 * - Told (`endpoint`: the sandbox's IMDS for one node, `BATCH_MI_TUI_IMDS`): the documented GET,
 *   made here with fetch. Same request MSAL's IMDS source sends — path, api-version 2018-02-01,
 *   `Metadata: true`, `client_id` / `msi_res_id` — but without MSAL, because (1) the endpoint MSAL
 *   fixes for the process cannot change, and the sandbox has an IMDS per node: the Token screen
 *   checks pools one after another in one session; (2) pointing MSAL elsewhere means setting
 *   AZURE_POD_IDENTITY_AUTHORITY_HOST for the whole process, which would also redirect the
 *   operator's own DefaultAzureCredential; (3) the raw answer keeps IMDS's own status and
 *   error_description, which the check quotes.
 *
 * Either way a refusal is returned, classified (domain/token/imds.ts), never thrown: the token
 * check reports it as its first step.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import {
  STORAGE_RESOURCE,
  classifyImdsFailure,
  imdsDescriptionFromSdk,
  type ImdsFailure,
  type ImdsSelector,
} from '../domain/token/imds.js';

export type ImdsResult =
  | {
      ok: true;
      token: string;
      /** When the token expires (IMDS's expires_on, or the credential's). */
      expiresOn: Date;
      /** The client id IMDS says the token is for (the direct GET's `client_id` field). */
      clientId?: string;
      via: string;
    }
  | { ok: false; failure: ImdsFailure; via: string };

export interface ImdsOptions {
  /**
   * An IMDS to ask directly (origin plus any path prefix, e.g. the sandbox's
   * http://127.0.0.1:PORT/accounts/A/pools/P/nodes/N). Absent: ManagedIdentityCredential.
   */
  endpoint?: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Attempts on 429/5xx/410 or no answer, as IMDS's guidance asks (default 3). */
  attempts?: number;
  /** Tests only: replaces real waiting between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

const TOKEN_PATH = '/metadata/identity/oauth2/token';

/** IMDS answers 410 while it updates and 429/5xx when busy: worth another try, after a pause. */
const retriable = (status: number) => status === 410 || status === 429 || status >= 500;

function query(selector: ImdsSelector, resource: string): string {
  const q = new URLSearchParams({ 'api-version': '2018-02-01', resource });
  if ('clientId' in selector) q.set('client_id', selector.clientId);
  if ('resourceId' in selector) q.set('msi_res_id', selector.resourceId);
  return q.toString();
}

interface ImdsBody {
  access_token?: unknown;
  expires_on?: unknown;
  client_id?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export class ImdsGateway {
  constructor(private readonly options: ImdsOptions = {}) {}

  /** Where tokens are asked for, as the check's report names it. */
  get via(): string {
    return this.options.endpoint
      ? `IMDS at ${this.options.endpoint}`
      : 'ManagedIdentityCredential (IMDS on this machine)';
  }

  getToken(
    selector: ImdsSelector,
    resource = STORAGE_RESOURCE,
    signal?: AbortSignal,
  ): Promise<ImdsResult> {
    return this.options.endpoint
      ? this.direct(this.options.endpoint, selector, resource, signal)
      : this.viaCredential(selector, resource, signal);
  }

  private async viaCredential(
    selector: ImdsSelector,
    resource: string,
    signal?: AbortSignal,
  ): Promise<ImdsResult> {
    const credential =
      'clientId' in selector
        ? new ManagedIdentityCredential({ clientId: selector.clientId })
        : 'resourceId' in selector
          ? new ManagedIdentityCredential({ resourceId: selector.resourceId })
          : new ManagedIdentityCredential();
    const scope = `${resource.replace(/\/+$/, '')}/.default`;
    try {
      const token = await credential.getToken(scope, { abortSignal: signal });
      return {
        ok: true,
        token: token.token,
        expiresOn: new Date(token.expiresOnTimestamp),
        via: this.via,
      };
    } catch (error) {
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const status = /\b(400|403|404|410|429|500|502|503|504)\b/.exec(message)?.[1];
      const description = imdsDescriptionFromSdk(message);
      // The credential quotes IMDS's words when IMDS answered; otherwise nothing answered.
      const answered = /Description:/i.test(message);
      return {
        ok: false,
        via: this.via,
        failure: classifyImdsFailure(
          answered
            ? { description, ...(status ? { status: Number(status) } : {}) }
            : { transport: description },
        ),
      };
    }
  }

  private async direct(
    endpoint: string,
    selector: ImdsSelector,
    resource: string,
    signal?: AbortSignal,
  ): Promise<ImdsResult> {
    const url = `${endpoint.replace(/\/+$/, '')}${TOKEN_PATH}?${query(selector, resource)}`;
    const attempts = this.options.attempts ?? 3;
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last: ImdsFailure = { kind: 'unreachable', description: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { Metadata: 'true' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        const cause = (error as { cause?: { code?: string } }).cause;
        last = classifyImdsFailure({
          transport: cause?.code ?? (error instanceof Error ? error.message : String(error)),
        });
        if (attempt < attempts) await sleep(500 * attempt);
        continue;
      }
      const text = await response.text();
      let body: ImdsBody = {};
      try {
        body = JSON.parse(text) as ImdsBody;
      } catch {
        // IMDS answers JSON; anything else is described by its first line.
      }
      if (response.ok && typeof body.access_token === 'string') {
        const expiresOn = Number(body.expires_on);
        return {
          ok: true,
          token: body.access_token,
          expiresOn: new Date(Number.isFinite(expiresOn) ? expiresOn * 1000 : Date.now()),
          ...(typeof body.client_id === 'string' ? { clientId: body.client_id } : {}),
          via: this.via,
        };
      }
      const description =
        typeof body.error_description === 'string'
          ? body.error_description
          : typeof body.error === 'string'
            ? body.error
            : (text.split('\n')[0] ?? '').slice(0, 200) || response.statusText;
      last = classifyImdsFailure({ status: response.status, description });
      if (!retriable(response.status) || attempt === attempts) break;
      await sleep(500 * attempt);
    }
    return { ok: false, failure: last, via: this.via };
  }
}
