/**
 * Trusting a profile's CA (the sandbox's) without dropping the public roots, so that the same
 * process can still reach real Azure. Measured (specs/README.md): setting NODE_EXTRA_CA_CERTS at
 * run time does nothing and https.globalAgent is ignored by the Azure pipelines. What works is
 * tls.setDefaultCACertificates (Node ≥ 22.19 / 24.5) before the first TLS connection, or per
 * client options: `tlsOptions.ca` for the core-rest-pipeline clients and an https.Agent for the
 * legacy @azure/batch client. A per-client `ca` replaces the defaults, hence the public roots
 * appended.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import tls from 'node:tls';
import type { CloudProfile } from './profile.js';

export interface CaTrust {
  /** For core-rest-pipeline clients (identity, arm-*, storage-blob); undefined: not needed. */
  tlsOptions?: { ca: string[] };
  /** For the legacy @azure/batch client (ms-rest-js agentSettings). */
  httpsAgent?: https.Agent;
}

const trustedDefaults = new Set<string>();

/** Makes the profile's CA trusted, process-wide where Node allows it, else per client. */
export async function trustProfileCa(profile: CloudProfile): Promise<CaTrust> {
  if (!profile.caCertFile) return {};
  let pem: string;
  try {
    pem = await readFile(profile.caCertFile, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the CA certificate ${profile.caCertFile} that the cloud profile names; is the sandbox still running?`,
      { cause: error },
    );
  }
  if (
    typeof tls.setDefaultCACertificates === 'function' &&
    typeof tls.getCACertificates === 'function'
  ) {
    if (!trustedDefaults.has(pem)) {
      tls.setDefaultCACertificates([...tls.getCACertificates('default'), pem]);
      trustedDefaults.add(pem);
    }
    return {};
  }
  const ca = [...tls.rootCertificates, pem];
  return { tlsOptions: { ca }, httpsAgent: new https.Agent({ ca, keepAlive: true }) };
}
