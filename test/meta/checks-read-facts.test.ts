/**
 * The diagnosis decides from the exchange read once into facts (issue 12 item 3, src/core/evidence/facts.ts): no
 * file under src/core/diagnose looks a header up in a raw header map with getHeader. A check that needs a header
 * the facts lack adds it to the facts, where it is read once and tested.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const DIAGNOSE = resolve(import.meta.dirname, '../../src/core/diagnose');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** The code without comments and string or template text, so a comment that names getHeader does not count. */
function code(source: string): string {
  return source
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``')
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
}

function headerLookups(source: string): string[] {
  return [...code(source).matchAll(/\bgetHeader\b/g)].map((m) => m[0]);
}

describe('the diagnosis reads headers only through the exchange facts', () => {
  it('the reader finds a call and an import, not a mention in a comment or a string', () => {
    expect(headerLookups("import { getHeader } from '../../http/index.js';\nconst a = getHeader(h, 'origin');")).toHaveLength(2);
    expect(headerLookups("// getHeader(h, 'x')\n/* getHeader */\nconst s = 'getHeader';\nconst t = `getHeader`;")).toEqual([]);
  });

  const all = files(DIAGNOSE);
  it('finds the checks', () => expect(all.filter((f) => f.includes('/checks/')).length).toBeGreaterThan(20));
  for (const file of all) {
    it(`${relative(DIAGNOSE, file)} does not call getHeader`, () => {
      expect(headerLookups(readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
