import {
  checkActualResponse,
  checkPreflightResponse,
  chromeConsoleMessage,
  describeCorsFailure,
  firefoxConsoleMessage,
  type PageRequest,
} from '../../../src/core/fetch/index.js';

const ORIGIN = 'https://app.example.com';
const URL_ = 'https://bucket.s3.amazonaws.com/key';
const put: PageRequest = { origin: ORIGIN, method: 'PUT', url: URL_, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } };
const get: PageRequest = { origin: ORIGIN, method: 'GET', url: URL_, headers: {} };

// The exact texts below were compared verbatim with Chromium 156 and Firefox ESR 153 consoles by
// test/e2e/browser-model; these tests pin them without a browser.
describe('Chrome console messages (Blink cors_error_string.cc, as Chromium 156 prints them)', () => {
  it('a preflight without ACAO (failure-modes C1): preflight prefix, no status, no no-cors advice', () => {
    expect(checkPreflightResponse(put, { status: 403, headers: {} })?.messages.chrome).toBe(
      `Access to fetch at '${URL_}' from origin '${ORIGIN}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
  });
  it('a disallowed header (C5) has no preflight prefix and names the header', () => {
    const failure = checkPreflightResponse(put, { status: 200, headers: { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'PUT' } });
    expect(failure?.messages.chrome).toBe(
      `Access to fetch at '${URL_}' from origin '${ORIGIN}' has been blocked by CORS policy: Request header field x-amz-checksum-crc32 is not allowed by Access-Control-Allow-Headers in preflight response.`,
    );
  });
  it('a mismatched origin (C8) ends with the one remaining hint sentence', () => {
    expect(checkActualResponse(get, { status: 200, headers: { 'access-control-allow-origin': 'https://other.example' } })?.messages.chrome).toBe(
      `Access to fetch at '${URL_}' from origin '${ORIGIN}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
    );
  });
  it('a method refused (C6) and the wildcard with credentials (C7)', () => {
    expect(chromeConsoleMessage('MethodDisallowedByPreflightResponse', 'DELETE', { url: URL_, origin: ORIGIN })).toContain(
      'has been blocked by CORS policy: Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    expect(chromeConsoleMessage('WildcardOriginNotAllowed', '', { url: URL_, origin: ORIGIN })).toContain(
      "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    );
  });
  it('the URL is printed serialised (a bare origin gets its slash)', () => {
    expect(checkActualResponse({ ...get, url: 'https://bucket.s3.amazonaws.com' }, { status: 200, headers: {} })?.messages.chrome).toContain(
      "Access to fetch at 'https://bucket.s3.amazonaws.com/' from origin",
    );
  });
});

describe('Firefox console messages (security.properties of Firefox ESR 153)', () => {
  it('a missing ACAO prints the status code', () => {
    expect(checkActualResponse(get, { status: 403, headers: {} })?.messages.firefox).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.`,
    );
  });
  it('a failed preflight status prints it too, and a follow-up line for the actual request', () => {
    const failure = checkPreflightResponse(put, { status: 500, headers: { 'access-control-allow-origin': ORIGIN } });
    expect(failure?.messages.firefox).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: CORS preflight response did not succeed). Status code: 500.`,
    );
    expect(failure?.messages.firefoxFollowUp).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: CORS request did not succeed). Status code: (null).`,
    );
  });
  it('the wildcard-with-credentials reason quotes the URL with typographic quotes', () => {
    expect(firefoxConsoleMessage({ reason: 'CORSNotSupportingCredentials' }, { url: URL_, origin: ORIGIN })).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘${URL_}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`,
    );
  });
  it('a header not allowed (F3) names it', () => {
    expect(
      firefoxConsoleMessage({ reason: 'CORSMissingAllowHeaderFromPreflight2', parameter: 'x-amz-checksum-crc32' }, { url: URL_, origin: ORIGIN }),
    ).toContain('(Reason: header ‘x-amz-checksum-crc32’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).');
  });
  it('when only Firefox blocks (engine firefox, a client hint Chromium safelists), the Chrome message says Chrome does not', () => {
    const failure = checkPreflightResponse(
      { ...get, headers: { dpr: '2' } },
      { status: 200, headers: { 'access-control-allow-origin': ORIGIN } },
      { engine: 'firefox' },
    );
    expect(failure?.messages.chrome).toBe('Chrome does not block this exchange (modelled divergence from Firefox).');
    expect(failure?.messages.firefox).toContain(
      '(Reason: header ‘dpr’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).',
    );
  });
});

describe('describeCorsFailure: a sentence for people', () => {
  it('names the disallowed header and the S3 setting to change', () => {
    const failure = checkPreflightResponse(put, { status: 200, headers: { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'PUT' } })!;
    expect(describeCorsFailure(failure, ORIGIN)).toBe(
      "The preflight response does not allow request header 'x-amz-checksum-crc32' (for S3: add it to the rule's AllowedHeaders).",
    );
  });
  it('explains an origin mismatch with the page origin', () => {
    const failure = checkActualResponse(get, { status: 200, headers: { 'access-control-allow-origin': `${ORIGIN}/` } })!;
    expect(describeCorsFailure(failure, ORIGIN)).toContain(`allows origin '${ORIGIN}/', but the page's origin is ${ORIGIN}`);
  });
  it('a preflight redirect points at the regional endpoint', () => {
    const failure = checkPreflightResponse(put, { status: 307, headers: { location: 'https://bucket.s3.eu-west-1.amazonaws.com/key' } })!;
    expect(describeCorsFailure(failure, ORIGIN)).toContain('regional endpoint');
  });
});
