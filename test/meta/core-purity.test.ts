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

/**
 * Module specifiers of the file's import/export statements. Template literals and comments are blanked first, so
 * code that *prints* an import (the CDK renderer) is not mistaken for one.
 */
function imports(source: string): string[] {
  const code = source
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

describe('src/core is pure', () => {
  const all = files(CORE);
  it('the import reader sees real imports and ignores printed ones', () => {
    const sample =
      "import { a,\n  b } from 'node:fs';\nexport * from './x.js';\nconst m = await import('chrome-thing');\nconst cdk = `import * as s3 from 'aws-cdk-lib/aws-s3';`;\n// import y from 'commented';";
    expect(imports(sample)).toEqual(['node:fs', './x.js', 'chrome-thing']);
  });
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
