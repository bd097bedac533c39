/**
 * Whether the optional host permission covers a request, and which pattern to ask for. Patterns are asked without
 * a port: Firefox registers a port in a match pattern silently and never fires it (shared spec browser-capture.md),
 * while a port-less pattern covers every port in both browsers.
 */

export interface PermissionTarget {
  host: string;
  /** What to pass to permissions.request: `https://host/*`. */
  pattern: string;
}

export function permissionTarget(url: string): PermissionTarget | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return { host: parsed.hostname, pattern: `${parsed.protocol}//${parsed.hostname}/*` };
  } catch {
    return null;
  }
}

/** The host part of a match pattern (`*://*.amazonaws.com/*` → `*.amazonaws.com`), or a bare host as given. */
function patternHost(entry: string): string {
  const scheme = entry.indexOf('://');
  const rest = scheme >= 0 ? entry.slice(scheme + 3) : entry;
  const host = rest.split('/')[0] ?? '';
  return host.replace(/:\d+$/, '').toLowerCase();
}

function hostMatches(patternHostName: string, host: string): boolean {
  if (patternHostName === '*' || patternHostName === '<all_urls>') return true;
  if (patternHostName.startsWith('*.')) {
    const base = patternHostName.slice(2);
    return host === base || host.endsWith(`.${base}`);
  }
  return host === patternHostName;
}

/** True when one of the granted origins (match patterns or bare hosts) covers the URL's host. */
export function isHostGranted(url: string, grantedOrigins: readonly string[]): boolean {
  const target = permissionTarget(url);
  if (!target) return true;
  const host = target.host.toLowerCase();
  return grantedOrigins.some((entry) => hostMatches(patternHost(entry), host));
}
