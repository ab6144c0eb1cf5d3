/**
 * The SDKs' own retry policies are switched off, and ours (retry.ts) is the only one:
 * - counted once: with both on, one 503 becomes up to 4 × 4 attempts, and ms-rest-js's default
 *   retry interval is 30 s — a screen would hang for minutes with nothing to say;
 * - reported: the SDK policies retry silently, so a screen could not say "retrying (429, 2s)…";
 * - honest about Retry-After: ours never retries sooner and gives up (Throttled, with the wait)
 *   when the wait is too long to hold a screen.
 * cloud/ spreads these options into the clients it builds. The management gateways also remove
 * any Retry-phase policy from the clients they are given (removeSdkRetries, public pipeline API),
 * so an ARM client built elsewhere cannot double the retries. The legacy Batch client has no such
 * seam after construction: BATCH_CLIENT_RETRY_OPTIONS at construction is the contract. The fault
 * tests count attempts to prove retries happen once.
 */

/** For `new BatchManagementClient(...)` / `new AuthorizationManagementClient(...)` options. */
export const ARM_CLIENT_RETRY_OPTIONS = { retryOptions: { maxRetries: 0 } } as const;

/** For `new BatchServiceClient(credentials, batchUrl, options)` (ms-rest-js ServiceClientOptions). */
export const BATCH_CLIENT_RETRY_OPTIONS = { noRetryPolicy: true } as const;

/** The part of a core-client ServiceClient we touch. */
export interface HasPipeline {
  pipeline: {
    removePolicy(options: {
      name?: string;
      phase?: 'Serialize' | 'Deserialize' | 'Retry' | 'Sign';
    }): unknown;
  };
}

/** Removes the Retry-phase policies (defaultRetryPolicy) from a built ARM client. Idempotent. */
export function removeSdkRetries(client: HasPipeline): void {
  client.pipeline.removePolicy({ phase: 'Retry' });
}
