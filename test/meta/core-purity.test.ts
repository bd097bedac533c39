import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

// STYLE: src/core must run unchanged in Node and in the extension, so it may import only itself
// (and a few pure, browser-free npm packages listed here).
const ALLOWED_PACKAGES = new Set(['yaml']);
const CORE = resolve(import.meta.dirname, '../../src/core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

function imports(source: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

describe('src/core is pure', () => {
  const all = files(CORE);
  it('has source files', () => expect(all.length).toBeGreaterThan(5));
  for (const file of all) {
    it(`${relative(CORE, file)} imports nothing outside src/core but allowed pure packages`, () => {
      const src = readFileSync(file, 'utf8');
      for (const spec of imports(src)) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          expect(target.startsWith(CORE), `${spec} leaves src/core`).toBe(true);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          expect(ALLOWED_PACKAGES.has(pkg), `${spec} is not an allowed pure package`).toBe(true);
        }
      }
      expect(src).not.toMatch(/\bchrome\.|\bbrowser\.(runtime|tabs|devtools|storage|webRequest)|webextension-polyfill|\bdocument\.|\bwindow\./);
    });
  }
});
