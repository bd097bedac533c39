#!/usr/bin/env node
// The installed command: runs the built CLI (dist/cli, shipped in the npm package; `npm run build` in a checkout).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
// Node 22.1+ keeps compiled code between runs (a faster cold start); Node 20 has no such cache.
module.enableCompileCache?.();
const built = fileURLToPath(new URL('../dist/cli/s3-cors-doctor.mjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('s3-cors-doctor: not built yet — run `npm run build` first\n');
  process.exit(2);
}
// A reader that went away (`… | head`) is not an error: stop quietly, as other command-line tools do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import(built);
// process.stdin is created on first access (a stream, a few ms): only commands reading `-` touch it.
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};
process.exitCode = await main(process.argv.slice(2), io);
