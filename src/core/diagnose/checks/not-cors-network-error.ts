/**
 * NOT_CORS_NETWORK_ERROR — the request never got an HTTP answer (refused, DNS, TLS, blocker) or the server failed
 * (5xx). Browsers report these as "CORS" too (failure modes 16 and 27).
 */
import { isFirefoxNetworkFailure } from '../console-messages.js';
import type { Check, Evidence } from '../types.js';
import { finding } from './support.js';

/** Chromium net errors that are CORS-neutral: ERR_FAILED is how every CORS block ends, ERR_ABORTED a page abort. */
const CHROMIUM_NON_CORS = /net::ERR_(?!FAILED\b|ABORTED\b|INVALID_REDIRECT\b)[A-Z0-9_]+/;
/** Firefox: NS_ERROR_DOM_BAD_URI is its CORS block; every other NS_ERROR_ and the security errors are not CORS. */
const FIREFOX_NON_CORS = /\b(NS_ERROR_(?!DOM_BAD_URI\b)[A-Z0-9_]+|SEC_ERROR_[A-Z0-9_]+|SSL_ERROR_[A-Z0-9_]+|MOZILLA_PKIX_ERROR_[A-Z0-9_]+)/;
const TLS_ERROR = /ERR_CERT_|ERR_SSL_|ERR_INSECURE_RESPONSE|SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_|NS_ERROR_NET_INADEQUATE_SECURITY/;
const SERVER_ERROR_STATUSES = new Set([500, 502, 503, 504]);

function errorStrings(evidence: Evidence): string[] {
  return [evidence.exchange.error, evidence.exchange.preflight?.error].filter((e): e is string => typeof e === 'string' && e.length > 0);
}

/** A dotted bucket in a virtual-hosted HTTPS host fails the `*.s3.amazonaws.com` certificate (mode 16). */
function isDottedVirtualHostedHttps(evidence: Evidence): boolean {
  const { url } = evidence;
  return url.scheme === 'https' && url.style === 'virtual-hosted' && url.provider === 'aws' && (url.bucket ?? '').includes('.');
}

export const notCorsNetworkErrorCheck: Check = {
  id: 'not-cors-network-error',
  title: 'The request failed below HTTP or the server failed',
  requires: [],
  codes: {
    NOT_CORS_NETWORK_ERROR: { headline: 'The request failed on the network', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const errors = errorStrings(evidence);
    const nonCors = errors.map((e) => CHROMIUM_NON_CORS.exec(e)?.[0] ?? FIREFOX_NON_CORS.exec(e)?.[0]).find((e): e is string => !!e);
    const noAnswer = !evidence.actualResponse && !evidence.preflightResponse;
    const firefoxNoResponse = isFirefoxNetworkFailure(evidence.exchange.consoleMessage ?? '');
    const dotted = isDottedVirtualHostedHttps(evidence);
    const pathStyle =
      dotted && evidence.url.bucket ? `https://s3.${evidence.url.region ?? '<region>'}.amazonaws.com/${evidence.url.bucket}/${evidence.url.key ?? ''}` : '';

    if (dotted && noAnswer && ((nonCors && TLS_ERROR.test(nonCors)) || firefoxNoResponse)) {
      return [
        finding('NOT_CORS_NETWORK_ERROR', 'error', {
          message: `The bucket name \`${evidence.url.bucket}\` contains dots, so the HTTPS certificate \`*.s3.amazonaws.com\` does not cover \`${evidence.url.host}\`; the TLS handshake fails before any CORS check.`,
          detail: `A wildcard certificate covers one DNS label; each dot in a bucket name adds one. Firefox reports this as "CORS request did not succeed", Chrome as a certificate error. No CORS rule can fix it.`, // failure mode 16
          evidence: [...errors.map((e) => `error: ${e}`), `host: ${evidence.url.host}`],
          fix: `Use a path-style URL (\`forcePathStyle: true\`${pathStyle ? `, e.g. ${pathStyle}` : ''}), put CloudFront in front, or use a bucket name without dots.`,
        }),
      ];
    }
    if (noAnswer && (nonCors || firefoxNoResponse)) {
      const blocker = nonCors === 'net::ERR_BLOCKED_BY_CLIENT';
      return [
        finding('NOT_CORS_NETWORK_ERROR', 'error', {
          message: blocker
            ? 'An extension in the browser (ad or privacy blocker) cancelled the request; S3 never saw it.'
            : `The request never got an HTTP response (${nonCors ?? 'Firefox: CORS request did not succeed, status (null)'}): a network, DNS, TLS or proxy failure, not a CORS decision.`,
          detail:
            nonCors && TLS_ERROR.test(nonCors)
              ? 'The TLS handshake failed (certificate or protocol). CORS is checked only on a response, and there was none.'
              : 'CORS failures end in net::ERR_FAILED (Chromium) or NS_ERROR_DOM_BAD_URI (Firefox) with a response; this error string names a failure before any response.', // failure mode 27
          evidence: [...errors.map((e) => `error: ${e}`), ...(firefoxNoResponse ? [`console: ${evidence.exchange.consoleMessage}`] : [])],
          fix: blocker
            ? 'Allow the storage domain in the blocker, or serve the files from your own domain.'
            : 'Check connectivity, DNS, proxy/VPN and the certificate; retry with backoff. Do not change the CORS configuration.',
        }),
      ];
    }
    const failed = [evidence.facts.actual, evidence.facts.preflight].find((answer) => answer && SERVER_ERROR_STATUSES.has(answer.status));
    if (failed) {
      const server = failed.server;
      const slowDown = evidence.actualError?.code === 'SlowDown' || evidence.preflightError?.code === 'SlowDown';
      return [
        finding('NOT_CORS_NETWORK_ERROR', 'error', {
          message: slowDown
            ? `S3 throttled the request (${failed.status} SlowDown); error responses often lack CORS headers, so the browser calls it a CORS error.`
            : `The server failed with ${failed.status}${server ? ` (Server: ${server})` : ''}; this is not a CORS rule decision.`,
          detail:
            'A 5xx answer says the server or an intermediary failed. When such an error response lacks Access-Control-Allow-Origin the browser reports a CORS error.', // failure mode 27
          evidence: [`status ${failed.status}`, ...(server ? [`Server: ${server}`] : [])],
          fix: slowDown
            ? 'Retry with exponential backoff and spread the request rate.'
            : 'Investigate the server or proxy; retry with backoff. Do not change the CORS configuration.',
        }),
      ];
    }
    return [];
  },
};
