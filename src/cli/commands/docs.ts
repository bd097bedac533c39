/**
 * `s3-cors-doctor docs <CODE>`: print the page explaining a finding or lint code (docs/findings/<CODE>.md, shipped
 * in the npm package), offline. `docs` alone lists the codes that have a page.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { parseArgs } from '../args.js';
import { EXIT_OK, InputError, UsageError, type CliIO } from '../io.js';
import { findingsDirectory } from '../findings-docs.js';

const USAGE = 'docs [<CODE>]\n  Prints docs/findings/<CODE>.md (e.g. docs ORIGIN_NOT_ALLOWED); without a code, lists the codes.';

export const docsCommand: Command = {
  name: 'docs',
  summary: 'print the page explaining a finding code (e.g. docs ORIGIN_NOT_ALLOWED), offline',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {});
    if (args.positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[1])}`);
    const dir = findingsDirectory();
    const codes = (await readdir(fileURLToPath(dir)).catch(() => [] as string[]))
      .filter((f) => /^[A-Za-z][A-Za-z0-9_]*\.md$/.test(f))
      .map((f) => f.slice(0, -3))
      .sort();
    const wanted = args.positionals[0];
    if (wanted === undefined) {
      io.stdout.write(`Finding codes with a page (s3-cors-doctor docs <CODE>):\n${codes.map((c) => `  ${c}\n`).join('')}`);
      return EXIT_OK;
    }
    const asked = wanted.trim().replace(/-/g, '_');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(asked)) throw new UsageError(`${JSON.stringify(wanted)} is not a finding code (e.g. ORIGIN_NOT_ALLOWED)`);
    // Codes are matched whatever their case (etag_not_exposed, malformedxml).
    const code = codes.find((c) => c.toLowerCase() === asked.toLowerCase()) ?? asked.toUpperCase();
    if (!codes.includes(code)) {
      const near = codes.filter((c) => c.includes(code) || code.includes(c)).slice(0, 5);
      throw new InputError(`no page for ${code}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; run 's3-cors-doctor docs' for the list`);
    }
    io.stdout.write(await readFile(new URL(`${code}.md`, dir), 'utf8'));
    return EXIT_OK;
  },
};
