import { isRelevant, lacksCorsAllowance } from '../../../src/core/evidence/relevance.js';

// Firefox reports a blocked simple request as an ordinary completion (browser-capture.md, Firefox): status, no error.
const page = 'http://127.0.0.1:4000';
const bucketUrl = 'http://127.0.0.1:4568/bucket/report.json';
const corsGet = { origin: page, 'sec-fetch-mode': 'cors' };

describe('a blocked simple request Firefox reports as completed is judged from its headers', () => {
  it('keeps a CORS-mode 200 whose response has no Access-Control-Allow-Origin', () => {
    const facts = { url: bucketUrl, requestHeaders: corsGet, responseHeaders: { 'content-type': 'application/json' }, status: 200, hasPreflight: false };
    expect(lacksCorsAllowance(facts)).toBe(true);
    expect(isRelevant(facts)).toBe(true);
  });
  it('keeps one whose Access-Control-Allow-Origin names another origin', () => {
    expect(lacksCorsAllowance({ requestHeaders: corsGet, responseHeaders: { 'access-control-allow-origin': 'https://app.example' }, status: 200 })).toBe(true);
  });
  it('ignores a response that allows the origin or any origin', () => {
    expect(lacksCorsAllowance({ requestHeaders: corsGet, responseHeaders: { 'access-control-allow-origin': page }, status: 200 })).toBe(false);
    expect(lacksCorsAllowance({ requestHeaders: corsGet, responseHeaders: { 'access-control-allow-origin': '*' }, status: 200 })).toBe(false);
  });
  it('ignores no-cors and navigation requests (an <img>, a form POST), which no CORS check blocks', () => {
    const noCors = { url: bucketUrl, requestHeaders: { 'sec-fetch-mode': 'no-cors' }, responseHeaders: {}, status: 200, hasPreflight: false, pageOrigin: page };
    expect(isRelevant(noCors)).toBe(false);
    expect(lacksCorsAllowance({ requestHeaders: { origin: page, 'sec-fetch-mode': 'navigate' }, responseHeaders: {}, status: 204 })).toBe(false);
  });
  it('falls back to the Origin header where Firefox sends no Sec-Fetch-Mode (plain http to a non-local host)', () => {
    expect(lacksCorsAllowance({ requestHeaders: { origin: page }, responseHeaders: {}, status: 200 })).toBe(true);
    expect(lacksCorsAllowance({ requestHeaders: {}, responseHeaders: {}, status: 200 })).toBe(false);
  });
  it('leaves a request with no response (status 0) to the failure rule', () => {
    expect(lacksCorsAllowance({ requestHeaders: corsGet, responseHeaders: {}, status: 0 })).toBe(false);
  });
});
