import { consoleRules, proposeFix, renderFixConfig, renderFixDiff, renderProviderForm, FIX_FORMATS } from '../../../src/core/fix/index.js';
import type { FixProposal } from '../../../src/core/fix/index.js';
import type { CorsConfiguration } from '../../../src/core/policy/index.js';

const APP = 'https://app.example.com';
const ORIGINAL: CorsConfiguration = {
  rules: [{ id: 'uploads', allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: ['content-type'], exposeHeaders: [] }],
};
const page = {
  origin: APP,
  method: 'PUT',
  url: 'https://photos.s3.us-east-1.amazonaws.com/big.bin?partNumber=1&uploadId=u',
  headers: { 'content-type': 'application/octet-stream' },
};
const fix: FixProposal = proposeFix(page, { kind: 'cors', config: ORIGINAL }, { mustRead: ['ETag'] });

describe('rendering a fix', () => {
  it('gives the console JSON form with the S3 keys, leaving out empty lists (S24)', () => {
    expect(consoleRules(fix.config!)).toEqual([
      { ID: 'uploads', AllowedHeaders: ['content-type'], AllowedMethods: ['PUT'], AllowedOrigins: [APP], ExposeHeaders: ['ETag'] },
    ]);
  });

  it.each([
    ['console', '"ExposeHeaders"'],
    ['cli', 'aws s3api put-bucket-cors --bucket photos'],
    ['xml', '<ExposeHeader>ETag</ExposeHeader>'],
    ['cloudformation', 'ExposedHeaders'],
    ['terraform', 'aws_s3_bucket_cors_configuration'],
    ['cdk', 's3.HttpMethods.PUT'],
  ] as const)('renders the %s form', (format, fragment) => {
    expect(FIX_FORMATS).toContain(format);
    expect(renderFixConfig(fix, format, { bucket: 'photos' })).toContain(fragment);
  });

  it('diffs against the original, adding only ETag', () => {
    const diff = renderFixDiff(ORIGINAL, fix)!;
    const added = diff.split('\n').filter((line) => line.startsWith('+'));
    expect(added.join('\n')).toContain('ETag');
    expect(
      diff
        .split('\n')
        .filter((line) => line.startsWith('-'))
        .every((line) => /"content-type"|\]|\[/.test(line)),
    ).toBe(true);
  });

  it('has no diff for a partial proposal (the configuration was unknown)', () => {
    expect(renderFixDiff(null, proposeFix(page, undefined))).toBeNull();
  });

  it('renders GCS JSON and says responseHeader both allows and exposes', () => {
    const form = renderProviderForm(fix, 'gcs')!;
    expect(form.format).toBe('gcs');
    expect(form.rendered).toContain('responseHeader');
    expect(form.limits.join(' ')).toMatch(/both allows and exposes/);
  });

  it('renders Backblaze B2 rules with s3_* operations', () => {
    expect(renderProviderForm(fix, 'b2')!.rendered).toContain('s3_put');
  });

  it('says MinIO community cannot express per-bucket headers or exposed headers', () => {
    const form = renderProviderForm(fix, 'minio')!;
    expect(form.limits.join(' ')).toContain('ExposeHeaders cannot be configured');
    expect(form.limits.join(' ')).toContain('AllowedHeaders cannot be expressed');
  });

  it('tells Wasabi users no rule is expected to help, and has no form for AWS itself', () => {
    expect(renderProviderForm(fix, 'wasabi')).toMatchObject({ rendered: null });
    expect(renderProviderForm(fix, 'aws')).toBeNull();
  });
});
