/**
 * Plain words in the CLI (issue 15 item 3, issue 14 item 3): no internal identifier — "(K1)", "(S8)", "(S12, S16)",
 * "failure mode 30", "spec §7" — in any human output of explain, lint, simulate and har, over every evidence fixture,
 * every HAR fixture, the example configurations and the lint repositories. (`--json` may keep them.)
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEvidenceFixtures } from '../core/diagnose/evidence-fixtures.js';
import { triageExchanges } from '../../src/core/triage/index.js';
import { triageMarkdown, triageText } from '../../src/core/report/index.js';
import { runCli } from './run-cli.js';

import { INTERNAL_ID } from './internal-ids.js';

function expectPlain(text: string, what: string) {
  const hit = text.split('\n').find((line) => INTERNAL_ID.test(line));
  expect(hit, `${what} shows an internal identifier`).toBeUndefined();
}

const dir = mkdtempSync(join(tmpdir(), 'plain-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = loadEvidenceFixtures();

describe('plain words in human output', () => {
  it('the pattern finds the identifiers it is meant to find, and not S3', () => {
    for (const bad of ['(K1)', 'first match wins (S8)', '(S12, S16)', 'failure mode 30', 'failure-modes 11', 'spec §7', 'C5']) expect(bad).toMatch(INTERNAL_ID);
    for (const good of ['Amazon S3', 'Backblaze B2', 'Cloudflare R2', 's3.us-east-1.amazonaws.com', 'x-amz-content-sha256', 'HTTP 403'])
      expect(good).not.toMatch(INTERNAL_ID);
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('har report of %s (text and Markdown)', (_file, fixture) => {
    const bucket = fixture.context.bucket;
    const report = triageExchanges([...(fixture.context.related ?? []), fixture.exchange], {
      ...(bucket ? { bucketState: () => bucket } : {}),
      ...(fixture.context.now ? { now: fixture.context.now } : {}),
    });
    expectPlain(triageText(report), `${fixture.file} text`);
    expectPlain(triageMarkdown(report), `${fixture.file} markdown`);
  });

  it.each(fixtures.filter((f) => f.exchange.request.headers.origin).map((f) => [f.file, f] as const))('explain and simulate for %s', async (file, fixture) => {
    const bucket = fixture.context.bucket;
    let config = 'none';
    if (bucket?.kind === 'cors') {
      config = join(dir, `${file}.cors.json`);
      writeFileSync(
        config,
        JSON.stringify({
          CORSRules: bucket.config.rules.map((r) => ({
            AllowedOrigins: r.allowedOrigins,
            AllowedMethods: r.allowedMethods,
            AllowedHeaders: r.allowedHeaders,
            ExposeHeaders: r.exposeHeaders,
            ...(r.maxAgeSeconds !== undefined ? { MaxAgeSeconds: r.maxAgeSeconds } : {}),
          })),
        }),
      );
    }
    const { method, url, headers } = fixture.exchange.request;
    const headerArgs = Object.entries(headers)
      .filter(([name]) => name !== 'origin' && name !== 'host')
      .flatMap(([name, value]) => ['--header', `${name}: ${value}`]);
    const explain = await runCli(['explain', '--config', config, '--url', url, '--origin', headers.origin!, '--method', method, ...headerArgs]);
    expectPlain(explain.stdout + explain.stderr, `explain ${file}`);
    const simulate = await runCli([
      'simulate',
      '--config',
      config,
      '--url',
      url,
      '--method',
      'OPTIONS',
      '--header',
      `Origin: ${headers.origin}`,
      '--header',
      `Access-Control-Request-Method: ${method}`,
    ]);
    expectPlain(simulate.stdout + simulate.stderr, `simulate ${file}`);
  });

  it.each(readdirSync('test/fixtures/har').filter((f) => f.endsWith('.har')))('har %s', async (file) => {
    for (const extra of [[], ['--markdown']]) {
      const run = await runCli(['har', `test/fixtures/har/${file}`, ...extra]);
      expectPlain(run.stdout + run.stderr, `har ${file} ${extra.join(' ')}`);
    }
  });

  it.each(['examples', 'test/fixtures/lint-repos'])('lint %s', async (path) => {
    const run = await runCli(['lint', path]);
    expectPlain(run.stdout + run.stderr, `lint ${path}`);
    const github = await runCli(['lint', path, '--format', 'github']);
    expectPlain(github.stdout, `lint ${path} --format github`);
  });
});
