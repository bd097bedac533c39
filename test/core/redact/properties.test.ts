import fc from 'fast-check';
import { redactHeaderValue, redactText, redactUrl } from '../../../src/core/redact/index.js';

const secret = fc.stringMatching(/^[A-Za-z0-9/+=]{12,40}$/);
const keyId = fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/);
const plainParam = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/))
  .filter(
    ([name]) =>
      !/^(signature|sig|token|policy|x-amz|x-goog|aws|google|access_token|id_token|refresh_token|credential|pwd|pass|otp|key)/.test(name) &&
      !/auth(?!or)|token|secret|passw|apikey|privatekey|cookie|session|jwt|signature|key$/.test(name.replace(/[^a-z0-9]/g, '')),
  );

describe('redaction properties', () => {
  it('a presigned URL never keeps its signature, token or key id, and keeps every other parameter as it was', () => {
    fc.assert(
      fc.property(keyId, secret, secret, fc.array(plainParam, { maxLength: 4 }), (key, signature, token, others) => {
        const plain = others.map(([n, v]) => `${n}=${v}`);
        const url = `https://b.s3.us-east-1.amazonaws.com/k?${[...plain, `X-Amz-Credential=${key}%2F20261128%2Fus-east-1%2Fs3%2Faws4_request`, `X-Amz-Security-Token=${encodeURIComponent(token)}`, `X-Amz-Signature=${signature}`].join('&')}`;
        const redacted = redactUrl(url);
        expect(redacted).not.toContain(key.slice(4));
        expect(redacted).not.toContain(signature);
        expect(redacted).not.toContain(encodeURIComponent(token));
        expect(redacted).toContain('%2F20261128%2Fus-east-1%2Fs3%2Faws4_request');
        for (const p of plain) expect(redacted).toContain(p);
        expect(redactUrl(redacted)).toBe(redacted);
      }),
    );
  });

  it('redactText is idempotent on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), keyId, (text, key) => {
        const once = redactText(`${text} ${key} <Token>${text}</Token> "SessionToken": "x" Signature=${text.replace(/\s/g, '')}`);
        expect(redactText(once)).toBe(once);
      }),
    );
  });

  it('an Authorization header never keeps its signature or full key id', () => {
    fc.assert(
      fc.property(keyId, fc.stringMatching(/^[0-9a-f]{64}$/), (key, signature) => {
        const value = redactHeaderValue(
          'authorization',
          `AWS4-HMAC-SHA256 Credential=${key}/20261128/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
        );
        expect(value).not.toContain(signature);
        expect(value).not.toContain(key.slice(4));
        expect(value).toContain('/20261128/eu-west-1/s3/aws4_request');
      }),
    );
  });
});
