/**
 * PRIVATE_NETWORK_ACCESS — a public page calling a loopback/private address (MinIO, LocalStack on a LAN): Chrome's
 * Private/Local Network Access blocks it before or besides CORS (failure mode 29).
 */
import type { Check } from '../types.js';
import { defineCheck, finding } from './support.js';

function hostOf(value: string): string | null {
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Loopback or RFC 1918 / link-local / unique-local address space. */
export function isPrivateAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h.endsWith('.local')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return /^f[cd][0-9a-f]{2}:/i.test(h) || /^fe80:/i.test(h);
}

export const privateNetworkAccessCheck: Check = defineCheck({
  id: 'private-network-access',
  title: 'A public page reaches into a private network',
  requires: ['page'],
  codes: {
    PRIVATE_NETWORK_ACCESS: { headline: 'The browser blocked a request to a private network', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const page = evidence.page;
    const targetHost = evidence.url.host.toLowerCase();
    const targetPrivate = isPrivateAddress(targetHost) || (evidence.exchange.serverIPAddress ? isPrivateAddress(evidence.exchange.serverIPAddress) : false);
    // The page's own address space matters only for a private target (most requests go to a public store).
    const pageHost = targetPrivate ? hostOf(page.origin) : null;
    const pagePublic = pageHost !== null && !isPrivateAddress(pageHost);
    const reported =
      evidence.observedFailure?.corsError === 'PreflightMissingAllowPrivateNetwork' ||
      evidence.observedFailure?.corsError === 'InsecurePrivateNetwork' ||
      /address space/i.test(evidence.exchange.consoleMessage ?? '');
    const askedPna = evidence.facts.preflightRequest?.askedPrivateNetwork === true;
    const grantedPna = evidence.facts.preflight?.allowPrivateNetwork === true;
    if (!reported && !(askedPna && !grantedPna) && !(targetPrivate && pagePublic && !evidence.actualResponse)) return [];
    return [
      finding('PRIVATE_NETWORK_ACCESS', reported || (askedPna && !grantedPna) ? 'error' : 'warning', {
        message: `The page \`${page.origin}\` is on a more public network than \`${evidence.url.host}\`; Chrome's Private/Local Network Access check blocks such requests, independently of the bucket's CORS rules.`,
        detail:
          "Chrome requires a secure context and either `Access-Control-Allow-Private-Network: true` on the preflight or the user's local-network permission (newer builds). Firefox uses a permission prompt instead. No S3 bucket rule can add that header.", // failure mode 29
        evidence: [
          ...(reported ? [`browser: ${evidence.observedFailure?.corsError ?? evidence.exchange.consoleMessage}`] : []),
          ...(askedPna
            ? ['preflight asked Access-Control-Request-Private-Network: true', grantedPna ? 'granted' : 'no Access-Control-Allow-Private-Network in the answer']
            : []),
          ...(targetPrivate ? [`target ${evidence.exchange.serverIPAddress ?? targetHost} is private/loopback`] : []),
        ],
        fix: 'Serve the page from the same network (or localhost) as the store, grant the local-network permission over HTTPS, or have the local store answer `Access-Control-Allow-Private-Network: true` (LocalStack does).',
      }),
    ];
  },
});
