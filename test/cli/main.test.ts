import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/main.js';
import { runCli } from './run-cli.js';

const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

describe('the CLI entry', () => {
  it('prints the version with --version and -V, alone or after any command', async () => {
    for (const argv of [
      ['--version'],
      ['-V'],
      ...COMMANDS.flatMap((c) => [
        [c.name, '--version'],
        [c.name, '-V'],
      ]),
    ]) {
      const run = await runCli(argv);
      expect(run, argv.join(' ')).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints usage with --help and -h for every command', async () => {
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const run = await runCli([c.name, flag]);
        expect(run.code, `${c.name} ${flag}`).toBe(0);
        expect(run.stdout).toMatch(new RegExp(`^usage: s3-cors-doctor ${c.name}\\b`));
      }
    }
    const top = await runCli(['-h']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('-V, --version');
  });

  it('lists each command with the summary the command itself declares (the list loads no command)', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(entry.summary).toBe(command.summary);
    }
  });

  it('treats --help after -- as a file name, not as a request for help', async () => {
    const run = await runCli(['lint', '--', '--help']);
    expect(run.stdout).not.toMatch(/^usage:/);
    expect(run.code).toBe(1);
  });
});
