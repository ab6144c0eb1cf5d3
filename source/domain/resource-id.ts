/**
 * ARM resource ids and GUIDs, parsed strictly so that a typo is caught at the door with one
 * clear sentence instead of a confusing 404 from Azure later.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export interface ResourceId {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. Microsoft.ManagedIdentity */
  provider: string;
  /** Type segments below the provider, e.g. ['userAssignedIdentities'] or ['batchAccounts', 'pools']. */
  types: string[];
  /** Names matching `types`. */
  names: string[];
  /** The id as given, trailing slash removed. */
  id: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parses `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}...]`.
 * Segment names are matched case-insensitively, as ARM does.
 */
export function parseResourceId(input: string): ParseResult<ResourceId> {
  const id = input.trim().replace(/\/+$/, '');
  const bad = (why: string): ParseResult<ResourceId> => ({
    ok: false,
    message: `'${input}' is not an Azure resource id: ${why} (expected /subscriptions/<guid>/resourceGroups/<group>/providers/<namespace>/<type>/<name>)`,
  });
  if (!id.startsWith('/')) return bad('it must start with /subscriptions/');
  const parts = id.slice(1).split('/');
  if (parts.some((p) => p === '')) return bad('it has an empty segment');
  const [subKw, sub, rgKw, rg, provKw, provider, ...rest] = parts;
  if (subKw?.toLowerCase() !== 'subscriptions' || sub === undefined)
    return bad('it must start with /subscriptions/');
  if (!isGuid(sub)) return bad(`the subscription '${sub}' is not a GUID`);
  if (rgKw?.toLowerCase() !== 'resourcegroups' || rg === undefined)
    return bad('it has no resourceGroups segment');
  if (provKw?.toLowerCase() !== 'providers' || provider === undefined)
    return bad('it has no providers segment');
  if (!/^[A-Za-z0-9]+\.[A-Za-z0-9.]+$/.test(provider))
    return bad(`'${provider}' is not a resource provider namespace`);
  if (rest.length === 0 || rest.length % 2 !== 0)
    return bad('it must end with a resource type and name');
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i] as string);
    names.push(rest[i + 1] as string);
  }
  return {
    ok: true,
    value: { subscriptionId: sub, resourceGroup: rg, provider, types, names, id },
  };
}

/** A user-assigned managed identity's id, as pools and nodeIdentityReference name it. */
export function parseUserAssignedIdentityId(input: string): ParseResult<ResourceId> {
  const parsed = parseResourceId(input);
  if (!parsed.ok) return parsed;
  const { provider, types } = parsed.value;
  if (
    provider.toLowerCase() !== 'microsoft.managedidentity' ||
    types.length !== 1 ||
    types[0]?.toLowerCase() !== 'userassignedidentities'
  ) {
    return {
      ok: false,
      message: `'${input}' is not a user-assigned identity id (expected .../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)`,
    };
  }
  return parsed;
}

/** ARM ids are case-insensitive: compare them so. */
export function sameResourceId(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}
