/**
 * Every finding code has a page under docs/findings/ (issue 14 item 3, issue 15 item 3): the diagnosis codes, the
 * lint warnings, S3's own configuration errors and lint's file problems. Pages are plain words (no internal ids),
 * name their code, and link to the AWS S3 and MDN documentation. `s3-cors-doctor docs <CODE>` prints them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/core/diagnose/types.js';
import { LINT_CODES } from '../../src/core/policy/index.js';
import { INTERNAL_ID } from '../cli/internal-ids.js';
import { runCli } from '../cli/run-cli.js';

const DIR = 'docs/findings';
/** Codes lint reports besides LINT_CODES: S3's PutBucketCors errors, Backblaze B2's refusal and lint's whole-file problems. */
const OTHER_CODES = ['InvalidRequest', 'MalformedXML', 'bad_request', 'PARSE_ERROR', 'COMPUTED_VALUE'];
const ALL = [...new Set([...FINDING_CODES, ...LINT_CODES, ...OTHER_CODES])];

describe('docs/findings', () => {
  it.each(ALL)('%s has a page with cause, evidence, fix and AWS/MDN links, in plain words', (code) => {
    const path = `${DIR}/${code}.md`;
    expect(existsSync(path), `${path} is missing`).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# \S/);
    expect(text).toContain(`\`${code}\``);
    for (const section of ['## Cause', '## Evidence', '## Fix', '## Learn more']) expect(text).toContain(section);
    expect(text).toMatch(/https:\/\/(docs\.aws\.amazon\.com|developer\.mozilla\.org|developer\.chrome\.com)\//);
    const withoutCode = text.replaceAll(code, '');
    expect(withoutCode.split('\n').find((l) => INTERNAL_ID.test(l))).toBeUndefined();
  });

  it('has no page for a code nothing reports', () => {
    const pages = readdirSync(DIR)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -3));
    expect(pages.filter((p) => !ALL.includes(p))).toEqual([]);
  });

  it('`docs <CODE>` prints the page; an unknown code is a one-line error; `docs` lists the codes', async () => {
    const page = await runCli(['docs', 'ETAG_NOT_EXPOSED']);
    expect(page).toMatchObject({ code: 0, stdout: readFileSync(`${DIR}/ETAG_NOT_EXPOSED.md`, 'utf8') });
    expect((await runCli(['docs', 'etag-not-exposed'])).stdout).toBe(page.stdout);
    const unknown = await runCli(['docs', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^s3-cors-doctor docs: no page for NOPE;/);
    expect((await runCli(['docs', '../../package'])).code).toBe(2);
    const list = await runCli(['docs']);
    for (const code of ALL) expect(list.stdout).toContain(`  ${code}\n`);
  });

  it('each finding in lint output points to its page', async () => {
    const run = await runCli(['lint', 'test/fixtures/lint-repos/terraform-module']);
    for (const code of ['InvalidRequest', 'OPTIONS_IN_METHODS', 'ORIGIN_HAS_PATH']) expect(run.stdout).toContain(`more: s3-cors-doctor docs ${code}`);
  });

  it('each finding in har (text and Markdown) and explain output points to its page', async () => {
    const har = 'test/fixtures/har/real-chromium-demo-failures.har';
    const json = JSON.parse((await runCli(['har', har, '--json'])).stdout);
    const codes = new Set<string>(
      JSON.stringify(json)
        .match(/"code":\s*"([A-Z_]+)"/g)!
        .map((m) => m.split('"')[3]!),
    );
    expect(codes.size).toBeGreaterThan(0);
    const text = (await runCli(['har', har])).stdout;
    const markdown = (await runCli(['har', har, '--markdown'])).stdout;
    for (const code of codes) {
      expect(text).toContain(`more: s3-cors-doctor docs ${code}`);
      expect(markdown).toContain(`**More:** \`s3-cors-doctor docs ${code}\``);
    }
    const explain = await runCli([
      'explain',
      '--config',
      'examples/cors.json',
      '--url',
      'https://b.s3.us-east-1.amazonaws.com/k',
      '--origin',
      'https://other.example',
      '--method',
      'PUT',
    ]);
    const shown = [...explain.stdout.matchAll(/^ {2}\S+ +(?:error|warning|info) +([A-Z][A-Z_]+)$/gm)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(0);
    for (const code of shown) expect(explain.stdout).toContain(`more: s3-cors-doctor docs ${code}`);
  });
});
