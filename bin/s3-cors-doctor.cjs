#!/usr/bin/env node
'use strict';
// ASCII only, like the built CLI (vite.config.ts): V8 then reads and scans this file as one-byte text.
// The installed command: runs the built CLI (dist/cli, shipped in the npm package; `npm run build` in a checkout).
// CommonJS on purpose, like the built CLI: Node then never starts its ES module loader, which costs more than the
// rest of a small `lint` (issue 15: a cold start close to `node -e 0`).
const { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { isBuiltin, createRequire } = require('node:module');
const { Script } = require('node:vm');

// Node 22.1+ keeps compiled code of what Node's own loader loads (the yaml package, the AWS SDK) between runs.
require('node:module').enableCompileCache?.();
const built = join(__dirname, '..', 'dist', 'cli', 's3-cors-doctor.cjs');
if (!existsSync(built)) {
  process.stderr.write('s3-cors-doctor: not built yet \u2014 run `npm run build` first\n');
  process.exit(2);
}

/*
 * The built CLI's own files are loaded here, not by Node's loader, to keep V8's compiled code between runs on every
 * Node version (Node 20 has no compile cache): compiling the diagnosis code is most of a small `explain`'s start.
 * Measured with callgrind (instructions, deterministic on this loaded machine) on Node 20.20, against `node -e 0`:
 * explain 1.31x -> 1.15x, lint 1.13x -> 1.08x. The bundle's files are plain CommonJS that require only Node's
 * built-ins, each other (relative paths) and, through createRequire, their dependencies; a module is registered
 * before it runs, so require cycles behave as in Node.
 *
 * The cache: one file per built file, under $NODE_COMPILE_CACHE (Node's own setting) or <tmpdir>/node-compile-cache,
 * in an `s3-cors-doctor` directory that must be ours and not writable by others (else no cache: another user's file
 * would be code we run). NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's. Each file starts with a stamp
 * (Node version, architecture, the built file's size and modification time): a rebuilt or other-version file misses
 * and is rewritten; V8 itself also rejects data from another V8 or other flags (then it compiles the source as
 * usual and the file is rewritten). Written when the process exits, after the run, so it holds the functions the run
 * compiled; via a temporary file and a rename, so a concurrent run never reads half a file. Entries of built files
 * a rebuild removed are deleted then. Any failure (unwritable, full disk) only means no cache: the CLI's output never
 * depends on it.
 */
const cacheDir = compileCacheDir();
const modules = new Map();
const toWrite = [];

function compileCacheDir() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return null;
  try {
    const root = process.env.NODE_COMPILE_CACHE || join(require('node:os').tmpdir(), 'node-compile-cache');
    const dir = join(root, 's3-cors-doctor');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = lstatSync(dir);
    const mine = typeof process.getuid !== 'function' || info.uid === process.getuid();
    return info.isDirectory() && mine && (info.mode & 0o022) === 0 ? dir : null;
  } catch {
    return null;
  }
}

function loadBuilt(filename) {
  const known = modules.get(filename);
  if (known) return known.exports;
  const module = { exports: {}, filename, loaded: false };
  modules.set(filename, module);
  const source = readFileSync(filename, 'utf8');
  const info = statSync(filename);
  const stamp = `${process.version} ${process.arch} ${info.size} ${info.mtimeMs}\n`;
  // The file's absolute path, flattened: several installs (a checkout, a global install) keep separate entries.
  const cacheFile = cacheDir && join(cacheDir, flatten(filename));
  let cachedData;
  if (cacheFile) {
    try {
      const data = readFileSync(cacheFile);
      if (data.subarray(0, stamp.length).toString('latin1') === stamp) cachedData = data.subarray(stamp.length);
    } catch {}
  }
  // Node's own module wrapper, on the first line so line numbers stay those of the file.
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapper, { filename, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) toWrite.push({ filename, script, cacheFile, stamp });
  const dir = dirname(filename);
  let external;
  const requireHere = (id) => {
    if (id.startsWith('./') || id.startsWith('../')) return loadBuilt(join(dir, id));
    if (isBuiltin(id)) return require(id);
    return (external ??= createRequire(filename))(id);
  };
  script.runInThisContext().call(module.exports, module.exports, requireHere, module, filename, dir);
  module.loaded = true;
  return module.exports;
}

/** A cache entry's name: the file's absolute path with its separators as `%`. */
function flatten(path) {
  return path.replace(/[/\\:]/g, '%');
}

/**
 * Removes the entries of files that are gone from the directories this run wrote entries for: an earlier build's
 * chunks (named by their content hash), which would otherwise pile up after each rebuild or upgrade.
 */
function pruneGone(dirs) {
  let entries;
  try {
    entries = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const dir of dirs) {
    let present;
    try {
      present = new Set(readdirSync(dir));
    } catch {
      continue;
    }
    const prefix = `${flatten(dir)}%`;
    for (const entry of entries) {
      const name = entry.slice(prefix.length);
      // Another directory's entry, a file in a subdirectory, another run's temporary file, or a file still there.
      if (!entry.startsWith(prefix) || name.includes('%') || name.endsWith('.tmp') || present.has(name)) continue;
      try {
        unlinkSync(join(cacheDir, entry));
      } catch {}
    }
  }
}

process.on('exit', () => {
  if (toWrite.length > 0) pruneGone(new Set(toWrite.map(({ filename }) => dirname(filename))));
  for (const { script, cacheFile, stamp } of toWrite) {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()]), { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      try {
        unlinkSync(temporary);
      } catch {}
    }
  }
});

// Node creates process.stdout, stderr and stdin on first access, each a stream costing 3% of `node -e 0` (CPU time,
// measured interleaved): only what a command uses is created (a successful lint never touches stderr).
let stdout;
const io = {
  get stdout() {
    if (stdout === undefined) {
      stdout = process.stdout;
      // A reader that went away (`... | head`) is not an error: stop quietly, as other command-line tools do.
      stdout.on('error', (err) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
    }
    return stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};
loadBuilt(built)
  .main(process.argv.slice(2), io)
  .then((code) => {
    process.exitCode = code;
  });
