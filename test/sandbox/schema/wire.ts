/**
 * Plain authenticated HTTPS against a running sandbox, keeping the raw JSON bodies (the SDKs
 * deserialize them, which would hide a property the spec does not name). Tokens come from the
 * sandbox's Entra through @azure/identity, as for any client.
 */
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { credential } from '../world/sdk-helpers.js';

export interface WireResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export const API = {
  batch: '2023-11-01',
  batchData: '2022-10-01.16.0',
  authorization: '2022-04-01',
  msi: '2024-11-30',
  storage: '2025-08-01',
  keyvault: '2025-05-01',
} as const;

export interface Wire {
  arm(method: string, path: string, body?: unknown): Promise<WireResponse>;
  batch(accountName: string, method: string, path: string, body?: unknown): Promise<WireResponse>;
}

async function send(url: URL, method: string, token: string, body?: unknown, contentType = 'application/json'): Promise<WireResponse> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export async function wire(sandbox: RunningSandbox, who?: { clientId: string; clientSecret: string }): Promise<Wire> {
  const cred = credential(sandbox, who);
  const [arm, batch] = await Promise.all([cred.getToken(sandbox.profile.armScope), cred.getToken(sandbox.profile.batchScope)]);
  const endpointOf = (name: string) => [...sandbox.world.batchAccounts.values()].find((a) => a.name === name)?.accountEndpoint ?? '';
  return {
    arm: (method, path, body) => send(new URL(path, sandbox.profile.armEndpoint), method, arm.token, body),
    batch: (accountName, method, path, body) =>
      send(new URL(path, `https://${endpointOf(accountName)}`), method, batch.token, body, 'application/json; odata=minimalmetadata'),
  };
}
