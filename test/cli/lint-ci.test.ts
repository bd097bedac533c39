/**
 * `lint <file|dir>...` for CI (issue 15 item 4), on real-looking repositories: a Terraform module (a module with a
 * separate aws_s3_bucket_cors_configuration, one with an inline cors_rule, a .terraform cache that must not be read),
 * a SAM template (one literal bucket, one whose origin is a !Sub) and a synthesized CDK app's cdk.out.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { runCli } from './run-cli.js';

const REPOS = 'test/fixtures/lint-repos';
const require = createRequire(import.meta.url);

interface Sarif {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
    }>;
  }>;
}

function sarifValidator() {
  // The schema as published with Microsoft's SARIF tooling (@microsoft/jest-sarif), not a hand-written one.
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv); // uri, uri-reference, date-time are checked too
  return ajv.compile(schema);
}

const lineOf = (path: string, text: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

// Compiling the SARIF schema and the first lint of a repository take seconds on a loaded machine.
describe('lint of repositories (CI)', { timeout: 60_000 }, () => {
  it('a Terraform module: both modules found, the .terraform cache skipped, errors at their lines, exit 1', async () => {
    const run = await runCli(['lint', `${REPOS}/terraform-module`, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.configurations.map((c: { file: string; resource: string }) => [c.file, c.resource])).toEqual([
      [`${REPOS}/terraform-module/modules/legacy-bucket/main.tf`, 'aws_s3_bucket.legacy'],
      [`${REPOS}/terraform-module/modules/site-bucket/main.tf`, 'aws_s3_bucket_cors_configuration.site'],
    ]);
    expect(JSON.stringify(report)).not.toContain('.terraform');
    const site = report.configurations[1];
    expect(site.errors.map((e: { code: string }) => e.code)).toEqual(['InvalidRequest']);
    expect(site.warnings.map((w: { code: string }) => w.code)).toEqual(['OPTIONS_IN_METHODS', 'ORIGIN_HAS_PATH']);
    expect(site.warnings[1].line).toBe(lineOf(`${REPOS}/terraform-module/modules/site-bucket/main.tf`, 'https://app.example.com/'));
    expect(report).toMatchObject({ errors: 2, warnings: 2, problems: [] });
  });

  it('a SAM template: the literal bucket is linted, the !Sub origin is a warning that it cannot be checked; exit 0 (warnings only)', async () => {
    const run = await runCli(['lint', `${REPOS}/sam-app`, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.configurations.map((c: { resource: string }) => c.resource)).toEqual(['Resources.UploadsBucket']);
    expect(report.configurations[0].warnings.map((w: { code: string }) => w.code)).toEqual(['ETAG_NOT_EXPOSED', 'SDK_HEADERS_MISSING']);
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'COMPUTED_VALUE',
        severity: 'warning',
        file: `${REPOS}/sam-app/template.yaml`,
        line: lineOf(`${REPOS}/sam-app/template.yaml`, "!Sub 'https://"),
      }),
    ]);
    expect(report.skipped).toContain(`${REPOS}/sam-app/src/package.json`);
  });

  it('--max-warnings: more warnings than allowed is exit 1, as many is exit 0', async () => {
    expect((await runCli(['lint', `${REPOS}/sam-app`, '--max-warnings', '2'])).code).toBe(1);
    expect((await runCli(['lint', `${REPOS}/sam-app`, '--max-warnings', '3'])).code).toBe(0);
    const quiet = await runCli(['lint', `${REPOS}/sam-app`, '--max-warnings', '0']);
    expect(quiet.stdout).toMatch(/3 warnings \(more than --max-warnings 0\)/);
  });

  it('a CDK app: only cdk.out/*.template.json is read (not tree.json, the manifest or assets)', async () => {
    const run = await runCli(['lint', `${REPOS}/cdk-app`, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.configurations.map((c: { file: string; resource: string }) => [c.file, c.resource])).toEqual([
      [`${REPOS}/cdk-app/cdk.out/MediaStack.template.json`, 'Resources.MediaBucketBCBB02BA'],
    ]);
    expect(report.configurations[0].warnings.map((w: { code: string }) => w.code)).toEqual(['ETAG_NOT_EXPOSED', 'MAX_AGE_ABOVE_BROWSER_CAP']);
  });

  it('several files and directories at once, each configuration once', async () => {
    const run = await runCli(['lint', `${REPOS}/cdk-app/cdk.out/MediaStack.template.json`, `${REPOS}/cdk-app`, `${REPOS}/sam-app/template.yaml`, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.configurations).toHaveLength(2);
    expect(report.problems).toHaveLength(1);
  });

  it('--format sarif validates against the SARIF 2.1.0 schema, with a rule per code and results at file and line', async () => {
    const validate = sarifValidator();
    for (const repo of ['terraform-module', 'sam-app', 'cdk-app']) {
      const run = await runCli(['lint', `${REPOS}/${repo}`, '--format', 'sarif']);
      const log = JSON.parse(run.stdout) as Sarif;
      const valid = validate(log);
      expect(validate.errors ?? [], repo).toEqual([]);
      expect(valid).toBe(true);
      const [only] = log.runs;
      const ids = only!.tool.driver.rules.map((r) => r.id);
      for (const result of only!.results) {
        expect(ids).toContain(result.ruleId);
        expect(result.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
      }
    }
    const tf = JSON.parse((await runCli(['lint', `${REPOS}/terraform-module`, '--format', 'sarif'])).stdout) as Sarif;
    expect(tf.runs[0]!.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['InvalidRequest', 'error'],
      ['InvalidRequest', 'error'],
      ['OPTIONS_IN_METHODS', 'warning'],
      ['ORIGIN_HAS_PATH', 'warning'],
    ]);
  });

  it('the schema check can fail: a SARIF log without a version is refused', () => {
    const validate = sarifValidator();
    expect(validate({ runs: [] })).toBe(false);
    const badUri = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b\\c' } } }] }] },
      ],
    };
    expect(validate(badUri)).toBe(false);
  });

  it('--format github prints one workflow command per finding, at file, line and column, escaped', async () => {
    const run = await runCli(['lint', `${REPOS}/terraform-module`, '--format', 'github']);
    expect(run.code).toBe(1);
    const commands = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(4);
    const slash = lineOf(`${REPOS}/terraform-module/modules/site-bucket/main.tf`, 'https://app.example.com/');
    expect(commands).toContainEqual(
      expect.stringMatching(
        new RegExp(`^::warning file=${REPOS}/terraform-module/modules/site-bucket/main\\.tf,line=${slash},col=\\d+,title=S3 CORS ORIGIN_HAS_PATH::`),
      ),
    );
    for (const line of commands) expect(line).toMatch(/^::(error|warning) file=[^:,]+,line=\d+,col=\d+,title=[^:,]+::[^\n\r]+$/);
    expect(commands.join('\n')).toContain('%0AFix: ');
  });

  it('a named file with no CORS configuration is skipped, a broken one is an error at its place', async () => {
    const none = await runCli(['lint', `${REPOS}/terraform-module/variables.tf`, '--json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ configurations: [], skipped: [`${REPOS}/terraform-module/variables.tf`] });
    const missing = await runCli(['lint', `${REPOS}/nope`]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
  });
});
