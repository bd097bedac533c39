import fc from 'fast-check';
import { matchOrigin, matchHeader, parseS3Error } from '../../../src/core/s3/index.js';

describe('matchOrigin (S9, S10)', () => {
  it("is literal over the whole string and case-sensitive (the model's documented choice)", () => {
    expect(matchOrigin('https://a.example', 'https://a.example')).toBe(true);
    expect(matchOrigin('https://a.example', 'https://a.example/')).toBe(false);
    expect(matchOrigin('https://a.example', 'https://A.example')).toBe(false);
    expect(matchOrigin('https://a.example:443', 'https://a.example')).toBe(false);
  });

  it('one `*` anywhere matches any run of characters, anchored at both ends', () => {
    expect(matchOrigin('*', 'anything at all')).toBe(true);
    expect(matchOrigin('https://*.example.com', 'https://x.example.com')).toBe(true);
    expect(matchOrigin('https://*.example.com', 'https://x.example.com.evil')).toBe(false);
    expect(matchOrigin('https://app.*', 'https://app.io')).toBe(true);
    expect(matchOrigin('*.example.com', 'http://a.example.com')).toBe(true);
    expect(matchOrigin('https://*.example.com', 'https://.example.com')).toBe(true);
  });

  it('several `*`s (rejected by PutBucketCors) are still matched as a glob, never a crash', () => {
    expect(matchOrigin('https://*.*.com', 'https://a.b.com')).toBe(true);
    expect(matchOrigin('https://*.*.com', 'https://ab.org')).toBe(false);
    expect(matchOrigin('a*b*a', 'aba')).toBe(true);
    expect(matchOrigin('a*b*a', 'aab')).toBe(false);
    expect(matchOrigin('a*b*a', 'ab')).toBe(false);
    expect(matchOrigin('a*b*a', 'abba')).toBe(true);
  });
});

describe('matchHeader (S12)', () => {
  it('is case-insensitive, `*` matches any name, a partial `*` is a glob', () => {
    expect(matchHeader('Content-Type', 'content-type')).toBe(true);
    expect(matchHeader('content-type', 'CONTENT-TYPE')).toBe(true);
    expect(matchHeader('*', 'x-anything')).toBe(true);
    expect(matchHeader('x-amz-*', 'X-Amz-Date')).toBe(true);
    expect(matchHeader('x-amz-*', 'amz-sdk-request')).toBe(false);
    expect(matchHeader('content-type', 'content-length')).toBe(false);
  });
});

describe('parseS3Error', () => {
  it('reads Code, Message and every other child element of an S3 XML error', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
    <Code>InvalidArgument</Code>
    <Message>This operation does not accept a version-id.</Message>
    <ArgumentName>versionId</ArgumentName>
    <ArgumentValue>fSm2f.PQjS8vbbNrQWL1_8_fQTUWlDvh</ArgumentValue>
    <RequestId>FC057A0AA1C256AF</RequestId>
    <HostId>
        7OeA0vIjXecL1TGKQO+h87ozwI3Jh3uwCW1QxlxRmamxsN50t58YzztknnqGw1DQ
    </HostId>
</Error>`;
    expect(parseS3Error(body)).toEqual({
      code: 'InvalidArgument',
      message: 'This operation does not accept a version-id.',
      fields: {
        ArgumentName: 'versionId',
        ArgumentValue: 'fSm2f.PQjS8vbbNrQWL1_8_fQTUWlDvh',
        RequestId: 'FC057A0AA1C256AF',
        HostId: '7OeA0vIjXecL1TGKQO+h87ozwI3Jh3uwCW1QxlxRmamxsN50t58YzztknnqGw1DQ',
      },
    });
  });

  it('decodes the predefined entities and CDATA, reads empty elements', () => {
    const r = parseS3Error(
      '<Error><Code>SignatureDoesNotMatch</Code><Message>a &amp; b &lt;c&gt; &#65;&#x42;</Message><StringToSign><![CDATA[x<y]]></StringToSign><Empty/></Error>',
    );
    expect(r).toEqual({ code: 'SignatureDoesNotMatch', message: 'a & b <c> AB', fields: { StringToSign: 'x<y', Empty: '' } });
  });

  it('reads a website endpoint HTML error page (S28)', () => {
    const html =
      '<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>404 Not Found</h1>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: index.html</li>\n</ul>\n</body>\n</html>';
    expect(parseS3Error(html)).toEqual({ code: 'NoSuchKey', message: 'The specified key does not exist.', fields: { Key: 'index.html' } });
  });

  it('returns null for anything that is not an S3 error: DTDs and entity bombs, other XML, garbage, oversized bodies', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Error><Code>&lol2;</Code></Error>';
    expect(parseS3Error(bomb)).toBeNull();
    expect(parseS3Error('<ListBucketResult></ListBucketResult>')).toBeNull();
    expect(parseS3Error('<Error><Message>no code</Message></Error>')).toBeNull();
    expect(parseS3Error('<Error><Code>Unclosed</Error>')).toBeNull();
    expect(parseS3Error('\u0000\u0001binary')).toBeNull();
    expect(parseS3Error('')).toBeNull();
    expect(parseS3Error(`<Error><Code>X</Code><Message>${'a'.repeat(300 * 1024)}</Message></Error>`)).toBeNull();
    expect(parseS3Error(42 as unknown as string)).toBeNull();
  });

  it('never throws on arbitrary text, and reads back any Code/Message it is given', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        parseS3Error(text);
        parseS3Error(`<Error>${text}</Error>`);
      }),
      { numRuns: 500 },
    );
    const text = fc.string().filter((t) => t.trim() === t && t !== '');
    fc.assert(
      fc.property(text, text, (code, message) => {
        const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(parseS3Error(`<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>`)).toMatchObject({ code, message });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an unknown &name; reference as text rather than expanding it', () => {
    expect(parseS3Error('<Error><Code>X</Code><Message>&custom;</Message></Error>')?.message).toBe('&custom;');
  });
});
