/**
 * `npm run package`: store-ready archives from a fresh build.
 *   dist/s3-cors-doctor-chrome.zip   — the Chrome Web Store upload (manifest.json at the zip root)
 *   dist/s3-cors-doctor-firefox.zip  — the addons.mozilla.org upload, made by `web-ext build`
 * Both are zipped by web-ext (it reads the manifest, resolves __MSG_ names from _locales and writes the archive),
 * so no zip code of our own. Each build goes to a private directory first, so a concurrent `npm run build` cannot
 * swap files under the archive.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'dist');
const NAME = 's3-cors-doctor';

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function packageBrowser(browser: 'chrome' | 'firefox'): string {
  const outDir = mkdtempSync(join(tmpdir(), `${NAME}-${browser}-`));
  try {
    run('npx', ['vite', 'build', '--mode', browser, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error']);
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { version: string };
    const fileName = `${NAME}-${browser}.zip`;
    // Source maps are not shipped (the stores review the bundled code as it runs).
    run('npx', ['web-ext', 'build', '--source-dir', outDir, '--artifacts-dir', DIST, '--filename', fileName, '--overwrite-dest', '--no-config-discovery', '--ignore-files', '**/*.map']);
    const archive = join(DIST, fileName);
    if (!existsSync(archive)) throw new Error(`web-ext build wrote no ${fileName}`);
    return `${archive} (v${manifest.version}, ${(statSync(archive).size / 1024).toFixed(0)} KB)`;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

try {
  for (const browser of ['chrome', 'firefox'] as const) process.stdout.write(`${packageBrowser(browser)}\n`);
} catch (error) {
  process.stderr.write(`package failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
