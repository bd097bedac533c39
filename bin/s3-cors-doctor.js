#!/usr/bin/env node
// Runs the built CLI (`npm run build`); see README.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
