/**
 * The seeded sandbox, with clients built exactly as the program builds them (cloud/), plus a
 * request counter on the ARM clients' pipelines: instrumentation only, the SDKs run unchanged.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { trustProfileCa, type CaTrust } from '../../source/cloud/ca.js';
import { createClients, type CloudClients } from '../../source/cloud/clients.js';
import { createCredential } from '../../source/cloud/credential.js';
import type { CloudProfile } from '../../source/cloud/profile.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../../source/cloud/start-sandbox.js';
import { SEED } from '../../source/sandbox/world/seed.js';

export interface Fixture {
  embedded: EmbeddedSandbox;
  profile: CloudProfile;
  trust: CaTrust;
  operator: CloudClients;
  reader: CloudClients;
}

export async function startFixture(): Promise<Fixture> {
  const embedded = await startEmbeddedSandbox();
  const profile = embedded.profile;
  const trust = await trustProfileCa(profile);
  const operator = createClients(profile, createCredential(profile, trust), trust);
  const readerProfile = {
    ...profile,
    clientId: SEED.reader.clientId,
    clientSecret: SEED.reader.clientSecret,
  };
  const reader = createClients(readerProfile, createCredential(readerProfile, trust), trust);
  return { embedded, profile, trust, operator, reader };
}

export interface RequestLog {
  /** `METHOD path` of every request that left the client, with its start time. */
  entries: Array<{ what: string; at: number }>;
  peakInFlight: number;
  reset(): void;
}

/** Counts the requests an ARM client sends (each attempt once) and the peak concurrency. */
export function countRequests(client: {
  pipeline: { addPolicy(policy: PipelinePolicy): void };
}): RequestLog {
  let inFlight = 0;
  const log: RequestLog = {
    entries: [],
    peakInFlight: 0,
    reset() {
      log.entries.length = 0;
      log.peakInFlight = 0;
    },
  };
  client.pipeline.addPolicy({
    name: 'test-request-counter',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      log.entries.push({
        what: `${request.method} ${url.pathname.replace(/\/+/g, '/')}`,
        at: Date.now(),
      });
      inFlight++;
      log.peakInFlight = Math.max(log.peakInFlight, inFlight);
      try {
        return await next(request);
      } finally {
        inFlight--;
      }
    },
  });
  return log;
}
