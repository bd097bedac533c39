/**
 * Recognise the CORS console messages Chrome and Firefox print (failure-modes.md §1.2, C1–C12 and F1–F9) and map
 * them to Chromium's CorsError names, so pasted console text is as useful as a CDP capture.
 */
export interface RecognisedMessage {
  corsError: string;
  failedParameter?: string;
  blockedAt: 'preflight' | 'actual' | null;
  /** The catalogue code of the message (C1, F3, …). */
  catalogue: string;
}

interface Pattern {
  catalogue: string;
  pattern: RegExp;
  corsError: string;
  blockedAt: 'preflight' | 'actual' | null;
}

// Order matters: the more specific wording first (C5 before C1, which both start "Response to preflight…"/"Request…").
const PATTERNS: Pattern[] = [
  {
    catalogue: 'C5',
    pattern: /Request header field (\S+) is not allowed by Access-Control-Allow-Headers/i,
    corsError: 'HeaderDisallowedByPreflightResponse',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'F3',
    pattern: /header '([^']+)' is not allowed according to header 'Access-Control-Allow-Headers'/i,
    corsError: 'HeaderDisallowedByPreflightResponse',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'F3',
    pattern: /missing token '([^']+)' in CORS header 'Access-Control-Allow-Headers'/i,
    corsError: 'HeaderDisallowedByPreflightResponse',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C6',
    pattern: /Method (\S+) is not allowed by Access-Control-Allow-Methods/i,
    corsError: 'MethodDisallowedByPreflightResponse',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'F4',
    pattern: /Did not find method in CORS header 'Access-Control-Allow-Methods'/i,
    corsError: 'MethodDisallowedByPreflightResponse',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C4',
    pattern:
      /Redirect is not allowed for a preflight request|Response for preflight is invalid \(redirect\)|which is disallowed for cross-origin requests that require preflight/i,
    corsError: 'PreflightDisallowedRedirect',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C3',
    pattern: /It does not have HTTP ok status|Response for preflight has invalid HTTP status code/i,
    corsError: 'PreflightInvalidStatus',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C7',
    pattern: /must not be the wildcard '\*' when the request's credentials mode is 'include'/i,
    corsError: 'WildcardOriginNotAllowed',
    blockedAt: null,
  },
  {
    catalogue: 'F5',
    pattern: /Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '\*'/i,
    corsError: 'WildcardOriginNotAllowed',
    blockedAt: null,
  },
  { catalogue: 'C12', pattern: /contains multiple values '([^']*)', but only one is allowed/i, corsError: 'MultipleAllowOriginValues', blockedAt: null },
  { catalogue: 'F9', pattern: /Multiple CORS header 'Access-Control-Allow-Origin' not allowed/i, corsError: 'MultipleAllowOriginValues', blockedAt: null },
  { catalogue: 'C8', pattern: /header has a value '([^']*)' that is not equal to the supplied origin/i, corsError: 'AllowOriginMismatch', blockedAt: null },
  { catalogue: 'F6', pattern: /CORS header 'Access-Control-Allow-Origin' does not match '([^']*)'/i, corsError: 'AllowOriginMismatch', blockedAt: null },
  {
    catalogue: 'C10',
    pattern: /more-private address space|access the `?\w+`? address space/i,
    corsError: 'PreflightMissingAllowPrivateNetwork',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C1',
    pattern: /Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header/i,
    corsError: 'PreflightMissingAllowOriginHeader',
    blockedAt: 'preflight',
  },
  {
    catalogue: 'C2',
    pattern: /No 'Access-Control-Allow-Origin' header is present on the requested resource/i,
    corsError: 'MissingAllowOriginHeader',
    blockedAt: 'actual',
  },
  { catalogue: 'F2', pattern: /CORS preflight (response|channel) did not succeed/i, corsError: 'PreflightInvalidStatus', blockedAt: 'preflight' },
  { catalogue: 'F1', pattern: /CORS header 'Access-Control-Allow-Origin' missing/i, corsError: 'MissingAllowOriginHeader', blockedAt: 'actual' },
  { catalogue: 'F8', pattern: /CORS request external redirect not allowed/i, corsError: 'PreflightDisallowedRedirect', blockedAt: null },
];

/** Firefox F7: the request never got a response — a network or TLS failure, not a CORS decision. */
export function isFirefoxNetworkFailure(message: string): boolean {
  return /CORS request did not succeed/i.test(message);
}

export function recogniseConsoleMessage(message: string | undefined): RecognisedMessage | null {
  if (!message) return null;
  for (const { catalogue, pattern, corsError, blockedAt } of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return { corsError, blockedAt, catalogue, ...(match[1] !== undefined ? { failedParameter: match[1] } : {}) };
  }
  return null;
}

/** Chromium CorsError names that fail during the preflight. */
export function isPreflightCorsError(name: string): boolean {
  return (
    name.startsWith('Preflight') ||
    name === 'MethodDisallowedByPreflightResponse' ||
    name === 'HeaderDisallowedByPreflightResponse' ||
    name.endsWith('PreflightResponse')
  );
}
