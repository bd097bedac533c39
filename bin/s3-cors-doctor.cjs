#!/usr/bin/env node
'use strict';
// The installed command: runs the built CLI (dist/cli, shipped in the npm package; `npm run build` in a checkout).
// CommonJS on purpose, like the built CLI: Node then never starts its ES module loader, which costs more than the
// rest of a small `lint` (issue 15: a cold start close to `node -e 0`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
// Node 22.1+ keeps compiled code between runs (a faster cold start); Node 20 has no such cache.
require('node:module').enableCompileCache?.();
const built = join(__dirname, '..', 'dist', 'cli', 's3-cors-doctor.cjs');
if (!existsSync(built)) {
  process.stderr.write('s3-cors-doctor: not built yet — run `npm run build` first\n');
  process.exit(2);
}
// A reader that went away (`… | head`) is not an error: stop quietly, as other command-line tools do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// process.stdin is created on first access (a stream, a few ms): only commands reading `-` touch it.
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};
require(built)
  .main(process.argv.slice(2), io)
  .then((code) => {
    process.exitCode = code;
  });
