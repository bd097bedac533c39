/**
 * `npm run package [-- --out-dir DIR]`: store-ready archives from a fresh build (default DIR: dist/).
 *   s3-cors-doctor-chrome.zip          — the Chrome Web Store upload (manifest.json at the zip root)
 *   s3-cors-doctor-firefox.zip         — the addons.mozilla.org (AMO) upload
 *   s3-cors-doctor-firefox-source.zip  — AMO's source package: the sources that rebuild the AMO upload, with a
 *                                        BUILD.md saying how (`npm ci && npx vite build --mode firefox`)
 *
 * Reproducible: each extension is built into a private temp directory (so a concurrent `npm run build` cannot swap
 * files under the archive, and no path of this machine is in the output), and every archive lists its files in
 * sorted order with one fixed date and fixed attributes. Two runs on the same sources write identical bytes.
 * test/e2e/store-packages.test.ts loads the zips in the real browsers, lints the AMO zip with web-ext and rebuilds
 * from the source package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import JSZip from 'jszip';

const ROOT = resolve(import.meta.dirname, '..');
export const NAME = 's3-cors-doctor';
export type Browser = 'chrome' | 'firefox';

export const archiveName = (browser: Browser): string => `${NAME}-${browser}.zip`;
export const SOURCE_ARCHIVE = `${NAME}-firefox-source.zip`;

/** Every entry's date (the earliest a zip can hold): no build time in the archives. */
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/** The command AMO's reviewer runs in the unpacked source package; its output directory equals the AMO zip. */
export const REBUILD_COMMAND = ['npx', 'vite', 'build', '--mode', 'firefox'] as const;
export const REBUILD_OUTPUT = 'dist/firefox';

/**
 * What the extension build reads: the manifest and config files, build/ (the Firefox manifest is derived there),
 * src/ (every entry point and what it imports) and public/ (icons, _locales). The source package holds these and
 * whatever else the Firefox build's module graph names (nothing today); see packageAll().
 */
export const SOURCE_FILES = ['package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'tsconfig.json'] as const;
export const SOURCE_DIRECTORIES = ['build', 'src', 'public'] as const;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue; // editor and OS litter (.DS_Store, .swp); the build reads none
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Relative paths with forward slashes, as a zip stores them. */
const zipPath = (base: string, file: string): string => relative(base, file).split(sep).join('/');

/** A zip of `files` (zip path → bytes), sorted, with a fixed date and attributes: the same input gives the same bytes. */
export async function deterministicZip(files: Map<string, Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  // Sorted by name in UTF-16 code unit order, as Array.prototype.sort orders strings.
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    zip.file(name, bytes, { date: ZIP_DATE, createFolders: false, unixPermissions: 0o644 });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
}

/** The files of a directory as a zip would hold them. */
export function readTree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((file) => [zipPath(dir, file), readFileSync(file)]));
}

/** The files of a zip (path → bytes), directory entries left out. */
export async function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Buffer>();
  for (const entry of Object.values(zip.files)) if (!entry.dir) out.set(entry.name, await entry.async('nodebuffer'));
  return out;
}

/** Writes the files of a zip under `dir`. */
export async function unzipTo(bytes: Buffer, dir: string): Promise<void> {
  for (const [name, content] of await readZip(bytes)) {
    const target = resolve(dir, name);
    if (!target.startsWith(resolve(dir) + sep)) throw new Error(`zip entry outside the target directory: ${name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/**
 * Builds one extension into `outDir` with Vite's API (the same configuration as `vite build --mode <browser>`) and
 * returns the project files the build read: every module of the bundle's graph that is a file of this checkout
 * outside node_modules (sources, HTML entries, CSS, anything imported with `?raw` or `?url`).
 */
export async function buildExtension(browser: Browser, outDir: string, root: string): Promise<string[]> {
  const { build } = await import('vite');
  const read = new Set<string>();
  // A production build whatever the caller's environment: under NODE_ENV=test or development (a test runner, a
  // shell profile) Preact's JSX is compiled with each element's source file, an absolute path of this machine.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      configFile: resolve(root, 'vite.config.ts'),
      mode: browser,
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
      plugins: [
        {
          name: 's3cd-record-sources',
          buildEnd() {
            for (const id of this.getModuleIds()) {
              const file = id.replace(/[?#].*$/, '');
              if (file.startsWith(root + sep) && !file.includes(`${sep}node_modules${sep}`) && existsSync(file)) read.add(zipPath(root, file));
            }
          },
        },
      ],
    });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return [...read].sort();
}

function buildMd(version: string): string {
  const node = process.versions.node;
  const npm = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  return `# Rebuilding S3 CORS Doctor ${version} for Firefox

This archive holds exactly the sources the add-on is built from: the configuration files, \`build/\` (which derives
Firefox's manifest from \`manifest.json\`), \`src/\` and \`public/\` (icons and messages). The code is TypeScript and
Preact, bundled and minified by Vite (its default settings, in \`vite.config.ts\`). Nothing is downloaded at build
time except the npm packages pinned in \`package-lock.json\` (by \`npm ci\`).

Requirements: Node.js 20.19 or newer with npm (packaged with Node ${node} and npm ${npm} on Debian Linux).

\`\`\`sh
npm ci
${REBUILD_COMMAND.join(' ')}
\`\`\`

(With \`NODE_ENV\` unset, or set to \`production\`, as in a fresh shell.) The add-on is then in
\`${REBUILD_OUTPUT}/\`: its files are byte for byte the files of the uploaded \`${archiveName('firefox')}\`
(\`diff -r\` against the unzipped upload shows no difference).
\`npm run build\` builds the same \`${REBUILD_OUTPUT}/\` along with the Chrome extension and the command line.
`;
}

export interface PackageResult {
  chrome: string;
  firefox: string;
  source: string;
  /** The project files the Firefox build read (all inside the source package). */
  firefoxSources: string[];
}

/** Builds both extensions and writes the three archives to `outDir`. */
export async function packageAll(outDir = resolve(ROOT, 'dist'), root = ROOT): Promise<PackageResult> {
  mkdirSync(outDir, { recursive: true });
  const written: Partial<PackageResult> = {};
  for (const browser of ['chrome', 'firefox'] as const) {
    const buildDir = mkdtempSync(join(tmpdir(), `${NAME}-${browser}-`));
    try {
      const read = await buildExtension(browser, buildDir, root);
      if (browser === 'firefox') written.firefoxSources = read;
      // Source maps are not shipped (the stores review the bundled code as it runs; the extension build makes none).
      const files = new Map([...readTree(buildDir)].filter(([name]) => !name.endsWith('.map')));
      if (!files.has('manifest.json')) throw new Error(`the ${browser} build wrote no manifest.json`);
      written[browser] = join(outDir, archiveName(browser));
      writeFileSync(written[browser], await deterministicZip(files));
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  }
  written.source = join(outDir, SOURCE_ARCHIVE);
  writeFileSync(written.source, await deterministicZip(sourcePackage(root, written.firefoxSources ?? [])));
  return written as PackageResult;
}

/** The source package's files: the configuration, build/, src/, public/, whatever else the build read, BUILD.md. */
export function sourcePackage(root: string, buildRead: string[]): Map<string, Buffer> {
  const version = (JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8')) as { version: string }).version;
  const sources = new Map<string, Buffer>();
  for (const file of SOURCE_FILES) sources.set(file, readFileSync(resolve(root, file)));
  for (const dir of SOURCE_DIRECTORIES) for (const [name, bytes] of readTree(resolve(root, dir))) sources.set(`${dir}/${name}`, bytes);
  // Anything else the Firefox build read (say a docs/ page bundled with `?raw`) goes in too, or the rebuild would fail.
  for (const file of buildRead) if (!sources.has(file)) sources.set(file, readFileSync(resolve(root, file)));
  sources.set('BUILD.md', Buffer.from(buildMd(version)));
  return sources;
}

function describe(path: string): string {
  const shown = relative(process.cwd(), path);
  return `${shown.startsWith('..') ? path : shown} (${(statSync(path).size / 1024).toFixed(0)} KB)`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const at = process.argv.indexOf('--out-dir');
  const outArg = at > 0 ? process.argv[at + 1] : undefined;
  const outDir = outArg ? resolve(outArg) : resolve(ROOT, 'dist');
  packageAll(outDir).then(
    (result) => {
      process.stdout.write(`Chrome Web Store upload:     ${describe(result.chrome)}\n`);
      process.stdout.write(`addons.mozilla.org upload:   ${describe(result.firefox)}\n`);
      process.stdout.write(`addons.mozilla.org sources:  ${describe(result.source)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`package failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
