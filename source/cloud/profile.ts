/**
 * A cloud profile: where Azure is and how to sign in to it. The Azure public cloud is the
 * default; a sandbox (embedded or standalone, `batch-mi-tui sandbox --profile-out FILE`) is just
 * another profile whose endpoints are 127.0.0.1 and whose CA the program must trust.
 */
import { readFile } from 'node:fs/promises';

export interface CloudProfile {
  /** 'AzureCloud', 'sandbox', or a name of the operator's choosing. */
  name: string;
  /** ARM's base URL, e.g. https://management.azure.com. */
  armEndpoint: string;
  /** The scope ARM tokens are asked for (with an overridden endpoint the ARM clients need it). */
  armScope: string;
  /** Entra ID's authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** The directory (tenant) id; empty for Azure when the credential should pick its default. */
  tenantId: string;
  subscriptionId?: string;
  /** Client credentials: sandbox operator profiles only; the program never writes them anywhere. */
  clientId?: string;
  clientSecret?: string;
  /** PEM file of a CA to trust in addition to the public ones (the sandbox's). */
  caCertFile?: string;
  /** The sandbox's IMDS listener (http://127.0.0.1:PORT); absent for Azure. */
  imdsBase?: string;
  /** Batch data-plane scope: the resource's App ID URI ends in a slash, hence the double slash. */
  batchScope: string;
  storageScope: string;
  /** True for any authority MSAL cannot validate against the public cloud's instance discovery. */
  disableInstanceDiscovery: boolean;
}

/** The Azure public cloud. `tenantId` empty: let the credential use its own default tenant. */
export const AZURE_PUBLIC: CloudProfile = {
  name: 'AzureCloud',
  armEndpoint: 'https://management.azure.com',
  armScope: 'https://management.azure.com/.default',
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: '',
  batchScope: 'https://batch.core.windows.net//.default',
  storageScope: 'https://storage.azure.com/.default',
  disableInstanceDiscovery: false,
};

export const isAzurePublic = (profile: CloudProfile): boolean =>
  profile.armEndpoint.replace(/\/+$/, '') === AZURE_PUBLIC.armEndpoint;

/** Reads and checks a profile file; every failure is one sentence naming the file and the fix. */
export async function loadProfile(file: string): Promise<CloudProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES'
          ? 'permission was denied'
          : `of ${code ?? String(error)}`;
    throw new Error(`Cannot read the cloud profile ${file} because ${why}.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The cloud profile ${file} is not valid JSON; write it with \`batch-mi-tui sandbox --profile-out ${file}\` or fix it by hand.`,
      { cause: error },
    );
  }
  return parseProfile(json, file);
}

/** Checks a profile's fields; scopes and flags that are left out take the public cloud's values. */
export function parseProfile(json: unknown, source = 'profile'): CloudProfile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(
      `The cloud profile ${source} must be a JSON object with armEndpoint, authorityHost and tenantId.`,
    );
  }
  const value = json as Record<string, unknown>;
  const text = (key: string, required: boolean): string | undefined => {
    const field = value[key];
    if (field === undefined || field === null) {
      if (required) throw new Error(`The cloud profile ${source} lacks ${key}.`);
      return undefined;
    }
    if (typeof field !== 'string')
      throw new Error(`The cloud profile ${source} has a ${key} that is not a string.`);
    return field;
  };
  const url = (key: string, required: boolean): string | undefined => {
    const field = text(key, required);
    if (field !== undefined && !/^https?:\/\/[^/]/.test(field))
      throw new Error(
        `The cloud profile ${source} has a ${key} that is not an http(s) URL: ${field}.`,
      );
    return field;
  };
  const flag = value.disableInstanceDiscovery;
  if (flag !== undefined && typeof flag !== 'boolean')
    throw new Error(
      `The cloud profile ${source} has a disableInstanceDiscovery that is not true or false.`,
    );
  const profile: CloudProfile = {
    name: text('name', false) ?? 'custom',
    armEndpoint: url('armEndpoint', true) ?? '',
    armScope: text('armScope', false) ?? AZURE_PUBLIC.armScope,
    authorityHost: url('authorityHost', true) ?? '',
    tenantId: text('tenantId', true) ?? '',
    batchScope: text('batchScope', false) ?? AZURE_PUBLIC.batchScope,
    storageScope: text('storageScope', false) ?? AZURE_PUBLIC.storageScope,
    disableInstanceDiscovery: flag ?? false,
  };
  for (const key of ['subscriptionId', 'clientId', 'clientSecret', 'caCertFile'] as const) {
    const field = text(key, false);
    if (field !== undefined) profile[key] = field;
  }
  const imdsBase = url('imdsBase', false);
  if (imdsBase !== undefined) profile.imdsBase = imdsBase;
  if ((profile.clientId === undefined) !== (profile.clientSecret === undefined)) {
    throw new Error(
      `The cloud profile ${source} has ${profile.clientId ? 'clientId without clientSecret' : 'clientSecret without clientId'}; give both or neither.`,
    );
  }
  return profile;
}
