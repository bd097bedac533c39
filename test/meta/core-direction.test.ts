/**
 * Inside the core, diagnosis and fix depend one way (issue 12 item 1): replay ← fix ← diagnose. The request replay
 * both need (the page request rebuilt from a capture, its run through the S3 and browser models, reading rules
 * against an origin) lives in src/core/replay and imports neither; the fix imports the replay, never the diagnosis;
 * the diagnosis may import both (it proposes the fix for its findings).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const CORE = resolve(import.meta.dirname, '../../src/core');

/** Folders of src/core each folder below must not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  replay: ['diagnose', 'fix'],
  fix: ['diagnose'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** Relative module specifiers of a file's import/export statements (type-only ones included); comments and template text blanked first. */
function relativeImports(source: string): string[] {
  const code = source
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

/** The src/core folder a file or import target is in ("diagnose" for src/core/diagnose/checks/x.ts). */
function coreFolder(path: string): string {
  return relative(CORE, path).split(/[\\/]/)[0]!;
}

/** Imports of `file` that cross into a folder its own folder must not import: "fix/propose.ts → diagnose/model.js". */
function wrongWay(file: string, source: string): string[] {
  const banned = FORBIDDEN[coreFolder(file)] ?? [];
  return relativeImports(source)
    .map((spec) => resolve(dirname(file), spec))
    .filter((target) => banned.includes(coreFolder(target)))
    .map((target) => `${relative(CORE, file)} → ${relative(CORE, target)}`);
}

describe('diagnose and fix depend one way', () => {
  it('the reader finds type-only, multi-line and re-export imports, and not printed ones', () => {
    const file = join(CORE, 'fix', 'x.ts');
    const sample = [
      "import type { ModelRun } from '../diagnose/types.js';",
      "import {\n  a,\n  b,\n} from '../diagnose/model.js';",
      "export { c } from '../diagnose/index.js';",
      "import { d } from '../replay/model.js';",
      "const printed = `import x from '../diagnose/run.js'`;",
      "// import y from '../diagnose/run.js';",
    ].join('\n');
    expect(wrongWay(file, sample)).toEqual(['fix/x.ts → diagnose/types.js', 'fix/x.ts → diagnose/model.js', 'fix/x.ts → diagnose/index.js']);
    expect(wrongWay(join(CORE, 'replay', 'y.ts'), "import { e } from '../fix/types.js';")).toEqual(['replay/y.ts → fix/types.js']);
    expect(wrongWay(join(CORE, 'diagnose', 'z.ts'), "import { f } from '../fix/propose.js';")).toEqual([]);
  });

  for (const folder of Object.keys(FORBIDDEN)) {
    it(`src/core/${folder} imports nothing from ${FORBIDDEN[folder]!.map((f) => `src/core/${f}`).join(' or ')}`, () => {
      const all = files(join(CORE, folder));
      expect(all.length).toBeGreaterThan(0);
      expect(all.flatMap((file) => wrongWay(file, readFileSync(file, 'utf8')))).toEqual([]);
    });
  }
});
