import { parse as parseYaml } from 'yaml';
import {
  RENDER_FORMATS,
  diffPolicies,
  parsePolicy,
  renderPolicy,
  renderPolicyWithNotes,
  shellQuote,
  type CorsConfiguration,
} from '../../../src/core/policy/index.js';

const UPLOADS: CorsConfiguration = {
  rules: [
    {
      id: 'uploads',
      allowedOrigins: ['https://app.example.com'],
      allowedMethods: ['PUT', 'POST'],
      allowedHeaders: ['*'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 3000,
    },
    { allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
  ],
};

/** Values that break naive quoting in some target. */
const NASTY: CorsConfiguration = {
  rules: [
    {
      id: `it's "quoted" \${var} %{x} & <b> \\ \u2028 é`,
      allowedOrigins: ["https://o'neil.example.com", 'yes', '*', '1e3'],
      allowedMethods: ['GET'],
      allowedHeaders: ['x-amz-*', '$(rm -rf /)', '`id`'],
      exposeHeaders: [],
    },
  ],
};

describe('renderPolicy', () => {
  it('console: the S3 console array, only the elements that are set (S24)', () => {
    expect(JSON.parse(renderPolicy(UPLOADS, 'console'))).toEqual([
      {
        ID: 'uploads',
        AllowedHeaders: ['*'],
        AllowedMethods: ['PUT', 'POST'],
        AllowedOrigins: ['https://app.example.com'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 3000,
      },
      { AllowedMethods: ['GET'], AllowedOrigins: ['*'] },
    ]);
  });

  it('cli-json: {"CORSRules": [...]}', () => {
    expect(JSON.parse(renderPolicy(UPLOADS, 'cli-json')).CORSRules).toHaveLength(2);
  });

  it('cli: a ready put-bucket-cors command whose single-quoted JSON survives quotes in values', () => {
    const command = renderPolicy(NASTY, 'cli', { bucket: 'my-bucket' }).trimEnd();
    expect(command.startsWith("aws s3api put-bucket-cors --bucket my-bucket --cors-configuration '")).toBe(true);
    // Undo POSIX single-quoting the way a shell would.
    const quoted = command.slice(command.indexOf('--cors-configuration ') + 21);
    const unquoted = quoted.replace(/'\\''/g, "'").replace(/^'|'$/g, '');
    expect(parsePolicy(unquoted).config).toEqual(NASTY);
  });

  it('shellQuote leaves safe words alone and single-quotes everything else', () => {
    expect(shellQuote('my-bucket.v2')).toBe('my-bucket.v2');
    expect(shellQuote("a b'c")).toBe("'a b'\\''c'");
    expect(shellQuote('$(x)')).toBe("'$(x)'");
  });

  it('xml: with xmlns, escaped, and read back identically', () => {
    const xml = renderPolicy(NASTY, 'xml');
    expect(xml).toContain('<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xml).toContain('&amp; &lt;b&gt;');
    expect(parsePolicy(xml).config).toEqual(NASTY);
  });

  it('cloudformation: a YAML template with an AWS::S3::Bucket whose strings are all double-quoted', () => {
    const yaml = renderPolicy(UPLOADS, 'cloudformation', { name: 'Uploads', bucket: 'b' });
    const template = parseYaml(yaml);
    expect(template.Resources.Uploads.Type).toBe('AWS::S3::Bucket');
    expect(template.Resources.Uploads.Properties.BucketName).toBe('b');
    expect(template.Resources.Uploads.Properties.CorsConfiguration.CorsRules[0]).toEqual({
      Id: 'uploads',
      AllowedHeaders: ['*'],
      AllowedMethods: ['PUT', 'POST'],
      AllowedOrigins: ['https://app.example.com'],
      ExposedHeaders: ['ETag'],
      MaxAge: 3000,
    });
    // YAML 1.1 readers (CloudFormation) would read a plain `yes` as true: every string is quoted.
    expect(renderPolicy(NASTY, 'cloudformation')).toContain('- "yes"');
  });

  it('cloudformation-json: the same template as JSON', () => {
    const template = JSON.parse(renderPolicy(UPLOADS, 'cloudformation-json'));
    expect(template.Resources.CorsBucket.Properties.CorsConfiguration.CorsRules[1]).toEqual({ AllowedMethods: ['GET'], AllowedOrigins: ['*'] });
  });

  it('terraform: aws_s3_bucket_cors_configuration with cors_rule blocks; ${ escaped as $${', () => {
    const tf = renderPolicy(UPLOADS, 'terraform', { name: 'uploads' });
    expect(tf).toContain('resource "aws_s3_bucket_cors_configuration" "uploads" {');
    expect(tf).toContain('  bucket = aws_s3_bucket.uploads.id');
    expect(tf).toContain('    max_age_seconds = 3000');
    expect(renderPolicy(NASTY, 'terraform')).toContain('$${var} %%{x}');
  });

  it('cdk: an s3.Bucket with cors, HttpMethods members and the exposedHeaders spelling', () => {
    const cdk = renderPolicy(UPLOADS, 'cdk', { name: 'Uploads' });
    expect(cdk).toContain("new s3.Bucket(this, 'Uploads', {");
    expect(cdk).toContain('allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST],');
    expect(cdk).toContain("exposedHeaders: ['ETag'],");
    expect(cdk).toContain('maxAge: 3000,');
    expect(cdk).toContain("id: 'uploads',");
    expect(renderPolicy(NASTY, 'cdk')).toContain("id: 'it\\'s \"quoted\" ${var} %{x} & <b> \\\\ \\u2028 é'");
  });

  it('gcs: origin/method/responseHeader (allowed ∪ exposed)/maxAgeSeconds, with a note that this is lossy', () => {
    const { text, notes } = renderPolicyWithNotes(UPLOADS, 'gcs');
    expect(JSON.parse(text)[0]).toEqual({ origin: ['https://app.example.com'], method: ['PUT', 'POST'], responseHeader: ['*', 'ETag'], maxAgeSeconds: 3000 });
    expect(notes.join(' ')).toMatch(/union of AllowedHeaders and ExposeHeaders/);
    expect(notes.join(' ')).toMatch(/IDs are dropped/);
  });

  it('b2: corsRules with s3_* operations and a required maxAgeSeconds', () => {
    const { text, notes } = renderPolicyWithNotes(UPLOADS, 'b2');
    expect(JSON.parse(text).corsRules).toEqual([
      {
        corsRuleName: 'uploads',
        allowedOrigins: ['https://app.example.com'],
        allowedOperations: ['s3_put', 's3_post'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 3000,
      },
      { corsRuleName: 'rule-2', allowedOrigins: ['*'], allowedOperations: ['s3_get'], maxAgeSeconds: 5 },
    ]);
    expect(notes.join(' ')).toMatch(/rule-2: B2 requires maxAgeSeconds/);
  });

  it('minio: the server-wide cors_allow_origin setting and what cannot be expressed', () => {
    const { text, notes } = renderPolicyWithNotes(UPLOADS, 'minio');
    expect(text).toContain("mc admin config set ALIAS api 'cors_allow_origin=https://app.example.com,*'");
    expect(notes.join(' ')).toMatch(/no per-bucket CORS/);
    expect(notes.join(' ')).toMatch(/Not expressible on MinIO: AllowedMethods, AllowedHeaders, ExposeHeaders, MaxAgeSeconds/);
  });

  it('notes the placeholders a user must fill in, and only when no bucket was given', () => {
    expect(renderPolicyWithNotes(UPLOADS, 'terraform').notes).toEqual(['bucket refers to aws_s3_bucket.cors; point it at your bucket resource.']);
    expect(renderPolicyWithNotes(UPLOADS, 'terraform', { bucket: 'b' }).notes).toEqual([]);
    expect(renderPolicyWithNotes(UPLOADS, 'cli').notes[0]).toBe('Replace BUCKET_NAME with the bucket name.');
    expect(renderPolicyWithNotes(UPLOADS, 'cloudformation').notes[0]).toMatch(/declares a new bucket/);
  });

  it('renders every format without throwing, also for an empty configuration', () => {
    for (const format of RENDER_FORMATS) {
      expect(renderPolicy(UPLOADS, format).length).toBeGreaterThan(10);
      expect(() => renderPolicy({ rules: [] }, format)).not.toThrow();
    }
  });
});

describe('diffPolicies', () => {
  it('shows removed and added lines of the console form', () => {
    const after: CorsConfiguration = { rules: [{ ...UPLOADS.rules[0]!, allowedOrigins: ['https://app.example.com', 'https://staging.example.com'] }] };
    const diff = diffPolicies({ rules: [UPLOADS.rules[0]!] }, after);
    expect(diff.split('\n').filter((l) => l.startsWith('+') || l.startsWith('-'))).toEqual([
      '-       "https://app.example.com"',
      '+       "https://app.example.com",',
      '+       "https://staging.example.com"',
    ]);
  });

  it('shows everything as added when there was no configuration', () => {
    const diff = diffPolicies(null, UPLOADS);
    expect(
      diff
        .trimEnd()
        .split('\n')
        .every((l) => l.startsWith('+ ')),
    ).toBe(true);
  });

  it('shows nothing changed for equal configurations', () => {
    expect(
      diffPolicies(UPLOADS, UPLOADS)
        .trimEnd()
        .split('\n')
        .every((l) => l.startsWith('  ')),
    ).toBe(true);
  });
});
