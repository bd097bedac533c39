// @vitest-environment happy-dom
import { parseExportedCredentials } from '../../src/panel/view/credentials.js';
import { buildPreflightCurl, shellQuote } from '../../src/panel/view/curl.js';
import { scrollTopToReveal, visibleWindow } from '../../src/panel/view/virtual-window.js';
import { isHostGranted, permissionTarget } from '../../src/panel/view/permissions.js';
import { looksLikeHar } from '../../src/panel/view/files.js';
import { redactHeaders, redactText, redactUrl } from '../../src/panel/view/redaction.js';
import { filterRows, newestFirst } from '../../src/panel/view/rows.js';
import { nearMisses } from '../../src/panel/view/trace.js';
import type { CapturedRow } from '../../src/panel/model.js';
import { allowedGet, blockedPut, PRESIGNED_PUT_URL, RECORDED_ROWS, SECRET_CREDENTIAL, SECRET_SIGNATURE, SECRET_TOKEN, wrongOriginGet } from './fixtures.js';

describe('parseExportedCredentials', () => {
  it('reads `aws configure export-credentials --format env` output, session token and expiry included', () => {
    const result = parseExportedCredentials(
      [
        'export AWS_ACCESS_KEY_ID=ASIAEXAMPLE',
        'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj+/abc==',
        'export AWS_CREDENTIAL_EXPIRATION=2026-11-28T09:00:00+00:00',
      ].join('\n'),
    );
    expect(result).toEqual({
      ok: true,
      credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2Vj+/abc==' },
      expiresAt: '2026-11-28T09:00:00+00:00',
    });
  });

  it('accepts the env-no-export, powershell and windows-cmd formats, quotes, CRLF and the region', () => {
    expect(parseExportedCredentials('AWS_ACCESS_KEY_ID=A1\r\nAWS_SECRET_ACCESS_KEY=S1\r\nAWS_REGION=eu-west-1\r\n')).toEqual({
      ok: true,
      credentials: { accessKeyId: 'A1', secretAccessKey: 'S1', region: 'eu-west-1' },
    });
    expect(parseExportedCredentials('$Env:AWS_ACCESS_KEY_ID="A2"\n$Env:AWS_SECRET_ACCESS_KEY="S=2"')).toMatchObject({
      ok: true,
      credentials: { accessKeyId: 'A2', secretAccessKey: 'S=2' },
    });
    expect(parseExportedCredentials("set AWS_ACCESS_KEY_ID=A3\nset AWS_SECRET_ACCESS_KEY='S3'\n# comment\n")).toMatchObject({
      ok: true,
      credentials: { accessKeyId: 'A3', secretAccessKey: 'S3' },
    });
  });

  it('names the missing variable', () => {
    expect(parseExportedCredentials('export AWS_ACCESS_KEY_ID=A')).toEqual({ ok: false, error: 'AWS_SECRET_ACCESS_KEY is missing' });
    expect(parseExportedCredentials('')).toEqual({ ok: false, error: 'AWS_ACCESS_KEY_ID is missing' });
  });

  it('names the line it cannot read without echoing the secret on it', () => {
    const result = parseExportedCredentials('export AWS_ACCESS_KEY_ID=A\nthe secret is hunter2');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^line 2: /);
      expect(result.error).not.toContain('hunter2');
    }
  });
});

describe('buildPreflightCurl', () => {
  it('quotes for a POSIX shell so quotes, $ and backticks stay literal', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf ~) `id`')).toBe("'$(rm -rf ~) `id`'");
  });

  it('passes every header it copies through the one redactor too (issue 11): a captured Origin or header list cannot carry a secret out', () => {
    const request = {
      ...blockedPut.exchange.preflight!.request,
      headers: {
        origin: 'https://deploy:curlpass0123@app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type, x-token=curltok0123',
      },
    };
    const row = { ...blockedPut, exchange: { ...blockedPut.exchange, preflight: { ...blockedPut.exchange.preflight!, request } } };
    const { command } = buildPreflightCurl(row);
    expect(command).not.toContain('curlpass0123');
    expect(command).not.toContain('curltok0123');
    expect(command).toContain("-H 'Access-Control-Request-Method: PUT'");
  });

  it('replays the captured preflight with the presigned credentials redacted and the rest of the URL intact', () => {
    const { command, basis } = buildPreflightCurl(blockedPut);
    expect(basis).toBe('captured');
    expect(command).not.toContain(SECRET_SIGNATURE);
    expect(command).not.toContain(SECRET_TOKEN);
    expect(command).not.toContain(encodeURIComponent(SECRET_CREDENTIAL));
    expect(command).toContain('X-Amz-Date=20261128T075900Z');
    expect(command).toContain('/photos/cat%20pic.jpg?');
    expect(command).toMatch(
      /^curl -i -X OPTIONS -H 'Origin: https:\/\/app\.example\.com' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type,x-amz-checksum-crc32' 'https:\/\/uploads\.s3\.eu-west-1\.amazonaws\.com\/photos\/cat%20pic\.jpg\?[^']*'$/,
    );
  });

  it('keeps a hostile origin or URL inside its quotes', () => {
    const row: CapturedRow = {
      ...blockedPut,
      exchange: {
        ...blockedPut.exchange,
        preflight: {
          request: {
            method: 'OPTIONS',
            url: "https://b.s3.amazonaws.com/a'; touch pwned; '",
            headers: { origin: "https://x'$(id)", 'access-control-request-method': 'PUT' },
          },
        },
      },
    };
    const { command } = buildPreflightCurl(row);
    expect(command).toContain(`-H 'Origin: https://x'\\''$(id)'`);
    expect(command).toContain(`'https://b.s3.amazonaws.com/a'\\''; touch pwned; '\\'''`);
    expect(command).not.toContain('Access-Control-Request-Headers');
  });

  it('reconstructs a preflight for a request captured without one', () => {
    const { command, basis } = buildPreflightCurl(wrongOriginGet);
    expect(basis).toBe('reconstructed');
    expect(command).toBe(
      "curl -i -X OPTIONS -H 'Origin: https://staging.example.com' -H 'Access-Control-Request-Method: GET' 'https://assets.s3.us-east-1.amazonaws.com/fonts/inter.woff2'",
    );
  });
});

describe('redaction at the panel door (the core decides the masking; these pin that the panel uses it)', () => {
  it('masks presigned credentials in URLs, keeping date and expiry', () => {
    const redacted = redactUrl(PRESIGNED_PUT_URL);
    for (const secret of [SECRET_SIGNATURE, SECRET_TOKEN, 'AKIAEXAMPLEKEY123456']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('X-Amz-Expires=900');
    expect(redacted).toContain('X-Amz-Date=20261128T075900Z');
    expect(redactUrl('https://b.s3.amazonaws.com/k')).toBe('https://b.s3.amazonaws.com/k');
  });

  it('masks every header value that carries a secret and leaves the others alone', () => {
    const redacted = redactHeaders({
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY123456/20261128/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=abcdef0123',
      cookie: 'session=s3cr3t',
      'x-amz-security-token': SECRET_TOKEN,
      'content-type': 'image/png',
    });
    expect(JSON.stringify(redacted)).not.toMatch(/AKIAEXAMPLEKEY123456|abcdef0123|s3cr3t|IQoJb3JpZ2lu/);
    expect(redacted['content-type']).toBe('image/png');
    expect(Object.keys(redacted)).toEqual(['authorization', 'cookie', 'x-amz-security-token', 'content-type']);
  });

  it('masks URLs and SignatureDoesNotMatch echoes inside free text', () => {
    const text = redactText(
      `Access to fetch at '${PRESIGNED_PUT_URL}' was blocked; <Error><AWSAccessKeyId>AKIAEXAMPLEKEY123456</AWSAccessKeyId><SignatureProvided>c2VjcmV0</SignatureProvided></Error>`,
    );
    for (const secret of [SECRET_SIGNATURE, SECRET_TOKEN, 'AKIAEXAMPLEKEY123456', 'c2VjcmV0']) expect(text).not.toContain(secret);
  });
});

describe('virtual window math', () => {
  it('covers the viewport plus overscan at the top of the list', () => {
    expect(visibleWindow({ count: 10_000, rowHeight: 20, scrollTop: 0, viewportHeight: 400, overscan: 5 })).toEqual({
      start: 0,
      end: 26,
      offsetTop: 0,
      totalHeight: 200_000,
    });
  });

  it('starts overscan rows above the first visible row when scrolled', () => {
    const frame = visibleWindow({ count: 10_000, rowHeight: 20, scrollTop: 1_010, viewportHeight: 400, overscan: 5 });
    expect(frame).toEqual({ start: 45, end: 76, offsetTop: 900, totalHeight: 200_000 });
  });

  it('clamps a scroll position beyond the end (the list shrank under the scrollbar)', () => {
    const frame = visibleWindow({ count: 100, rowHeight: 20, scrollTop: 999_999, viewportHeight: 400, overscan: 0 });
    expect(frame.end).toBe(100);
    expect(frame.start).toBe(80);
  });

  it('renders nothing for an empty list', () => {
    expect(visibleWindow({ count: 0, rowHeight: 20, scrollTop: 0, viewportHeight: 400 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });

  it('scrolls by the least amount that reveals a row', () => {
    expect(scrollTopToReveal(5, 20, 0, 400)).toBe(0);
    expect(scrollTopToReveal(30, 20, 0, 400)).toBe(220);
    expect(scrollTopToReveal(2, 20, 200, 400)).toBe(40);
  });
});

describe('rows', () => {
  it('orders newest first by start time, and by capture order when a time is missing', () => {
    expect(newestFirst(RECORDED_ROWS).map((row) => row.exchange.id)).toEqual(['put-signature', 'put-checksum', 'get-origin', 'get-ok']);
    const untimed = RECORDED_ROWS.map((row) => ({ ...row, exchange: { ...row.exchange, startedAt: undefined } }));
    expect(newestFirst(untimed).map((row) => row.exchange.id)).toEqual(['put-signature', 'put-checksum', 'get-origin', 'get-ok']);
    expect(newestFirst([allowedGet, { ...blockedPut, exchange: { ...blockedPut.exchange, startedAt: undefined } }]).map((r) => r.exchange.id)).toEqual([
      'put-checksum',
      'get-ok',
    ]);
  });

  it('puts the later capture first when rows already arrive in start order, equal times included', () => {
    const at = (row: CapturedRow, startedAt: string) => ({ ...row, exchange: { ...row.exchange, startedAt } });
    const rows = [at(allowedGet, '2026-11-28T08:00:00Z'), at(blockedPut, '2026-11-28T08:00:00Z'), at(wrongOriginGet, '2026-11-28T08:00:01Z')];
    expect(newestFirst(rows).map((row) => row.exchange.id)).toEqual(['get-origin', 'put-checksum', 'get-ok']);
  });

  it('counts blocked, non-CORS failures and error findings as failures', () => {
    expect(filterRows(RECORDED_ROWS, { failuresOnly: true, search: '' }).map((row) => row.exchange.id)).toEqual([
      'get-origin',
      'put-checksum',
      'put-signature',
    ]);
  });

  it('finds near misses: rules failing exactly one condition', () => {
    expect(nearMisses(blockedPut.diagnosis.trace).map((miss) => [miss.rule.id, miss.failed])).toEqual([
      ['uploads', { kind: 'header', value: 'x-amz-checksum-crc32' }],
    ]);
  });
});

describe('host permissions', () => {
  it('asks for the host without its port (a port in a pattern never fires in Firefox)', () => {
    expect(permissionTarget('http://127.0.0.1:4568/bucket/key')).toEqual({ host: '127.0.0.1', pattern: 'http://127.0.0.1/*' });
  });

  it('treats wildcard patterns, exact patterns and bare hosts as grants', () => {
    const url = 'https://uploads.s3.eu-west-1.amazonaws.com/k';
    expect(isHostGranted(url, ['*://*.amazonaws.com/*'])).toBe(true);
    expect(isHostGranted(url, ['https://uploads.s3.eu-west-1.amazonaws.com/*'])).toBe(true);
    expect(isHostGranted(url, ['uploads.s3.eu-west-1.amazonaws.com'])).toBe(true);
    expect(isHostGranted(url, ['*://*.example.com/*', 'https://s3.amazonaws.com/*'])).toBe(false);
    expect(isHostGranted('https://evilamazonaws.com/k', ['*://*.amazonaws.com/*'])).toBe(false);
  });
});

describe('dropped files', () => {
  it('recognises a HAR by extension or by its leading "log" key', () => {
    expect(looksLikeHar('capture.HAR', '')).toBe(true);
    expect(looksLikeHar('export.json', '\uFEFF{\n  "log": {"version": "1.2"}}')).toBe(true);
    expect(looksLikeHar('cors.json', '[{"AllowedOrigins": ["*"]}]')).toBe(false);
  });
});
