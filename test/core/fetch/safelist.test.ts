import {
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  normalizeMethod,
} from '../../../src/core/fetch/index.js';

describe('Fetch: CORS-safelisted method', () => {
  it('GET, HEAD and POST are safelisted', () => {
    for (const method of ['GET', 'HEAD', 'POST']) expect(isCorsSafelistedMethod(method)).toBe(true);
  });
  it('PUT, DELETE, PATCH and OPTIONS are not', () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) expect(isCorsSafelistedMethod(method)).toBe(false);
  });
  it('the comparison is byte-exact: lower-case `get` (fetch() would have normalised it) is not safelisted', () => {
    expect(isCorsSafelistedMethod('get')).toBe(false);
  });
});

describe('Fetch: normalize a method', () => {
  it('upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT whatever their case', () => {
    expect(['get', 'PuT', 'delete', 'Head', 'options', 'post'].map(normalizeMethod)).toEqual(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'POST']);
  });
  it('keeps every other method as written (`patch` stays lower-case)', () => {
    expect(normalizeMethod('patch')).toBe('patch');
    expect(normalizeMethod('PropFind')).toBe('PropFind');
  });
  it('CONNECT, TRACE and TRACK are forbidden methods', () => {
    expect(['connect', 'TRACE', 'Track'].every(isForbiddenMethod)).toBe(true);
    expect(isForbiddenMethod('PUT')).toBe(false);
  });
});

describe('Fetch: CORS-safelisted request-header', () => {
  it('content-type is safelisted only for the three essences, parameters allowed', () => {
    expect(isCorsSafelistedRequestHeader('content-type', 'text/plain')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'text/plain;charset=UTF-8')).toBe(true);
    expect(isCorsSafelistedRequestHeader('content-type', 'multipart/form-data; boundary=xyz')).toBe(true);
    expect(isCorsSafelistedRequestHeader('content-type', 'Application/X-WWW-Form-Urlencoded')).toBe(true);
    expect(isCorsSafelistedRequestHeader('content-type', 'application/json')).toBe(false);
    expect(isCorsSafelistedRequestHeader('content-type', 'application/octet-stream')).toBe(false);
  });
  it('content-type with a CORS-unsafe request-header byte (a quote) is not safelisted', () => {
    expect(isCorsSafelistedRequestHeader('content-type', 'text/plain; charset="utf-8"')).toBe(false);
  });
  it('content-type that does not parse as a MIME type is not safelisted', () => {
    expect(isCorsSafelistedRequestHeader('content-type', 'text/plain, text/html')).toBe(false);
    expect(isCorsSafelistedRequestHeader('content-type', 'text/')).toBe(false);
    expect(isCorsSafelistedRequestHeader('content-type', 'plain')).toBe(false);
  });
  it('a value longer than 128 bytes is never safelisted', () => {
    expect(isCorsSafelistedRequestHeader('accept', 'x'.repeat(128))).toBe(true);
    expect(isCorsSafelistedRequestHeader('accept', 'x'.repeat(129))).toBe(false);
  });
  it('accept may hold anything but the unsafe bytes', () => {
    expect(isCorsSafelistedRequestHeader('accept', 'application/json, text/plain;q=0.5')).toBe(true);
    expect(isCorsSafelistedRequestHeader('accept', 'text/{x}')).toBe(false);
  });
  it('accept-language and content-language allow only 0-9 A-Z a-z space * , - . ; =', () => {
    expect(isCorsSafelistedRequestHeader('accept-language', 'en-US,en;q=0.9')).toBe(true);
    expect(isCorsSafelistedRequestHeader('content-language', 'de@x')).toBe(false);
    expect(isCorsSafelistedRequestHeader('content-language', 'de_DE')).toBe(false);
  });
  it('range is safelisted only as one simple byte range, start ≤ end, no suffix', () => {
    expect(isCorsSafelistedRequestHeader('range', 'bytes=0-99')).toBe(true);
    expect(isCorsSafelistedRequestHeader('range', 'bytes=100-')).toBe(true);
    expect(isCorsSafelistedRequestHeader('range', 'bytes=-5')).toBe(false);
    expect(isCorsSafelistedRequestHeader('range', 'bytes=0-1,3-4')).toBe(false);
    expect(isCorsSafelistedRequestHeader('range', 'bytes=5-1')).toBe(false);
    expect(isCorsSafelistedRequestHeader('range', 'bytes= 0-1')).toBe(false);
  });
  it('any other name is not safelisted', () => {
    expect(isCorsSafelistedRequestHeader('x-amz-date', '20250101T000000Z')).toBe(false);
    expect(isCorsSafelistedRequestHeader('authorization', 'AWS4-HMAC-SHA256 …')).toBe(false);
  });
  it('Chromium also safelists client hints with well-formed values; Firefox does not', () => {
    expect(isCorsSafelistedRequestHeader('dpr', '2', 'chromium')).toBe(true);
    expect(isCorsSafelistedRequestHeader('save-data', 'on', 'chromium')).toBe(true);
    expect(isCorsSafelistedRequestHeader('width', 'abc', 'chromium')).toBe(false);
    expect(isCorsSafelistedRequestHeader('dpr', '2', 'firefox')).toBe(false);
  });
});

describe('Fetch: forbidden request-header', () => {
  it('names script may not set are forbidden, including the proxy- and sec- prefixes', () => {
    for (const name of ['Cookie', 'origin', 'Access-Control-Request-Headers', 'host', 'proxy-authorization', 'sec-fetch-mode']) {
      expect(isForbiddenRequestHeader(name, 'x')).toBe(true);
    }
    expect(isForbiddenRequestHeader('x-amz-date', 'x')).toBe(false);
  });
  it('a method-override header is forbidden only when it names a forbidden method', () => {
    expect(isForbiddenRequestHeader('x-http-method-override', 'TRACE')).toBe(true);
    expect(isForbiddenRequestHeader('x-http-method-override', 'PUT')).toBe(false);
  });
});

describe('Fetch: CORS-unsafe request-header names', () => {
  it('are lower-cased, de-duplicated and sorted, without safelisted headers', () => {
    const names = corsUnsafeRequestHeaderNames({ 'X-Zeta': '1', 'x-alpha': '2', 'content-type': 'application/json', accept: '*/*' });
    expect(names).toEqual(['content-type', 'x-alpha', 'x-zeta']);
  });
  it('leave out forbidden headers, which fetch() drops', () => {
    expect(corsUnsafeRequestHeaderNames({ cookie: 'a=1', 'sec-ch-ua': 'x', 'x-amz-acl': 'private' })).toEqual(['x-amz-acl']);
  });
  it('include every safelisted name once the safelisted values exceed 1024 bytes in total', () => {
    const long = (n: number): string => '1'.repeat(n);
    const headers = {
      accept: 'x'.repeat(128),
      'accept-language': 'a'.repeat(128),
      'content-language': 'b'.repeat(128),
      dpr: long(128),
      downlink: long(128),
      'device-memory': long(128),
      width: long(128),
      'viewport-width': long(128),
      rtt: long(128),
    };
    expect(corsUnsafeRequestHeaderNames(headers, 'chromium')).toEqual(Object.keys(headers).sort());
    // In Firefox the client hints are unsafe anyway, and the three safelisted values stay under 1024 bytes.
    expect(corsUnsafeRequestHeaderNames(headers, 'firefox')).toEqual(['device-memory', 'downlink', 'dpr', 'rtt', 'viewport-width', 'width']);
  });
  it('stay empty exactly at 1024 safelisted bytes or fewer', () => {
    expect(corsUnsafeRequestHeaderNames({ accept: 'x'.repeat(128), 'accept-language': 'a'.repeat(128) })).toEqual([]);
  });
});
