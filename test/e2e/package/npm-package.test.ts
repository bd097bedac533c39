/**
 * The npm package (issue 15 item 1): `npm pack` makes a tarball that `npm install -g` installs into a clean prefix
 * and runs with no build step and no dev dependencies, and every documented command works from a clean directory.
 * The dependencies come from the npm registry (or npm's cache: --prefer-offline).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const work = mkdtempSync(join(tmpdir(), 'npm-package-'));
const prefix = join(work, 'prefix');
const clean = join(work, 'clean');
let bin = '';

function cli(args: string[], input?: string) {
  const run = spawnSync(bin, args, { cwd: clean, encoding: 'utf8', input, env: { PATH: process.env.PATH, HOME: work } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  // prepack builds the CLI (its output goes to stdout, so the tarball is found by its name).
  execFileSync('npm', ['pack', '--pack-destination', work], { cwd: ROOT, stdio: 'ignore' });
  const tarball = join(work, `s3-cors-doctor-${version}.tgz`);
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: work, stdio: 'ignore' });
  bin = join(prefix, 'bin', 's3-cors-doctor');
  mkdirSync(clean);
  cpSync(join(ROOT, 'examples/cors.json'), join(clean, 'cors.json'));
  cpSync(join(ROOT, 'test/fixtures/lint-repos/sam-app'), join(clean, 'sam-app'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/har/chrome-secrets.har'), join(clean, 'capture.har'));
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm install -g ./s3-cors-doctor-<version>.tgz', () => {
  it('installs the built CLI, the finding pages and only the runtime dependencies', () => {
    const pkg = join(prefix, 'lib', 'node_modules', 's3-cors-doctor');
    expect(existsSync(join(pkg, 'dist', 'cli', 's3-cors-doctor.cjs'))).toBe(true);
    expect(readdirSync(join(pkg, 'docs', 'findings'))).toContain('ORIGIN_NOT_ALLOWED.md');
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    const installed = readdirSync(join(pkg, 'node_modules'));
    for (const dev of ['vite', 'vitest', 'typescript', 'preact', 'web-ext', 'playwright-core']) expect(installed).not.toContain(dev);
    expect(installed).toContain('yaml');
  });

  it('ships its JavaScript as ASCII-only files (V8 keeps one-byte sources: less memory at start-up)', () => {
    const pkg = join(prefix, 'lib', 'node_modules', 's3-cors-doctor');
    const scripts = [join(pkg, 'bin', 's3-cors-doctor.cjs'), join(pkg, 'dist', 'cli', 's3-cors-doctor.cjs')];
    for (const name of readdirSync(join(pkg, 'dist', 'cli', 'chunks'))) if (name.endsWith('.cjs')) scripts.push(join(pkg, 'dist', 'cli', 'chunks', name));
    expect(scripts.length).toBeGreaterThan(10);
    for (const file of scripts) expect(/[^\x00-\x7f]/.exec(readFileSync(file, 'latin1'))?.index, file).toBeUndefined();
  });

  it('--version, -V, --help and -h', () => {
    expect(cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(cli(['lint', '-V'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(cli(['--help']).stdout).toContain('commands:');
    for (const command of ['lint', 'simulate', 'explain', 'serve', 'har', 'redact', 'probe', 'docs']) {
      const help = cli([command, '-h']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: s3-cors-doctor ${command}`));
    }
  });

  it('lint: a file, --config, a directory as SARIF and as GitHub annotations', () => {
    expect(cli(['lint', 'cors.json']).stdout).toContain('ETAG_NOT_EXPOSED');
    expect(cli(['lint', '--config', '-', '--json'], readFileSync(join(clean, 'cors.json'), 'utf8')).code).toBe(0);
    const sarif = cli(['lint', 'sam-app', '--format', 'sarif']);
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: '2.1.0' });
    expect(cli(['lint', 'sam-app', '--format', 'github']).stdout).toMatch(/^::warning file=sam-app\/template\.yaml,line=\d+/m);
  });

  it('explain, simulate, har, redact and docs', () => {
    const explain = cli([
      'explain',
      '--config',
      'cors.json',
      '--url',
      'https://b.s3.us-east-1.amazonaws.com/k',
      '--origin',
      'https://evil.example',
      '--method',
      'PUT',
    ]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/Blocked/);
    const simulate = cli([
      'simulate',
      '--config',
      'cors.json',
      '--method',
      'OPTIONS',
      '--header',
      'Origin: https://app.example.com',
      '--header',
      'Access-Control-Request-Method: PUT',
    ]);
    expect(simulate.code).toBe(0);
    expect(cli(['har', 'capture.har']).code).toBe(0);
    const redacted = cli(['redact', 'capture.har', '-o', 'shared.har']);
    expect(redacted.code).toBe(0);
    expect(existsSync(join(clean, 'shared.har'))).toBe(true);
    expect(cli(['docs', 'ORIGIN_NOT_ALLOWED']).stdout).toContain('## Fix');
  });

  it('a YAML template loads the yaml package only when needed, from the installed dependencies', () => {
    writeFileSync(
      join(clean, 'bucket.yaml'),
      'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedOrigins: [https://a.example]\n            AllowedMethods: [GET]\n',
    );
    expect(cli(['lint', 'bucket.yaml'])).toMatchObject({ code: 0 });
  });
});
