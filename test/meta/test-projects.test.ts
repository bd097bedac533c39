/**
 * CI cannot pass by not running (issue 13 item 7): every test file belongs to exactly one Vitest project, every
 * project is one scripts/test.sh runs, and the closing gate fails on skipped, todo or missing tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative, resolve } from 'node:path';
import config, { CI_PROJECTS } from '../../vitest.config.ts';
// @ts-expect-error -- a plain .mjs script without types
import { summarize } from '../../scripts/test-summary.mjs';
// @ts-expect-error -- a plain .mjs script without types
import { versionFrom } from '../../scripts/browser-versions.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

interface ProjectConfig {
  test: { name: string; include: string[]; exclude?: string[] };
}
const projects = (config.test?.projects ?? []) as unknown as ProjectConfig[];

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (/\.test\.tsx?$/.test(entry.name)) found.push(relative(ROOT, path));
  }
  return found;
}

const matches = (file: string, globs: string[] | undefined) => (globs ?? []).some((glob) => matchesGlob(file, glob));

describe('test projects', () => {
  const files = testFiles(ROOT);

  it('finds the test files (the walk itself works)', () => {
    expect(files).toContain('test/meta/test-projects.test.ts');
    expect(files).toContain('test/panel/app.test.tsx');
    expect(files).toContain('test/e2e/chrome/panel.test.ts');
    expect(files.length).toBeGreaterThan(80);
  });

  it('puts every *.test.ts(x) file in exactly one project', () => {
    const homeless: string[] = [];
    const twice: string[] = [];
    for (const file of files) {
      const owners = projects.filter((p) => matches(file, p.test.include) && !matches(file, p.test.exclude)).map((p) => p.test.name);
      if (owners.length === 0) homeless.push(file);
      if (owners.length > 1) twice.push(`${file}: ${owners.join(', ')}`);
    }
    expect(homeless).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('has only projects that CI runs, and scripts/test.sh runs each of them', () => {
    expect(projects.map((p) => p.test.name).sort()).toEqual([...CI_PROJECTS].sort());
    const script = readFileSync(join(ROOT, 'scripts/test.sh'), 'utf8');
    const loop = /for project in ([\w ]+); do/.exec(script)?.[1]?.split(' ');
    expect(loop?.sort()).toEqual([...CI_PROJECTS].sort());
    expect(script).toContain('--project "$project"');
    expect(script).toContain('node scripts/test-summary.mjs');
    expect(script).toContain('node scripts/browser-versions.mjs');
  });
});

describe('the closing gate of scripts/test.sh (scripts/test-summary.mjs)', () => {
  const report = (over: Record<string, unknown> = {}) => ({
    numTotalTests: 2,
    numPassedTests: 2,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numFailedTestSuites: 0,
    testResults: [
      {
        name: `${process.cwd()}/test/a.test.ts`,
        assertionResults: [
          { status: 'passed', fullName: 'a' },
          { status: 'passed', fullName: 'b' },
        ],
      },
    ],
    ...over,
  });

  it('passes a clean run', () => {
    expect(summarize([['unit.json', report()]])).toEqual({ line: '2 passed, 0 failed, 0 skipped', problems: [] });
  });
  it('fails on a skipped test and names it', () => {
    const skipped = report({
      numPassedTests: 1,
      numPendingTests: 1,
      testResults: [
        {
          name: `${process.cwd()}/test/a.test.ts`,
          assertionResults: [
            { status: 'passed', fullName: 'a' },
            { status: 'skipped', fullName: 'b' },
          ],
        },
      ],
    });
    const { problems } = summarize([['unit.json', skipped]]);
    expect(problems).toContain('skipped: test/a.test.ts > b');
    expect(problems).toContain('1 skipped and 0 todo test(s): every test must run');
  });
  it('fails on a todo test', () => {
    expect(summarize([['unit.json', report({ numPassedTests: 1, numTodoTests: 1 })]]).problems).toContain('0 skipped and 1 todo test(s): every test must run');
  });
  it('fails on a missing report, a project that ran nothing, a file that did not load, a failed test', () => {
    expect(summarize([['e2e.json', null]]).problems).toEqual(['e2e.json: no report (the run did not finish)']);
    expect(summarize([['panel.json', report({ numTotalTests: 0, numPassedTests: 0, testResults: [] })]]).problems).toEqual(['panel.json: no test ran']);
    expect(summarize([['unit.json', report({ numFailedTestSuites: 1 })]]).problems).toEqual(['unit.json: 1 test suite(s) failed']);
    expect(summarize([['unit.json', report({ numPassedTests: 1, numFailedTests: 1 })]]).problems).toEqual(['1 test(s) failed']);
  });
});

describe('recorded browser versions (scripts/browser-versions.mjs)', () => {
  it("reads the version from each browser's --version line", () => {
    expect(versionFrom('Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)')).toBe('156.0.8078.114');
    expect(versionFrom('Mozilla Firefox 153.8.0esr')).toBe('153.8.0esr');
    expect(versionFrom('')).toBeNull();
  });
  it('records a version for each browser the e2e tests drive', () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'test/e2e/browser-versions.json'), 'utf8'));
    expect(recorded.chromium).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(recorded['firefox-esr']).toMatch(/^\d+\.\d+\.\d+esr$/);
  });
});
