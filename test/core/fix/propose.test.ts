import { proposeFix, configLetsRequestPass } from '../../../src/core/fix/index.js';
import { parseS3Url } from '../../../src/core/endpoint/index.js';
import type { PageRequest } from '../../../src/core/fetch/index.js';
import type { CorsConfiguration, CorsRule } from '../../../src/core/policy/index.js';

const APP = 'https://app.example.com';
const URL_OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/a.jpg';
const PART_URL = 'https://photos.s3.us-east-1.amazonaws.com/big.bin?partNumber=2&uploadId=abc';

function rule(partial: Partial<CorsRule> & Pick<CorsRule, 'allowedOrigins' | 'allowedMethods'>): CorsRule {
  return { allowedHeaders: [], exposeHeaders: [], ...partial };
}

const READS = rule({ id: 'reads', allowedOrigins: [APP], allowedMethods: ['GET', 'HEAD'] });
const UPLOADS = rule({ id: 'uploads', allowedOrigins: [APP], allowedMethods: ['PUT', 'POST'], allowedHeaders: ['content-type'] });
const CONFIG: CorsConfiguration = { rules: [READS, UPLOADS] };

function put(headers: Record<string, string>, url = URL_OBJECT, origin = APP): PageRequest {
  return { origin, method: 'PUT', url, headers, mode: 'cors', credentials: 'same-origin' };
}

/** The fix touched only the listed rule indexes; every other rule is exactly as before. */
function expectOthersUnchanged(before: CorsConfiguration, after: CorsRule[], touched: number[]) {
  before.rules.forEach((r, i) => {
    if (!touched.includes(i)) expect(after[i]).toEqual(r);
  });
}

describe('proposeFix: the smallest verified change', () => {
  it('adds the one missing header to the rule that otherwise matches, and nothing else', () => {
    const page = put({ 'content-type': 'image/jpeg', 'x-amz-checksum-crc32': 'q2dW1A==' });
    expect(configLetsRequestPass(CONFIG, page, [])).toBe(false);
    const fix = proposeFix(page, { kind: 'cors', config: CONFIG });
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-header', rule: 1, value: 'x-amz-checksum-crc32' })]);
    expect(fix.config![1]!.allowedHeaders).toEqual(['content-type', 'x-amz-checksum-crc32']);
    expect(fix.config![1]!.allowedOrigins).toEqual([APP]);
    expectOthersUnchanged(CONFIG, fix.config!, [1]);
    expect(configLetsRequestPass({ rules: fix.config! }, page, [])).toBe(true);
  });

  it('adds the exact origin, never `*`, to a rule that grants it nothing beyond the request', () => {
    const getOnly = rule({ id: 'reads', allowedOrigins: [APP], allowedMethods: ['GET'] });
    const config = { rules: [getOnly, UPLOADS] };
    const page: PageRequest = { origin: 'https://staging.example.com', method: 'GET', url: URL_OBJECT, headers: {} };
    const fix = proposeFix(page, { kind: 'cors', config });
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-origin', rule: 0, value: 'https://staging.example.com' })]);
    expect(fix.config!.flatMap((r) => r.allowedOrigins)).not.toContain('*');
    expectOthersUnchanged(config, fix.config!, [0]);
    expect(fix.accessDelta!.allows).toEqual([{ origin: 'https://staging.example.com', method: 'GET', header: null }]);
  });

  it('gives an unrelated origin a rule of its own when the nearest rule would also grant it other methods', () => {
    const page: PageRequest = { origin: 'https://staging.example.com', method: 'GET', url: URL_OBJECT, headers: {} };
    const fix = proposeFix(page, { kind: 'cors', config: CONFIG });
    expect(fix.verified).toBe(true);
    // Adding the origin to rule 1 (GET, HEAD) would let it send HEAD too.
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-rule', rule: 2 })]);
    expect(fix.config![2]).toEqual(rule({ allowedOrigins: ['https://staging.example.com'], allowedMethods: ['GET'] }));
    expectOthersUnchanged(CONFIG, fix.config!, []);
    expect(fix.accessDelta!.withinRequest).toBe(true);
  });

  it('adds the method to the rule for the origin', () => {
    const config = { rules: [READS] };
    const fix = proposeFix({ origin: APP, method: 'DELETE', url: URL_OBJECT, headers: {} }, { kind: 'cors', config });
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-method', rule: 0, value: 'DELETE' })]);
    expect(fix.config![0]!.allowedMethods).toEqual(['GET', 'HEAD', 'DELETE']);
  });

  it('adds ETag to ExposeHeaders of the rule S3 uses for a multipart part upload', () => {
    const page = put({ 'content-type': 'application/octet-stream' }, PART_URL);
    const fix = proposeFix(page, { kind: 'cors', config: CONFIG }, { mustRead: ['ETag'] });
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-expose-header', rule: 1, value: 'ETag' })]);
    expect(fix.config![1]!.exposeHeaders).toEqual(['ETag']);
    expectOthersUnchanged(CONFIG, fix.config!, [1]);
    expect(configLetsRequestPass(CONFIG, page, ['ETag'])).toBe(false);
    expect(configLetsRequestPass({ rules: fix.config! }, page, ['ETag'])).toBe(true);
  });

  it('moves a shadowed rule before the broad rule that wins (S8) instead of widening the broad one', () => {
    const broad = rule({ id: 'public', allowedOrigins: ['https://*.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'] });
    const app = rule({ id: 'app', allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'] });
    const config = { rules: [broad, app] };
    const fix = proposeFix(put({ 'content-type': 'application/octet-stream' }, PART_URL), { kind: 'cors', config }, { mustRead: ['ETag'] });
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'move-rule', rule: 1 })]);
    expect(fix.config).toEqual([app, broad]);
  });

  it('for credentials against a `*` rule inserts an exact-origin rule before it', () => {
    const config = { rules: [rule({ allowedOrigins: ['*'], allowedMethods: ['GET'] })] };
    const page: PageRequest = { origin: APP, method: 'GET', url: URL_OBJECT, headers: {}, credentials: 'include' };
    expect(configLetsRequestPass(config, page, [])).toBe(false);
    const fix = proposeFix(page, { kind: 'cors', config });
    expect(fix.verified).toBe(true);
    expect(fix.config![0]).toEqual(rule({ allowedOrigins: [APP], allowedMethods: ['GET'] }));
    expect(fix.config![1]).toEqual(config.rules[0]);
  });

  it('without a configuration proposes the smallest new rule: exact origin, the method, the exact requested headers', () => {
    const page = put({ 'content-type': 'image/jpeg', 'x-amz-meta-owner': 'me' });
    const fix = proposeFix(page, { kind: 'no-cors' });
    expect(fix.verified).toBe(true);
    expect(fix.partial).toBe(false);
    expect(fix.config).toEqual([rule({ allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: ['content-type', 'x-amz-meta-owner'] })]);
  });

  it('for a multipart part upload the new rule also allows POST (create/complete) and exposes ETag', () => {
    const page = put({}, PART_URL);
    const fix = proposeFix(page, { kind: 'no-cors' }, { mustRead: ['ETag'], url: parseS3Url(PART_URL, 'PUT') });
    expect(fix.verified).toBe(true);
    expect(fix.config).toEqual([rule({ allowedOrigins: [APP], allowedMethods: ['PUT', 'POST'], exposeHeaders: ['ETag'] })]);
  });

  it('with the configuration unknown proposes the rule to merge (partial) and says where to put it', () => {
    const fix = proposeFix(put({ 'content-type': 'image/jpeg' }), undefined);
    expect(fix.partial).toBe(true);
    expect(fix.verified).toBe(true);
    expect(fix.advice.join(' ')).toContain('before any rule that also matches');
  });

  it('removes OPTIONS, which makes PutBucketCors refuse the whole configuration (K1)', () => {
    const config = { rules: [rule({ allowedOrigins: [APP], allowedMethods: ['GET', 'OPTIONS'] })] };
    const fix = proposeFix({ origin: APP, method: 'GET', url: URL_OBJECT, headers: {} }, { kind: 'cors', config });
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'remove-value', rule: 0, value: 'OPTIONS' })]);
    expect(fix.config![0]!.allowedMethods).toEqual(['GET']);
    expect(fix.verified).toBe(true);
  });

  it('changes nothing when the configuration already lets the request pass', () => {
    const fix = proposeFix({ origin: APP, method: 'GET', url: URL_OBJECT, headers: {} }, { kind: 'cors', config: CONFIG });
    expect(fix).toMatchObject({ config: null, changes: [], verified: true });
  });

  it('cannot allow a method S3 CORS does not know (PATCH) and says so', () => {
    const fix = proposeFix({ origin: APP, method: 'PATCH', url: URL_OBJECT, headers: {} }, { kind: 'no-cors' });
    expect(fix.config).toBeNull();
    expect(fix.advice[0]).toContain('PATCH');
  });

  it('reports an unverifiable proposal honestly when the cause is outside the rules (region redirect)', () => {
    const fix = proposeFix(put({ 'content-type': 'image/jpeg' }), { kind: 'cors', config: { rules: [READS] }, region: 'eu-west-1' });
    expect(fix.verified).toBe(false);
    expect(fix.advice.join(' ')).toMatch(/outside the CORS rules/);
  });
});
