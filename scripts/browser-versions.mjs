#!/usr/bin/env node
// Prints the installed browsers' versions and fails (exit 1) when either differs from the one recorded in
// test/e2e/browser-versions.json — the real-browser tests are only known to hold for those versions.
// `--record` writes the installed versions into the file instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const FILE = resolve(import.meta.dirname, '../test/e2e/browser-versions.json');
const BROWSERS = { chromium: '/usr/bin/chromium', 'firefox-esr': '/usr/bin/firefox-esr' };

/** `Chromium 156.0.8078.114 built on Debian…` → 156.0.8078.114; `Mozilla Firefox 153.8.0esr` → 153.8.0esr. */
export function versionFrom(line) {
  return /\b(\d+(?:\.\d+)+(?:esr)?)\b/.exec(line)?.[1] ?? null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const recorded = JSON.parse(readFileSync(FILE, 'utf8'));
  let mismatch = false;
  for (const [name, path] of Object.entries(BROWSERS)) {
    let line;
    try {
      line = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      line = '';
    }
    const installed = versionFrom(line);
    console.log(`${name}: ${line || '(not installed)'}`);
    if (process.argv.includes('--record')) {
      if (installed) recorded[name] = installed;
    } else if (installed !== recorded[name]) {
      console.error(`${name} ${installed ?? '(none)'} is not the recorded ${recorded[name]} (test/e2e/browser-versions.json)`);
      mismatch = true;
    }
  }
  if (process.argv.includes('--record')) writeFileSync(FILE, `${JSON.stringify(recorded, null, 2)}\n`);
  process.exit(mismatch ? 1 : 0);
}
