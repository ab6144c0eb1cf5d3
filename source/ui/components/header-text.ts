/**
 * What the header says in the room it has: where the program points, which subscription, and as
 * whom. In full when it fits; otherwise shortened one step at a time, least useful detail first,
 * so that at 80 columns "as <who>" is still there. Pure.
 */

export interface HeaderParts {
  cloud: string;
  subscription: string;
  /** The credential kind ('ClientSecretCredential'), or '' once dropped. */
  credential: string;
  /** Who the credential signed in as ('' when not known yet). */
  who: string;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** 'ClientSecretCredential (id) as app id' → kind and who; a label without ' as ' is all kind. */
export function splitCredential(label: string): { credential: string; who: string } {
  const at = label.indexOf(' as ');
  return at < 0
    ? { credential: label, who: '' }
    : { credential: label.slice(0, at), who: label.slice(at + ' as '.length) };
}

/** The sandbox's local endpoint as its port, other URLs as their host, a file as its name. */
export function shortCloud(label: string): string {
  return label
    .replace(
      /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?/g,
      (_match, port: string | undefined) => port ?? 'local',
    )
    .replace(/https?:\/\/([^/\s)]+)[^\s)]*/g, '$1')
    .replace(/\S*[/\\]([^/\\\s]+)(?=\s|$)/g, '$1');
}

/** A subscription id as its first 8 characters; anything else as it is. */
export function shortSubscription(id: string, ellipsis: string): string {
  return /^[0-9a-f]{8}-/i.test(id) ? `${id.slice(0, 8)}${ellipsis}` : id;
}

/** The header's text, as drawn (brand, bars and labels included): to measure a candidate. */
export function headerLine(parts: HeaderParts, bar: string, brand: string): string {
  const credential = [parts.credential, parts.who === '' ? '' : `as ${parts.who}`]
    .filter(Boolean)
    .join(' ');
  return `${brand}${parts.cloud}${bar}sub ${parts.subscription}${bar}${credential}`;
}

/**
 * The fullest form that fits `width` columns: dropping the client id in brackets (the principal
 * says it again), then the subscription to 8 characters, the cloud to its short form, the
 * credential kind, and ids in the principal to 8 characters. What still does not fit is cut.
 */
export function fitHeader(
  full: { cloudLabel: string; subscription: string; credentialLabel: string },
  width: number,
  symbols: { bar: string; ellipsis: string },
  brand = '',
): HeaderParts {
  const { credential, who } = splitCredential(full.credentialLabel);
  let parts: HeaderParts = {
    cloud: full.cloudLabel,
    subscription: full.subscription,
    credential,
    who,
  };
  const steps: Array<(p: HeaderParts) => HeaderParts> = [
    (p) => ({ ...p, credential: p.credential.replace(/\s*\([^)]*\)/g, '') }),
    (p) => ({ ...p, subscription: shortSubscription(p.subscription, symbols.ellipsis) }),
    (p) => ({ ...p, cloud: shortCloud(p.cloud) }),
    (p) => (p.who === '' ? p : { ...p, credential: '' }),
    (p) => ({ ...p, who: p.who.replace(GUID, (id) => `${id.slice(0, 8)}${symbols.ellipsis}`) }),
  ];
  const fits = (p: HeaderParts) => [...headerLine(p, symbols.bar, brand)].length <= width;
  for (const step of steps) {
    if (fits(parts)) return parts;
    parts = step(parts);
  }
  return parts;
}
