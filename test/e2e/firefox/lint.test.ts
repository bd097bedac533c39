import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SETUP_TIMEOUT_MS, snapshotFirefoxBuild } from '../support/firefox';

const repoRoot = resolve(import.meta.dirname, '../../..');

interface LintMessage {
  code: string;
  file?: string;
  message: string;
}
interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('the Firefox build passes addons.mozilla.org validation (web-ext lint)', () => {
  let report: LintReport;
  let build: ReturnType<typeof snapshotFirefoxBuild>;
  beforeAll(async () => {
    build = snapshotFirefoxBuild();
    // web-ext exits non-zero when there are errors; the JSON report is what counts.
    const { stdout } = await promisify(execFile)('npx', ['web-ext', 'lint', '--source-dir', build.dir, '--no-config-discovery', '--output', 'json'], {
      cwd: repoRoot,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    report = JSON.parse(stdout) as LintReport;
  }, SETUP_TIMEOUT_MS);
  afterAll(() => build?.remove());

  it('reports no errors', () => {
    expect(report.errors).toEqual([]);
  });

  it('reports only the warnings docs/firefox.md explains', () => {
    const explained = readFileSync(join(repoRoot, 'docs/firefox.md'), 'utf8');
    for (const warning of report.warnings) {
      expect(explained, `unexplained lint warning ${warning.code} in ${warning.file}: ${warning.message}`).toContain(warning.code);
    }
  });

  it("leaves innerHTML to Preact's own diff: the add-on's sources never set HTML", () => {
    const offenders = sourceFiles(join(repoRoot, 'src')).filter((file) =>
      /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
    // So every innerHTML the linter finds in the bundle is in the chunk holding Preact's diff, which applies
    // `dangerouslySetInnerHTML.__html` — a prop the sources above never pass.
    for (const warning of report.warnings.filter((w) => w.code === 'UNSAFE_VAR_ASSIGNMENT')) {
      const chunk = readFileSync(join(build.dir, warning.file ?? ''), 'utf8');
      expect(chunk, `${warning.file} sets innerHTML outside Preact`).toMatch(/dangerouslySetInnerHTML[\s\S]*\.__html/);
    }
  });
});
