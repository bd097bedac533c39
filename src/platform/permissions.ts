/**
 * Optional host permissions, asked for at runtime from the panel (a user click) for the hosts involved.
 * Patterns never carry a port: Firefox registers a ported pattern silently and never fires it
 * (browser-capture.md, Firefox webRequest), so we ask for the host and filter ports in code.
 */
import { browser } from './browser.js';

const MATCH_PATTERN = /^(\*|https?):\/\/([^/]+)\/.*$/;

/**
 * `https://bucket.s3.amazonaws.com:8443/key` → `https://bucket.s3.amazonaws.com/*`; a match pattern
 * (`https://*.amazonaws.com/*`) is kept with its port removed. null for anything else.
 */
export function hostPatternFor(urlOrOrigin: string): string | null {
  const pattern = MATCH_PATTERN.exec(urlOrOrigin);
  if (pattern && urlOrOrigin.includes('*')) return `${pattern[1]}://${(pattern[2] ?? '').replace(/:\d+$/, '')}/*`;
  let url: URL;
  try {
    url = new URL(urlOrOrigin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.protocol}//${url.hostname}/*`;
}

export function hostPatternsFor(urlsOrOrigins: string[]): string[] {
  return [...new Set(urlsOrOrigins.map(hostPatternFor).filter((p): p is string => p !== null))];
}

/** Does a granted pattern (`https://*.amazonaws.com/*`, `http://127.0.0.1/*`) cover this URL, any port? */
export function patternCoversUrl(pattern: string, urlText: string): boolean {
  if (pattern === '<all_urls>') return /^https?:/.test(urlText);
  const match = /^(\*|https?):\/\/([^/]+)\/(.*)$/.exec(pattern);
  if (!match) return false;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return false;
  }
  const [, scheme, host, path] = match as unknown as [string, string, string, string];
  const schemeOk = scheme === '*' ? url.protocol === 'http:' || url.protocol === 'https:' : url.protocol === `${scheme}:`;
  const hostOnly = host.replace(/:\d+$/, '');
  const hostOk =
    hostOnly === '*' ||
    hostOnly === url.hostname ||
    (hostOnly.startsWith('*.') && (url.hostname === hostOnly.slice(2) || url.hostname.endsWith(hostOnly.slice(1))));
  const pathOk = path === '*' || url.pathname.slice(1) === path;
  return schemeOk && hostOk && pathOk;
}

/** The background's view of the optional host permissions (the panel asks for them: panel-host.ts). */
export interface HostPermissions {
  granted(): Promise<string[]>;
  /** Whether a granted pattern covers the URL, any port. */
  covers(url: string): Promise<boolean>;
  onChange(listener: () => void): () => void;
}

export function hostPermissions(): HostPermissions {
  const api = browser.permissions;
  const granted = async () => (await api.getAll()).origins ?? [];
  return {
    granted,
    async covers(url) {
      return (await granted()).some((pattern) => patternCoversUrl(pattern, url));
    },
    onChange(listener) {
      api.onAdded.addListener(listener);
      api.onRemoved.addListener(listener);
      return () => {
        api.onAdded.removeListener(listener);
        api.onRemoved.removeListener(listener);
      };
    },
  };
}
