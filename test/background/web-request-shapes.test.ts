/**
 * The webRequest capture sees scenario (e) of browser-capture.md as Chromium reports it — the answer's status and
 * headers (onHeadersReceived) and then net::ERR_FAILED (onErrorOccurred) — and the diagnosis reads it as a refused
 * credentialed request, like the same shape in a HAR (issue 10, item 3).
 */
import { WebRequestCapture } from '../../src/background/web-request-capture.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

const PAGE = 'https://app.example.com';
const URL_ = 'https://public-assets.s3.us-east-1.amazonaws.com/data/prices.json';

it('a GET answered 200 with Access-Control-Allow-Origin: * and then net::ERR_FAILED is blocked: credentials with a wildcard origin, inferred', () => {
  const emitted: ObservedExchange[] = [];
  const capture = new WebRequestCapture((_tab, exchange) => emitted.push(exchange));
  const base = { requestId: 'r1', tabId: 3, method: 'GET', url: URL_, type: 'xmlhttprequest', initiator: PAGE } as const;
  capture.handle({ ...base, phase: 'send-headers', timeStamp: 100, requestHeaders: { origin: PAGE, accept: '*/*' } });
  capture.handle({
    ...base,
    phase: 'headers-received',
    timeStamp: 130,
    statusCode: 200,
    responseHeaders: { 'access-control-allow-origin': '*', server: 'AmazonS3', 'content-type': 'application/json' },
  });
  capture.handle({ ...base, phase: 'error', timeStamp: 131, error: 'net::ERR_FAILED' });
  const exchange = emitted[emitted.length - 1]!;
  expect(exchange.response?.status).toBe(200);
  const diagnosis = diagnose(exchange);
  expect(diagnosis.outcome).toBe('blocked');
  expect(diagnosis.findings[0]!.code).toBe('CREDENTIALS_WITH_WILDCARD_ORIGIN');
  expect(diagnosis.findings[0]!.detail).toMatch(/credentials mode is inferred/i);
});
