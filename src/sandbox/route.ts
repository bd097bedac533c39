/** Where a sandbox request goes: which bucket and key, read the same way the model reads URLs. */
import { parseS3Url } from '../core/endpoint/index.js';

export function route(url: string, method: string): { bucket: string | null; key: string } {
  const info = parseS3Url(url, method);
  if (info.bucket !== null) return { bucket: info.bucket, key: info.key ?? '' };
  if (info.style === 'service') return { bucket: null, key: '' };
  // A host the URL reader does not know (a LAN name, a custom alias): path-style.
  const path = new URL(url).pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (path === '') return { bucket: null, key: '' };
  return { bucket: decode(slash === -1 ? path : path.slice(0, slash)), key: slash === -1 ? '' : decode(path.slice(slash + 1)) };
}
