/**
 * Issue 11 item 3: the forms of secrets the first redaction missed, each masked wherever it appears — case-insensitively,
 * at any nesting of URL-encoding — and what the diagnosis reads kept.
 */
import { REDACTED, redactBody, redactHarEntry, redactHeaderValue, redactText, redactUrl, redactWork } from '../../../src/core/redact/index.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SCOPE = '20261128/us-east-1/s3/aws4_request';

function expectNone(text: string, secrets: string[]): void {
  for (const secret of secrets) expect(text, secret).not.toContain(secret);
}

describe('URLs inside free text (console messages, errors, notes)', () => {
  it('masks a presigned URL whose parameter names are percent-encoded, as a console message quotes it', () => {
    const message = `Access to fetch at 'https://b.s3.amazonaws.com/k?X%2DAmz%2DCredential=${KEY_ID}%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X%2DAmz%2DSecurity%2DToken=FwoTOKEN1234567&X%2Damz%2Dsignature=deadbeef99887766' from origin 'https://app.example.com' has been blocked by CORS policy`;
    const out = redactText(message);
    expectNone(out, ['IOSFODNN7EXAMPLE', 'FwoTOKEN1234567', 'deadbeef99887766']);
    expect(out).toContain('%2F20261128%2Fus-east-1%2Fs3%2Faws4_request');
    expect(out).toContain("from origin 'https://app.example.com' has been blocked by CORS policy");
    expect(redactText(out)).toBe(out);
  });

  it('masks userinfo: a token as the user name, and passwords containing @', () => {
    expectNone(redactUrl('https://ghp_abcdefghij0123456789@github.com/o/r.git'), ['ghp_abcdefghij0123456789']);
    expectNone(redactUrl('https://deploy:p@ss@w0rd!@files.example.com/a?b=1'), ['p@ss', 'w0rd!']);
    expectNone(redactUrl('https://deploy:pa&ss;w0rd@files.example.com/'), ['pa&ss', 'w0rd']);
    const line = redactText('GET https://user:hunter2secret@files.example.com/a failed');
    expectNone(line, ['hunter2secret']);
    expect(line).toContain('@files.example.com/a failed');
  });

  it('masks a presigned URL nested URL-encoded in another parameter, once or twice encoded', () => {
    const inner = `https://b.s3.amazonaws.com/k?X-Amz-Credential=${encodeURIComponent(`${KEY_ID}/${SCOPE}`)}&X-Amz-Signature=nestedsig1234567`;
    const once = `https://app.example.com/login?next=${encodeURIComponent(inner)}&page=2`;
    const twice = `https://app.example.com/login?next=${encodeURIComponent(`https://sso.example.com/?return=${encodeURIComponent(inner)}`)}`;
    for (const url of [once, twice]) {
      const out = redactUrl(url);
      expectNone(out, ['IOSFODNN7EXAMPLE', 'nestedsig1234567']);
      expect(redactUrl(out)).toBe(out);
      expectNone(redactText(`see ${url} here`), ['IOSFODNN7EXAMPLE', 'nestedsig1234567']);
    }
    expect(redactUrl(once)).toMatch(/&page=2$/);
  });

  it('masks query parameters jwt, auth, key, password, WebIdentityToken, case-insensitively, keeping the others', () => {
    expect(redactUrl('https://x.example/?jwt=J1x&AUTH=A1x&key=K1x&Password=P1x&WebIdentityToken=W1x&client_secret=C1x&api_key=K2x&page=2&list-type=2')).toBe(
      `https://x.example/?jwt=${REDACTED}&AUTH=${REDACTED}&key=${REDACTED}&Password=${REDACTED}&WebIdentityToken=${REDACTED}&client_secret=${REDACTED}&api_key=${REDACTED}&page=2&list-type=2`,
    );
    expect(redactUrl('https://x.example/cb#access_token=T0k3n&token_type=bearer')).toBe(`https://x.example/cb#access_token=${REDACTED}&token_type=bearer`);
  });

  it('masks Authorization: Bearer inside a line of text, and custom auth headers quoted mid-line', () => {
    const out = redactText('request failed (Authorization: Bearer abc.def.ghi123, X-Custom-Auth: zz9secret) retrying');
    expectNone(out, ['abc.def.ghi123', 'zz9secret']);
    expect(out).toContain('retrying');
    expectNone(redactText('sent Authorization: Basic dXNlcjpwYXNzd29yZA== to the proxy'), ['dXNlcjpwYXNzd29yZA']);
  });
});

describe('bodies', () => {
  it('masks a presigned-POST JSON answer (hyphenated x-amz keys) and keeps the object key and URL', () => {
    const json = JSON.stringify({
      url: 'https://b.s3.amazonaws.com/',
      fields: {
        key: 'uploads/a.txt',
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-credential': `${KEY_ID}/${SCOPE}`,
        'x-amz-security-token': 'tokvalue4567890',
        'X-Amz-Signature': 'sigvalue1234567',
        Policy: 'eyJwb2xpY3kiOjF9',
      },
    });
    const out = redactText(json);
    expectNone(out, ['IOSFODNN7EXAMPLE', 'tokvalue4567890', 'sigvalue1234567', 'eyJwb2xpY3kiOjF9']);
    expect(JSON.parse(out)).toMatchObject({
      url: 'https://b.s3.amazonaws.com/',
      fields: { key: 'uploads/a.txt', 'x-amz-credential': `AKIAREDACTED/${SCOPE}` },
    });
  });

  it('masks JSON keys PASSWORD, client_secret, apiKey, and secrets in escaped JSON inside JSON', () => {
    const out = redactText('{"PASSWORD":"p1secret","client_secret":"c1secret","apiKey":"a1secret","user":"bob","inner":"{\\"password\\":\\"p2secret\\"}"}');
    expectNone(out, ['p1secret', 'c1secret', 'a1secret', 'p2secret']);
    expect(JSON.parse(out).user).toBe('bob');
    expect(redactText(out)).toBe(out);
  });

  it('masks form bodies (password, client_secret), keeping the S3 POST object key', () => {
    const out = redactBody('key=uploads%2Fa.txt&username=bob&password=hunter2secret&client_secret=cs1secret', 'application/x-www-form-urlencoded');
    expect(out).toBe(`key=uploads%2Fa.txt&username=bob&password=${REDACTED}&client_secret=${REDACTED}`);
  });

  it('masks multipart fields by name, and secrets inside other fields', () => {
    const body = [
      '--XB',
      'Content-Disposition: form-data; name="key"',
      '',
      'uploads/a.txt',
      '--XB',
      'Content-Disposition: form-data; name="Password"',
      '',
      'mp1secret',
      '--XB',
      'Content-Disposition: form-data; name="note"',
      '',
      'see https://x.example/?token=mp2secret',
      '--XB--',
      '',
    ].join('\r\n');
    const out = redactBody(body, 'multipart/form-data; boundary=XB');
    expectNone(out, ['mp1secret', 'mp2secret']);
    expect(out).toContain('name="key"\r\n\r\nuploads/a.txt\r\n');
  });

  it('drops base64 and binary bodies with their size noted, keeping S3 XML error bodies redacted', () => {
    const png = btoa('\x89PNG secretpixels0123');
    const json = btoa('{"note":"plain"}');
    const xml = btoa(`<Error><Code>AccessDenied</Code><Message>Denied</Message><AWSAccessKeyId>${KEY_ID}</AWSAccessKeyId></Error>`);
    const entry = (content: Record<string, unknown>, postData?: Record<string, unknown>) =>
      redactHarEntry({
        request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: [], ...(postData ? { postData } : {}) },
        response: { status: 403, headers: [], content },
      }) as {
        request: { postData?: { text: string } };
        response: { content: { text: string; encoding?: string } };
      };
    const image = entry({ mimeType: 'image/png', encoding: 'base64', text: png, size: 22 });
    expect(image.response.content.text).not.toContain(png);
    expect(image.response.content.text).toMatch(/REDACTED.*\d+ bytes/);
    expect(image.response.content.encoding).toBeUndefined();
    const base64Json = entry({ mimeType: 'application/json', encoding: 'base64', text: json });
    expect(base64Json.response.content.text).not.toContain(json);
    const s3 = entry({ mimeType: 'application/xml', encoding: 'base64', text: xml });
    expect(atob(s3.response.content.text)).toBe(
      '<Error><Code>AccessDenied</Code><Message>Denied</Message><AWSAccessKeyId>AKIAREDACTED</AWSAccessKeyId></Error>',
    );
    const upload = entry({ mimeType: 'application/xml', text: '' }, { mimeType: 'application/octet-stream', text: 'rawbytes-secret-0123' });
    expect(upload.request.postData!.text).not.toContain('rawbytes-secret-0123');
    expect(upload.request.postData!.text).toMatch(/REDACTED.*20 bytes/);
    // Idempotent: a note is not noted again.
    expect(redactHarEntry(image)).toEqual(image);
    expect(redactHarEntry(upload)).toEqual(upload);
  });
});

describe('headers', () => {
  it.each([
    ['X-Custom-Auth', 'v1secret'],
    ['X-Session-Id', 'v2secret'],
    ['X-Upload-Signature', 'v3secret'],
    ['X-My-Secret', 'v4secret'],
    ['X-Functions-Key', 'v5secret'],
    ['X-CSRF-Token', 'v6secret'],
    ['X-Password', 'v7secret'],
  ])('masks the value of %s', (name, value) => {
    expect(redactHeaderValue(name, value)).toBe(REDACTED);
  });

  it('masks every cookie of a folded Set-Cookie or Cookie value (found by the planted-secret property)', () => {
    expect(redactHeaderValue('Set-Cookie', 'a=s1secret; Path=/; HttpOnly, b=s2secret; Expires=Sat, 05 Dec 2026 11:00:00 GMT')).toBe(
      'a=REDACTED; Path=/; HttpOnly, b=REDACTED; Expires=Sat, 05 Dec 2026 11:00:00 GMT',
    );
    expect(redactHeaderValue('Cookie', 'a=s1secret; b=s2secret, c=s3secret')).toBe('a=REDACTED; b=REDACTED, c=REDACTED');
  });

  it.each([
    ['Access-Control-Allow-Headers', 'authorization, x-custom-auth, x-amz-security-token'],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Content-Type', 'application/xml'],
    ['Keep-Alive', 'timeout=5'],
    ['X-Amz-Date', '20261128T080000Z'],
    ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
  ])('keeps %s', (name, value) => {
    expect(redactHeaderValue(name, value)).toBe(value);
  });
});

describe('linear time', () => {
  /** The shape that made the multipart regular expression quadratic: many field heads and no closing boundary. */
  function multipartBomb(bytes: number): string {
    const unit = 'name="a"\r\nx\r\n\r\n';
    return unit.repeat(Math.ceil(bytes / unit.length));
  }

  it('redacts a ReDoS-shaped multipart body correctly', () => {
    const body = `${multipartBomb(4096)}password=zzsecret1`;
    expect(redactBody(body, 'multipart/form-data; boundary=XB')).not.toContain('zzsecret1');
  });

  it('does work proportional to the input (steps counted, not time): 256 KB costs at most ~2× per byte what 16 KB does', { timeout: 30_000 }, () => {
    const shapes = [
      (n: number) => redactBody(multipartBomb(n), 'multipart/form-data; boundary=XB'),
      (n: number) => redactText('"token":"'.repeat(Math.ceil(n / 9))),
      (n: number) => redactText('a=%25'.repeat(Math.ceil(n / 5))),
      (n: number) => redactText('https://'.repeat(Math.ceil(n / 8))),
      (n: number) => redactText(`${'<Token>'.repeat(Math.ceil(n / 7))}`),
      (n: number) => redactText(`Authorization:${' '.repeat(n)}x`),
    ];
    for (const [i, run] of shapes.entries()) {
      const small = redactWork(() => run(16 * 1024));
      const large = redactWork(() => run(256 * 1024));
      expect(large / small, `shape ${i}: ${small} → ${large} steps`).toBeLessThan(16 * 2);
    }
  });
});
