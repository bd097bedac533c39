import { originNearMiss } from '../../../src/core/replay/rules.js';
import { recogniseConsoleMessage } from '../../../src/core/diagnose/console-messages.js';
import { diagnose, pageRequestFromExchange } from '../../../src/core/diagnose/index.js';

describe('origin near misses (failure modes 2–5, S9)', () => {
  it.each([
    ['http://app.example.com', 'https://app.example.com', 'scheme differs'],
    ['https://app.example.com/', 'https://app.example.com', 'trailing slash'],
    ['https://app.example.com/*', 'https://app.example.com', 'path `/*`'],
    ['http://localhost:3000', 'http://localhost:5173', 'port differs'],
    ['https://app.example.com:443', 'https://app.example.com', 'spells out the default port'],
    ['http://127.0.0.1:3000', 'http://localhost:3000', 'host alias'],
    ['https://example.com', 'https://www.example.com', '`www.` missing'],
    ['https://*.example.com', 'https://example.com', 'does not match the apex'],
    ['app.example.com', 'https://app.example.com', 'has no scheme'],
    ['https://App.example.com', 'https://app.example.com', 'letter case'],
  ])('%s vs page %s: %s', (pattern, origin, text) => {
    expect(originNearMiss(pattern, origin)).toContain(text);
  });

  it('says nothing for an unrelated origin', () => {
    expect(originNearMiss('https://other.example.org', 'https://app.example.com')).toBeNull();
  });
});

describe('console messages (failure-modes §1.2)', () => {
  it.each([
    [
      '… has been blocked by CORS policy: Request header field x-amz-date is not allowed by Access-Control-Allow-Headers in preflight response.',
      'HeaderDisallowedByPreflightResponse',
      'x-amz-date',
    ],
    [
      '(Reason: header ‘x-amz-date’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).'.replace(/[‘’]/g, "'"),
      'HeaderDisallowedByPreflightResponse',
      'x-amz-date',
    ],
    [
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      'PreflightMissingAllowOriginHeader',
      undefined,
    ],
    [
      "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
      'PreflightDisallowedRedirect',
      undefined,
    ],
    ['(Reason: CORS preflight response did not succeed). Status code: 403.', 'PreflightInvalidStatus', undefined],
    [
      "The 'Access-Control-Allow-Origin' header has a value 'https://a.example' that is not equal to the supplied origin.",
      'AllowOriginMismatch',
      'https://a.example',
    ],
  ])('%s', (text, corsError, failedParameter) => {
    expect(recogniseConsoleMessage(text)).toMatchObject({ corsError, ...(failedParameter ? { failedParameter } : {}) });
  });
});

describe('rebuilding the page request from a capture', () => {
  it('drops what the browser adds and keeps what the preflight says the page set', () => {
    const page = pageRequestFromExchange({
      id: 'x',
      source: 'devtools',
      request: {
        method: 'PUT',
        url: 'https://b.s3.us-east-1.amazonaws.com/k',
        headers: { origin: 'https://app.example.com', 'user-agent': 'UA', 'sec-fetch-mode': 'cors', 'cache-control': 'no-cache', 'content-type': 'text/plain' },
      },
      preflight: {
        request: {
          method: 'OPTIONS',
          url: 'https://b.s3.us-east-1.amazonaws.com/k',
          headers: { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-amz-meta-a' },
        },
      },
    });
    expect(page).toMatchObject({ origin: 'https://app.example.com', method: 'PUT', headers: { 'content-type': 'text/plain', 'x-amz-meta-a': '' } });
    expect(Object.keys(page!.headers).sort()).toEqual(['content-type', 'x-amz-meta-a']);
  });

  it('is null without an origin: not a CORS request (S1)', () => {
    expect(pageRequestFromExchange({ id: 'y', source: 'har', request: { method: 'GET', url: 'https://b.s3.amazonaws.com/k', headers: {} } })).toBeNull();
  });
});

describe('a diagnosis is safe to export', () => {
  it('quotes no signature, token or key id from the URL or the console text', () => {
    const url =
      'https://photos.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeefdeadbeefdeadbeef';
    const diagnosis = diagnose(
      {
        id: 's',
        source: 'devtools',
        pageOrigin: 'https://app.example.com',
        startedAt: '2026-11-28T08:00:00Z',
        request: { method: 'GET', url, headers: { origin: 'https://app.example.com' } },
        response: { status: 0, headers: {} },
        error: 'net::ERR_FAILED',
        consoleMessage: `Access to fetch at '${url}' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
      },
      {},
    );
    const text = JSON.stringify(diagnosis.findings);
    expect(diagnosis.findings.map((f) => f.code)).toContain('NOT_CORS_REQUEST_EXPIRED');
    expect(text).not.toContain('deadbeefdeadbeef');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('redacts the browser messages a finding quotes', () => {
    const url = 'https://files.example.net/a.jpg?X-Amz-Signature=cafebabecafebabecafebabe';
    const diagnosis = diagnose({
      id: 'm',
      source: 'devtools',
      pageOrigin: 'https://app.example.com',
      request: { method: 'GET', url, headers: { origin: 'https://app.example.com' } },
      response: { status: 200, headers: { 'access-control-allow-origin': 'https://app.example.com, https://app.example.com' } },
    });
    const blocked = diagnosis.findings.find((f) => f.code === 'CORS_BLOCKED')!;
    expect(blocked.detail).toContain('files.example.net/a.jpg');
    expect(blocked.detail).not.toContain('cafebabecafebabe');
  });
});
