import { describe, expect, it } from 'vitest';
import { escapeXml, xmlElement } from '../../../src/core/xml/index.js';
import { errorXml } from '../../../src/core/s3/errors.js';

describe('escapeXml: the one XML escaper', () => {
  it("'minimal' escapes only &, < and >, as S3 writes its error bodies (apostrophes and quotes literal)", () => {
    expect(escapeXml(`a&b<c>d"e'f\rg`, 'minimal')).toBe(`a&amp;b&lt;c&gt;d"e'f\rg`);
    expect(errorXml([['Message', 'resource\'s <spec> & "more"']])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Message>resource\'s &lt;spec&gt; &amp; "more"</Message></Error>',
    );
  });

  it("'strict' (the default) also escapes quotes, CR and control characters, so a parser reads the value back exactly", () => {
    expect(escapeXml(`a&b<c>d"e'f\rg\u0001h\ti\nj`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g&#1;h\ti\nj');
    expect(xmlElement('ETag', '"abc"')).toBe('<ETag>&quot;abc&quot;</ETag>');
    expect(escapeXml('plain text')).toBe('plain text');
  });
});
