import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { loadPolicyFile, registerPolicySource } from '../../src/cli/policy-input.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(tty: boolean): Writable & { text: string; isTTY?: boolean } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: string; isTTY?: boolean };
  Object.defineProperty(stream, 'text', { get: () => chunks.join('') });
  if (tty) stream.isTTY = true;
  return stream;
}

function makeIO(stdin: string | Buffer = '', tty = false): CliIO & { stdout: ReturnType<typeof sink>; stderr: ReturnType<typeof sink> } {
  return { stdout: sink(tty), stderr: sink(tty), stdin: Readable.from([Buffer.from(stdin)]), env: {} };
}

async function run(argv: string[], stdin?: string | Buffer, tty = false): Promise<Run> {
  const io = makeIO(stdin, tty);
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = '[{"AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["https://app.example.com"]}]';
const WARNS = '[\n  {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://app.example.com/"]}\n]';
const BAD = '{\n  "CORSRules": [\n    {"AllowedMethods": ["GET", "PATCH", "PUT"], "AllowedOrigins": ["*"]}\n  ]\n}';

/** A one-line message on stderr, naming the place, without a stack trace. */
function expectOneLineError(result: Run, pattern: RegExp) {
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trimEnd()).toMatch(pattern);
}

describe('s3-cors-doctor lint', () => {
  it('exits 0 for a configuration S3 accepts and says so', async () => {
    const result = await run(['lint', '--config', file('good.json', GOOD)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/good\.json: console-json, 1 rule — S3 would accept it \(PutBucketCors\)/);
    expect(result.stdout).toMatch(/0 errors, 0 warnings/);
    expect(result.stderr).toBe('');
  });

  it('exits 0 with warnings, listing each with file:line:col, code and fix', async () => {
    const path = file('warns.json', WARNS);
    const result = await run(['lint', '--config', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`warning  ${path}:2:50  ORIGIN_HAS_PATH  rule 1 AllowedOrigin`);
    expect(result.stdout).toContain('fix: Write "https://app.example.com".');
  });

  it("exits 1 when PutBucketCors would refuse it, naming S3's code, message and the place", async () => {
    const path = file('bad.json', BAD);
    const result = await run(['lint', '--config', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`error    ${path}:3:32  InvalidRequest  rule 1 AllowedMethod`);
    expect(result.stdout).toContain('Found unsupported HTTP method in CORS config. Unsupported method is PATCH');
    expect(result.stdout).toMatch(/S3 would refuse it/);
  });

  it("--json prints the issue's document: valid, format, errors[{code,message,rule,line,column}], warnings[{code,message,rule,fix}]", async () => {
    const result = await run(['lint', '--config', file('bad2.json', BAD), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      valid: false,
      format: 'cli-json',
      errors: [
        {
          code: 'InvalidRequest',
          message: 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
          rule: 0,
          line: 3,
          column: 32,
          element: 'AllowedMethod',
          evidence: 'recorded',
        },
      ],
    });
    expect(report.warnings.map((w: { code: string }) => w.code)).toEqual(['ETAG_NOT_EXPOSED', 'CONTENT_TYPE_NOT_ALLOWED', 'WILDCARD_ORIGIN_WRITE']);
    for (const w of report.warnings) {
      expect(w).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), rule: 0, fix: expect.any(String) }));
    }
  });

  it('--json on a valid file: valid true, empty errors, exit 0', async () => {
    const result = await run(['lint', '--config', file('good2.json', GOOD), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, format: 'console-json', errors: [], warnings: [] });
  });

  it('reads stdin with --config -', async () => {
    const result = await run(
      ['lint', '--config', '-', '--json'],
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, format: 'xml', file: '<stdin>' });
  });

  it('colours only when stdout is a TTY', async () => {
    const path = file('bad3.json', BAD);
    expect((await run(['lint', '--config', path], undefined, true)).stdout).toContain('\u001b[31m');
    expect((await run(['lint', '--config', path])).stdout).not.toContain('\u001b[');
  });

  describe('bad input: exit 1, one line naming the place, never a stack trace', () => {
    it.each([
      ['malformed JSON', 'bad.json', '[{"AllowedMethods": ["GET"],, }]', /bad\.json:1:29: expected a quoted key, found ',', in the JSON document$/],
      [
        'malformed XML',
        'bad.xml',
        '<CORSConfiguration>\n<CORSRule>\n</CORSConfiguration>',
        /bad\.xml:3:1: end tag <\/CORSConfiguration> does not match <CORSRule>, in <CORSRule>$/,
      ],
      ['malformed YAML', 'bad.yaml', 'CorsRules:\n  - AllowedMethods: [GET\n  AllowedOrigins: "*"\n', /bad\.yaml:\d+:\d+: .*, in the YAML document$/],
      [
        'malformed HCL',
        'bad.tf',
        'resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"\n  }\n}\n',
        /bad\.tf:4:3: expected ',' or '\]' in list, found '}', in allowed_methods of cors_rule$/,
      ],
      [
        'an XML entity bomb',
        'bomb.xml',
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<CORSConfiguration>&lol2;</CORSConfiguration>',
        /bomb\.xml:2:1: <!DOCTYPE> declarations are refused/,
      ],
      [
        'a Terraform variable reference',
        'var.tf',
        'resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = [var.origin]\n  }\n}\n',
        /var\.tf:4:24: the expression "var\.origin" is not a literal value/,
      ],
      [
        'a CloudFormation !Ref',
        'ref.yaml',
        'CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins: [!Ref Origin]\n',
        /ref\.yaml:3:22: the CloudFormation function !Ref is not a literal value/,
      ],
      ['an unrecognised document', 'notes.txt', 'just some notes', /notes\.txt:1:1: not a recognised CORS configuration/],
    ])('%s', async (_name, name, content, pattern) => {
      const result = await run(['lint', '--config', file(name, content)]);
      expect(result.code).toBe(1);
      expectOneLineError(result, pattern);
    });

    it('binary garbage', async () => {
      const bytes = Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 131 + 7) % 256));
      const result = await run(['lint', '--config', file('garbage.bin', bytes)]);
      expect(result.code).toBe(1);
      expectOneLineError(result, /garbage\.bin: not UTF-8 text \(binary data\?\)$/);
    });

    it('binary garbage on stdin', async () => {
      const result = await run(['lint', '--config', '-'], Buffer.from([0x5b, 0x00, 0xff, 0xfe, 0x01]));
      expect(result.code).toBe(1);
      expectOneLineError(result, /<stdin>:1:\d+: .*binary data/);
    });

    it('a 10 MB file is refused from its size, before it is read', async () => {
      const path = file('huge.json', Buffer.alloc(10 * 1024 * 1024, 0x20));
      const result = await run(['lint', '--config', path]);
      expect(result.code).toBe(1);
      expectOneLineError(result, /huge\.json: larger than 1048576 bytes, the limit for a CORS configuration file/);
    });

    it('too much on stdin', async () => {
      const result = await run(['lint', '--config', '-'], Buffer.alloc(2 * 1024 * 1024, 0x20));
      expect(result.code).toBe(1);
      expectOneLineError(result, /<stdin>: input is larger than 1048576 bytes/);
    });

    it('a missing file and a directory', async () => {
      const missing = await run(['lint', '--config', join(dir, 'nope.json')]);
      expect(missing.code).toBe(1);
      expectOneLineError(missing, /nope\.json: no such file$/);
      const directory = await run(['lint', '--config', dir]);
      expect(directory.code).toBe(1);
      expectOneLineError(directory, /is a directory/);
    });
  });

  describe('bad usage: exit 2', () => {
    it.each([
      ['no --config and no files', ['lint'], /--config is required, or name the files and directories to lint/],
      ['an unknown option', ['lint', '--config', 'x.json', '--colour'], /unknown option --colour/],
      ['--config without a value', ['lint', '--config'], /--config needs a value/],
      ['--config none', ['lint', '--config', 'none'], /--config none names no configuration/],
      [
        'an unknown --format',
        ['lint', '--config', 'x.json', '--format', 'toml'],
        /--format must be one of text, json, sarif, github \(an input format goes in --input-format: console-json, cli-json, xml, cloudformation, terraform, gcs-json, b2-json\)/,
      ],
      [
        'an unknown --input-format',
        ['lint', '--config', 'x.json', '--input-format', 'toml'],
        /--input-format must be one of console-json, cli-json, xml, cloudformation, terraform, gcs-json, b2-json/,
      ],
      ['a bad --max-warnings', ['lint', 'x.json', '--max-warnings', '-1'], /--max-warnings must be a whole number/],
      ['--json with another --format', ['lint', 'x.json', '--json', '--format', 'sarif'], /--json and --format sarif contradict/],
      ['a stray argument', ['lint', '--config', 'x.json', 'extra'], /unexpected argument "extra"/],
    ])('%s', async (_name, argv, pattern) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).toMatch(/usage: s3-cors-doctor lint <file\|dir>\.\.\. \| --config <file\|->/);
    });
  });

  it('--resource picks one of several resources', async () => {
    const tf = [1, 2]
      .map(
        (k) =>
          `resource "aws_s3_bucket_cors_configuration" "b${k}" {\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = ["https://${k}.example.com"]\n  }\n}\n`,
      )
      .join('\n');
    const path = file('two.tf', tf);
    const first = JSON.parse((await run(['lint', '--config', path, '--json'])).stdout);
    expect(first.warnings.map((w: { code: string }) => w.code)).toEqual(['MULTIPLE_CONFIGURATIONS']);
    const second = JSON.parse((await run(['lint', '--config', path, '--json', '--resource', 'b2'])).stdout);
    expect(second).toMatchObject({ resource: 'aws_s3_bucket_cors_configuration.b2', warnings: [] });
  });
});

describe("s3-cors-doctor lint: the providers' own forms (GCS CORS JSON, Backblaze B2 corsRules)", () => {
  const B2_NATIVE = JSON.stringify(
    {
      corsRules: [
        {
          corsRuleName: 'downloadFromAnyOrigin',
          allowedOrigins: ['*'],
          allowedOperations: ['b2_download_file_by_id', 'b2_download_file_by_name'],
          maxAgeSeconds: 3600,
        },
      ],
    },
    null,
    2,
  );

  it('a GCS file: read and checked, exit 0, in the words of its keys', async () => {
    const path = file('gcs-cors.json', '[\n  {"origin": ["https://app.example.com"], "method": ["PUT"], "responseHeader": ["Content-Type"]}\n]');
    const result = await run(['lint', '--config', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${path}: gcs-json, 1 rule — read as Cloud Storage CORS JSON (gcloud storage buckets update --cors-file)`);
    expect(result.stdout).toContain(`warning  ${path}:2:3  ETAG_NOT_EXPOSED  rule 1`);
    expect(result.stdout).toContain('fix: Add "ETag" to responseHeader.');
    const json = JSON.parse((await run(['lint', '--config', path, '--json'])).stdout);
    expect(json).toMatchObject({ valid: true, format: 'gcs-json', rules: 1, errors: [] });
  });

  it('a B2 rule of native operations only: a warning that it never applies to the S3-compatible API, exit 0', async () => {
    const path = file('b2-bucket.json', B2_NATIVE);
    const result = await run(['lint', '--config', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${path}: b2-json, 1 rule — B2 would accept it (b2 bucket update --cors-rules)`);
    expect(result.stdout).toContain(`warning  ${path}:3:5  B2_NATIVE_ONLY  rule 1`);
    expect(result.stdout).toContain('more: s3-cors-doctor docs B2_NATIVE_ONLY');
    expect((await run(['lint', '--config', path, '--max-warnings', '0'])).code).toBe(1);
  });

  it("what B2 refuses: exit 1 with B2's bad_request at the value, named as B2 names it", async () => {
    const path = file('b2-bad.json', '[\n  {"corsRuleName": "downloads", "allowedOrigins": ["*"], "allowedOperations": ["s3_gett"], "maxAgeSeconds": 5}\n]');
    const result = await run(['lint', '--config', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${path}: b2-json, 1 rule — B2 would refuse it (b2 bucket update --cors-rules)`);
    expect(result.stdout).toContain(`error    ${path}:2:80  bad_request  rule 1 allowedOperations`);
    expect(result.stdout).toContain('rule 1: unknown operation "s3_gett" (did you mean s3_get?)');
  });

  it('a malformed document: exit 1, one line naming the form, the rule, the key and line:column', async () => {
    const gcs = await run(['lint', '--config', file('gcs-bad.json', '[\n  {"origin": ["*"], "methods": ["GET"]}\n]')]);
    expect(gcs.code).toBe(1);
    expectOneLineError(
      gcs,
      /gcs-bad\.json:2:21: unknown key "methods" \(did you mean method\?\); expected one of origin, method, responseHeader, maxAgeSeconds, in GCS cors\[0\]$/,
    );
    const b2 = await run(['lint', '--config', file('b2-bad-type.json', '{"corsRules": [{"corsRuleName": "downloads", "allowedOrigins": "*"}]}')]);
    expectOneLineError(b2, /b2-bad-type\.json:1:64: expected a list of strings, found a string, in B2 corsRules\[0\] allowedOrigins$/);
  });

  it('finds GCS and B2 files when walking a directory, and skips JSON that holds neither', async () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    writeFileSync(join(repo, 'gcs-cors.json'), '[{"origin": ["https://app.example.com"], "method": ["GET"]}]');
    writeFileSync(join(repo, 'b2-bucket.json'), B2_NATIVE);
    writeFileSync(join(repo, 'package.json'), '{"name": "app", "dependencies": {"cors": "^2.8.5"}}');
    writeFileSync(join(repo, 'main.tf.json'), '{"resource": {"google_storage_bucket": {"b": {"cors": [{"origin": ["*"], "method": ["GET"]}]}}}}');
    const json = JSON.parse((await run(['lint', repo, '--format', 'json'])).stdout);
    expect(json.configurations.map((c: { file: string; format: string }) => [c.file.split('/').at(-1), c.format])).toEqual([
      ['b2-bucket.json', 'b2-json'],
      ['gcs-cors.json', 'gcs-json'],
    ]);
    expect(json.problems ?? []).toEqual([]);
  });
});

describe('loadPolicyFile', () => {
  it('returns "none" for --config none', async () => {
    expect(await loadPolicyFile('none', makeIO())).toBe('none');
  });

  it('hands specs a registered source claims (the s3:// hook) to that source', async () => {
    const spec = 'test-source://bucket';
    registerPolicySource({ matches: (s) => s === spec, load: async () => 'none' });
    expect(await loadPolicyFile(spec, makeIO())).toBe('none');
  });

  it('parses a file with positions', async () => {
    const policy = await loadPolicyFile(file('load.json', GOOD), makeIO());
    expect(policy).not.toBe('none');
    if (policy !== 'none') expect(policy.sources[0]!.position).toEqual({ line: 1, column: 2 });
  });
});
