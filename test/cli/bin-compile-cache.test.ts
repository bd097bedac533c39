/**
 * bin/s3-cors-doctor.cjs loads the built CLI itself and keeps V8's compiled code between runs (issue 15 item 2: a
 * cold start close to `node -e 0` on Node 20, which has no compile cache of its own). Run against a small stand-in
 * for dist/cli (an entry, a chunk requiring the entry back, built-ins), so no build is needed: the loader must behave
 * as Node's for the bundle, and the cache must be used when valid, rewritten when stale or rejected, and never
 * decide the output (an unwritable or unsafe cache directory only means no cache).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/s3-cors-doctor.cjs');

const ENTRY = `Object.defineProperty(exports, Symbol.toStringTag, { value: "Module" });
let node_path = require("node:path");
async function main(argv, io) {
  const chunk = await Promise.resolve().then(() => require("./chunks/answer-X1.cjs"));
  io.stdout.write(chunk.describe(argv) + "\\n");
  return argv.includes("fail") ? 1 : 0;
}
exports.main = main;
exports.name = "entry:" + node_path.basename(__filename);
`;
// Requires the entry back (a cycle, as rolldown's chunks do), a built-in and its own file name and directory.
const CHUNK = `const require_main = require("../s3-cors-doctor.cjs");
const { basename } = require("node:path");
exports.describe = (argv) => [require_main.name, basename(__dirname) + "/" + basename(__filename), argv.join(","), typeof require("url").pathToFileURL].join(" ");
`;

let work = '';
let cacheRoot = '';
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'bin-compile-cache-'));
  mkdirSync(join(work, 'bin'));
  mkdirSync(join(work, 'dist/cli/chunks'), { recursive: true });
  copyFileSync(BIN, join(work, 'bin/s3-cors-doctor.cjs'));
  writeFileSync(join(work, 'dist/cli/s3-cors-doctor.cjs'), ENTRY);
  writeFileSync(join(work, 'dist/cli/chunks/answer-X1.cjs'), CHUNK);
  cacheRoot = join(work, 'cache');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[] = ['a', 'b'], env: Record<string, string> = { NODE_COMPILE_CACHE: cacheRoot }) {
  const result = spawnSync(process.execPath, [join(work, 'bin/s3-cors-doctor.cjs'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const cacheDir = () => join(cacheRoot, 's3-cors-doctor');
const cacheFiles = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()).sort() : []);
const cacheOf = (name: string) => join(cacheDir(), cacheFiles().find((f) => f.endsWith(name))!);
const EXPECTED = { code: 0, stdout: 'entry:s3-cors-doctor.cjs chunks/answer-X1.cjs a,b function\n', stderr: '' };

// Each case starts a few Node processes: slow on a loaded machine, so a generous time limit.
describe('bin/s3-cors-doctor.cjs', { timeout: 120_000 }, () => {
  it('runs the bundle as Node would: a require cycle, built-ins, __filename and __dirname, the exit code', () => {
    expect(run(['a', 'b'], { NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: cacheRoot })).toEqual(EXPECTED);
    expect(cacheFiles()).toEqual([]);
    expect(run()).toEqual(EXPECTED);
    expect(run(['fail'])).toMatchObject({ code: 1 });
  });

  it('writes one cache file per built file, private to the user, and uses it on the next run', () => {
    expect(run()).toEqual(EXPECTED);
    const files = cacheFiles();
    expect(files).toHaveLength(2);
    expect(files.some((f) => f.endsWith('%dist%cli%s3-cors-doctor.cjs'))).toBe(true);
    expect(statSync(cacheDir()).mode & 0o077).toBe(0);
    const chunkCache = cacheOf('answer-X1.cjs');
    expect(statSync(chunkCache).mode & 0o077).toBe(0);
    expect(readFileSync(chunkCache, 'latin1').split('\n')[0]).toBe(
      `${process.version} ${process.arch} ${CHUNK.length} ${statSync(join(work, 'dist/cli/chunks/answer-X1.cjs')).mtimeMs}`,
    );
    // Accepted by V8, so not written again (a rewrite would give the file a new inode through the rename).
    const before = statSync(chunkCache).ino;
    expect(run()).toEqual(EXPECTED);
    expect(statSync(chunkCache).ino).toBe(before);
    expect(cacheFiles()).toEqual(files);
  });

  it('a rebuilt file misses its cache and rewrites it; data V8 rejects is replaced', () => {
    run();
    const chunkCache = cacheOf('answer-X1.cjs');
    const changed = CHUNK.replace('argv.join(",")', 'argv.join("+")');
    writeFileSync(join(work, 'dist/cli/chunks/answer-X1.cjs'), changed);
    expect(run().stdout).toBe('entry:s3-cors-doctor.cjs chunks/answer-X1.cjs a+b function\n');
    expect(readFileSync(chunkCache, 'latin1').split('\n')[0]).toContain(` ${changed.length} `);
    // The right stamp over data that is not V8's: compiled from the source, and the data is replaced.
    const stamp = readFileSync(chunkCache, 'latin1').split('\n')[0]!;
    writeFileSync(chunkCache, `${stamp}\nnot a code cache`);
    expect(run().stdout).toBe('entry:s3-cors-doctor.cjs chunks/answer-X1.cjs a+b function\n');
    expect(readFileSync(chunkCache).length).toBeGreaterThan(stamp.length + 100);
  });

  it('an unwritable cache location or a directory others can write to means no cache, not an error', () => {
    writeFileSync(join(work, 'not-a-dir'), '');
    expect(run(['a', 'b'], { NODE_COMPILE_CACHE: join(work, 'not-a-dir') })).toEqual(EXPECTED);
    mkdirSync(cacheDir(), { recursive: true });
    chmodSync(cacheDir(), 0o777);
    expect(run()).toEqual(EXPECTED);
    expect(cacheFiles()).toEqual([]);
    chmodSync(cacheDir(), 0o700);
    expect(run()).toEqual(EXPECTED);
    expect(cacheFiles()).toHaveLength(2);
  });

  it('a rebuild that renames a chunk removes the entry of the old name, and keeps the entries of other installs', () => {
    run();
    // Another install of the CLI (another directory) has its own entry, which this install's runs must not touch.
    const otherInstall = `${cacheOf('answer-X1.cjs')
      .replace(/answer-X1\.cjs$/, '')
      .replace(/%dist%cli%chunks%$/, '%other%dist%cli%chunks%')}answer-X1.cjs`;
    writeFileSync(otherInstall, 'another install');
    // What a rebuild does: the chunk gets a new content hash in its name, and the entry requires it by that name.
    rmSync(join(work, 'dist/cli/chunks/answer-X1.cjs'));
    writeFileSync(join(work, 'dist/cli/chunks/answer-X2.cjs'), CHUNK);
    writeFileSync(join(work, 'dist/cli/s3-cors-doctor.cjs'), ENTRY.replace('answer-X1.cjs', 'answer-X2.cjs'));
    expect(run().stdout).toBe('entry:s3-cors-doctor.cjs chunks/answer-X2.cjs a,b function\n');
    const files = cacheFiles();
    expect(files.filter((f) => f.endsWith('%dist%cli%chunks%answer-X1.cjs'))).toEqual([otherInstall.slice(cacheDir().length + 1)]);
    expect(files.some((f) => f.endsWith('%dist%cli%chunks%answer-X2.cjs'))).toBe(true);
    expect(files.filter((f) => f.endsWith('%dist%cli%s3-cors-doctor.cjs'))).toHaveLength(1);
  });

  it('leaves no temporary file behind', () => {
    run();
    run(['a', 'b']);
    expect(cacheFiles().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
