/**
 * The `/` filter of SPEC §3: a case-insensitive substring, inverted by a leading `!`
 * (k9s' convention, which operators already type without thinking).
 */
export interface ParsedFilter {
  needle: string;
  inverted: boolean;
}

export function parseFilter(filter: string): ParsedFilter {
  const trimmed = filter.trim();
  const inverted = trimmed.startsWith('!');
  return { needle: (inverted ? trimmed.slice(1) : trimmed).trim(), inverted };
}

/** Whether a row's text is kept by the filter. An empty filter (or a bare `!`) keeps everything. */
export function matchesFilter(text: string, filter: string): boolean {
  const { needle, inverted } = parseFilter(filter);
  if (needle === '') {
    return true;
  }
  return text.toLowerCase().includes(needle.toLowerCase()) !== inverted;
}

/**
 * `/` also takes a container URL with a SAS (the Logs and Token screens): its signature is never
 * shown back, in the prompt or the breadcrumb.
 */
export function hideSecrets(text: string): string {
  return text.replace(/([?&]sig=)[^&\s]*/gi, '$1<hidden>');
}

/** How the active filter reads in the breadcrumb: `/pool-a` or `/!pool-a`. */
export function describeFilter(filter: string): string {
  const { needle, inverted } = parseFilter(hideSecrets(filter));
  return needle === '' ? '' : `/${inverted ? '!' : ''}${needle}`;
}
