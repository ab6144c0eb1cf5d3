/**
 * Opening a session: pick the profile (embedded sandbox, a profile file, or Azure), trust its CA,
 * build the credential and clients, and sign in once so the header can say who we are. Every
 * command goes through here, so all of them start the same way and fail the same way.
 */
import type { TokenCredential } from '@azure/identity';
import { decodeJwt, principalLabel } from '../domain/jwt.js';
import type { CommonOptions, SessionInfo } from '../options.js';
import { trustProfileCa, type CaTrust } from './ca.js';
import { createClients, type CloudClients } from './clients.js';
import { createCredential, credentialLabel } from './credential.js';
import { AZURE_PUBLIC, isAzurePublic, loadProfile, type CloudProfile } from './profile.js';
import type { EmbeddedSandbox } from './start-sandbox.js';

export interface Connection {
  profile: CloudProfile;
  credential: TokenCredential;
  trust: CaTrust;
  clients: CloudClients;
  info: SessionInfo;
  /** Present when `--sandbox` started one in this process. */
  sandbox?: EmbeddedSandbox;
  close(): Promise<void>;
}

function cloudLabel(profile: CloudProfile, options: CommonOptions): string {
  if (options.sandbox) return `sandbox ${profile.armEndpoint}`;
  if (isAzurePublic(profile)) return 'Azure';
  return `${profile.name} ${profile.armEndpoint}`;
}

/**
 * Turns a sign-in failure into one sentence saying what was tried and what to run. The SDK's
 * own message (for DefaultAzureCredential, the list of sources it tried) follows after a colon.
 */
export function signInFailure(profile: CloudProfile, error: unknown): Error {
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const advice =
    profile.clientId !== undefined
      ? `check the profile's clientId and secret and that ${profile.authorityHost} is reachable`
      : "run 'az login', or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET";
  return new Error(`Could not sign in with ${credentialLabel(profile)} (${advice}): ${detail}`, {
    cause: error,
  });
}

export async function connect(
  options: CommonOptions & { subscription?: string },
): Promise<Connection> {
  let sandbox: EmbeddedSandbox | undefined;
  let profile: CloudProfile;
  if (options.sandbox) {
    const { startEmbeddedSandbox } = await import('./start-sandbox.js');
    sandbox = await startEmbeddedSandbox();
    profile = sandbox.profile;
  } else if (options.cloud) {
    profile = await loadProfile(options.cloud);
  } else {
    profile = AZURE_PUBLIC;
  }
  const close = async () => {
    await sandbox?.stop();
  };
  try {
    if (options.subscription) profile = { ...profile, subscriptionId: options.subscription };
    const trust = await trustProfileCa(profile);
    const credential = createCredential(profile, trust);
    let who: string;
    try {
      const token = await credential.getToken(profile.armScope);
      const claims = token ? decodeJwt(token.token)?.claims : undefined;
      who = claims ? principalLabel(claims) : 'unknown principal';
    } catch (error) {
      throw signInFailure(profile, error);
    }
    return {
      profile,
      credential,
      trust,
      clients: createClients(profile, credential, trust),
      info: {
        cloudLabel: cloudLabel(profile, options),
        credentialLabel: `${credentialLabel(profile)} as ${who}`,
        ...(profile.subscriptionId ? { subscriptionId: profile.subscriptionId } : {}),
      },
      ...(sandbox ? { sandbox } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
