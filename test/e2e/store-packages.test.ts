/**
 * What is uploaded to the stores (`npm run package`, build/package.ts) works as uploaded: the unzipped Chrome Web
 * Store package registers its DevTools panel in Chromium, the AMO package in Firefox ESR, `web-ext lint` passes the
 * AMO zip, and AMO's source package rebuilds, by the command its BUILD.md gives, to the AMO zip's very bytes.
 *
 * The rebuild links the source package's node_modules to this checkout's instead of running `npm ci` (which would
 * download ~400 MB, minutes on a shared machine). It is still a faithful rebuild: the only input that `npm ci` would
 * contribute is the package tree pinned by the source package's package-lock.json, and the test first checks that
 * every package installed here is the version and integrity that lock pins (and every required one is installed).
 * Everything else — sources, configuration, manifest — comes from the unzipped archive alone, in a directory
 * elsewhere on disk (so a path of this checkout leaking into the output would show as a difference).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import {
  archiveName,
  buildExtension,
  deterministicZip,
  readTree,
  readZip,
  REBUILD_COMMAND,
  REBUILD_OUTPUT,
  SOURCE_DIRECTORIES,
  SOURCE_ARCHIVE,
  SOURCE_FILES,
  sourcePackage,
  unzipTo,
} from '../../build/package.js';
import { launchChromium, openInspectedPage, readPanel, showPanel } from './support/chromium.js';
import { launchFirefoxWithExtension } from './support/firefox.js';
import { startStaticServer, waitUntil, type StaticServer } from './support/servers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface LockEntry {
  version?: string;
  integrity?: string;
  optional?: boolean;
  dev?: boolean;
  link?: boolean;
}

describe('the store packages (npm run package)', () => {
  let work: string;
  let packages: { chrome: string; firefox: string; source: string };
  let chromeFiles: Map<string, Buffer>;
  let amoFiles: Map<string, Buffer>;
  let sourceFiles: Map<string, Buffer>;
  let pageServer: StaticServer;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 's3cd-store-'));
    // The documented command, in its own process as a user runs it (with this runner's NODE_ENV=test inherited).
    const out = join(work, 'out');
    await run('npm', ['run', 'package', '--', '--out-dir', out], { cwd: ROOT });
    packages = { chrome: join(out, archiveName('chrome')), firefox: join(out, archiveName('firefox')), source: join(out, SOURCE_ARCHIVE) };
    chromeFiles = await readZip(readFileSync(packages.chrome));
    amoFiles = await readZip(readFileSync(packages.firefox));
    sourceFiles = await readZip(readFileSync(packages.source));
    pageServer = await startStaticServer();
  }, 300_000);

  afterAll(async () => {
    await pageServer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes the three archives under their documented names', () => {
    expect(SOURCE_ARCHIVE).toBe('s3-cors-doctor-firefox-source.zip');
    expect(chromeFiles.has('manifest.json') && amoFiles.has('manifest.json')).toBe(true);
    const chromeManifest = JSON.parse(chromeFiles.get('manifest.json')!.toString('utf8')) as Record<string, unknown>;
    const amoManifest = JSON.parse(amoFiles.get('manifest.json')!.toString('utf8')) as Record<string, { gecko?: { id?: string } }>;
    expect(chromeManifest).not.toHaveProperty('browser_specific_settings');
    expect(amoManifest.browser_specific_settings?.gecko?.id).toBe('s3-cors-doctor@s3-cors-doctor.dev');
    expect([...chromeFiles.keys(), ...amoFiles.keys()].filter((name) => name.endsWith('.map'))).toEqual([]);
  });

  it('holds no build time and no path of the machine that built it', async () => {
    for (const path of [packages.chrome, packages.firefox, packages.source]) {
      const zip = await JSZip.loadAsync(readFileSync(path));
      const names = Object.keys(zip.files);
      expect(names, `${path}: entries in sorted order`).toEqual([...names].sort());
      for (const entry of Object.values(zip.files)) expect(entry.date.toISOString(), `${path}: ${entry.name}`).toBe('1980-01-01T00:00:00.000Z');
    }
    const machinePaths = [ROOT, realpathSync(join(ROOT, 'node_modules')), join(tmpdir(), 's3-cors-doctor-')];
    for (const [archive, files] of [
      ['chrome', chromeFiles],
      ['firefox', amoFiles],
    ] as const) {
      for (const [name, bytes] of files) {
        for (const path of machinePaths) expect(bytes.includes(path), `${archive} ${name} contains ${path}`).toBe(false);
      }
    }
  });

  it('the source package holds the configuration, all of build/, src/, public/ as they are here, and BUILD.md', () => {
    for (const file of [...SOURCE_FILES, 'BUILD.md']) expect(sourceFiles.has(file), file).toBe(true);
    for (const dir of SOURCE_DIRECTORIES) {
      for (const [name, bytes] of readTree(join(ROOT, dir))) expect(sourceFiles.get(`${dir}/${name}`)?.equals(bytes), `${dir}/${name}`).toBe(true);
    }
    expect(sourceFiles.get('BUILD.md')!.toString('utf8')).toContain(`npm ci\n${REBUILD_COMMAND.join(' ')}\n`);
  });

  it('the source package also takes any other file the Firefox build reads (a page bundled with ?raw)', async () => {
    // A copy of the project whose panel bundles a docs/ page: the build's module graph must bring it into the package.
    const project = join(work, 'project-with-docs');
    const files = sourcePackage(ROOT, []);
    files.delete('BUILD.md');
    files.set('docs/findings/EXAMPLE.md', Buffer.from('# An example page\n'));
    for (const [name, bytes] of files) {
      mkdirSync(dirname(join(project, name)), { recursive: true });
      writeFileSync(join(project, name), bytes);
    }
    const main = join(project, 'src/panel/main.tsx');
    writeFileSync(
      main,
      `import examplePage from '../../docs/findings/EXAMPLE.md?raw';\n(globalThis as { examplePage?: string }).examplePage = examplePage;\n${readFileSync(main, 'utf8')}`,
    );
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(project, 'node_modules'), 'dir');
    const read = await buildExtension('firefox', join(work, 'project-build'), project);
    expect(read).toContain('docs/findings/EXAMPLE.md');
    expect(read).toContain('src/panel/main.tsx');
    expect(sourcePackage(project, read).get('docs/findings/EXAMPLE.md')?.toString('utf8')).toBe('# An example page\n');
    expect(sourcePackage(ROOT, []).has('docs/findings/EXAMPLE.md')).toBe(false);
  });

  it('the unzipped Chrome Web Store package registers its DevTools panel in Chromium', async () => {
    const unpacked = join(work, 'chrome');
    await unzipTo(readFileSync(packages.chrome), unpacked);
    const session = await launchChromium({ extensionDir: unpacked });
    try {
      const { devtools } = await openInspectedPage(session, pageServer.url('/'));
      const panel = await showPanel(session, devtools);
      expect(new URL(panel.url()).pathname).toBe('/src/panel/panel.html');
      // The frame exists before its module has run: wait for the panel's own state.
      expect((await waitUntil('the panel to start', () => readPanel(panel).catch(() => undefined))).rows).toEqual([]);
      const worker = await session.serviceWorker();
      const version = await worker.evaluate(
        () => (globalThis as unknown as { chrome: { runtime: { getManifest(): { version: string } } } }).chrome.runtime.getManifest().version,
      );
      expect(version).toBe(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).version);
    } finally {
      await session.close();
    }
  });

  it('the AMO package registers its DevTools panel in Firefox ESR', async () => {
    const unpacked = join(work, 'firefox');
    await unzipTo(readFileSync(packages.firefox), unpacked);
    const previous = process.env.FIREFOX_EXTENSION_DIR;
    process.env.FIREFOX_EXTENSION_DIR = unpacked;
    const firefox = await launchFirefoxWithExtension({ url: pageServer.url('/') });
    try {
      expect(firefox.extensionId).toBe('s3-cors-doctor@s3-cors-doctor.dev');
      expect(await firefox.showExtensionPanel()).toMatch(/^webext-devtools-panel-s3-cors-doctor_s3-cors-doctor_dev-/);
      const panel = await firefox.waitForPanelText((p) => p.text.includes('0 requests'));
      expect(new URL(panel.url).pathname).toBe('/src/panel/panel.html');
      expect((await firefox.readPanel()).rows).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.FIREFOX_EXTENSION_DIR;
      else process.env.FIREFOX_EXTENSION_DIR = previous;
      await firefox.close();
    }
  });

  it('web-ext lint finds no errors in the AMO zip itself', async () => {
    // web-ext exits non-zero when there are errors; the JSON report is what counts.
    const { stdout } = await run('npx', ['web-ext', 'lint', '--source-dir', packages.firefox, '--no-config-discovery', '--output', 'json'], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { summary: { errors: number }; errors: unknown[]; metadata: { id: string } };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    expect(report.metadata.id).toBe('s3-cors-doctor@s3-cors-doctor.dev');
  });

  it("rebuilds from AMO's source package, as its BUILD.md says, to the AMO zip's exact files", async () => {
    const source = join(work, 'source');
    await unzipTo(readFileSync(packages.source), source);
    // In place of `npm ci`: this checkout's packages, once shown to be exactly the ones the packaged lock pins.
    const lock = JSON.parse(readFileSync(join(source, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const mismatched: string[] = [];
    for (const [path, pinned] of Object.entries(lock.packages)) {
      if (!path.startsWith('node_modules/') || pinned.link) continue;
      const have = installed.packages[path];
      // Optional packages for other platforms (esbuild's, rolldown's binaries) are left out by npm ci too.
      if (!have) {
        if (!pinned.optional && !existsSync(join(ROOT, path))) mismatched.push(`${path}: not installed`);
        continue;
      }
      if (have.version !== pinned.version || (pinned.integrity && have.integrity !== pinned.integrity))
        mismatched.push(`${path}: ${have.version} installed, ${pinned.version} pinned`);
    }
    expect(mismatched).toEqual([]);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(source, 'node_modules'), 'dir');

    const [command, ...args] = REBUILD_COMMAND;
    // As in a reviewer's fresh shell: none of this test runner's environment (it sets NODE_ENV=test).
    const { NODE_ENV: _runner, VITEST: _vitest, ...env } = process.env;
    await run(command, [...args, '--logLevel', 'error'], { cwd: source, env });
    const rebuilt = readTree(join(source, REBUILD_OUTPUT));
    expect([...rebuilt.keys()].sort()).toEqual([...amoFiles.keys()].sort());
    const differing = [...amoFiles].filter(([name, bytes]) => !rebuilt.get(name)!.equals(bytes)).map(([name]) => name);
    expect(differing).toEqual([]);
    // And zipped the way `npm run package` zips, the rebuild is the uploaded archive byte for byte.
    expect((await deterministicZip(rebuilt)).equals(readFileSync(packages.firefox))).toBe(true);
  });
});
