/**
 * The layer map of README's "How it is built", enforced: every import in src/ (static, `export … from`, `import type`,
 * side-effect and dynamic `import()`) is read and checked against the layer it starts from. A crossing import fails
 * with file:line → imported file → the rule it breaks. The checker is proven on planted crossings below.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const RUNTIME_DEPENDENCIES = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies,
);

type Layer =
  | 'core'
  | 'messages'
  | 'platform'
  | 'background'
  | 'devtools'
  | 'panel/main'
  | 'panel/controller'
  | 'panel/model'
  | 'panel/view'
  | 'cli'
  | 'sandbox'
  | 'package.json'
  | 'outside src';

/** The layer of a path relative to the repository root (posix separators). */
function layerOf(path: string): Layer {
  if (path === 'package.json') return 'package.json';
  if (!path.startsWith('src/')) return 'outside src';
  const inSrc = path.slice('src/'.length).replace(/\.(ts|tsx|js|jsx)$/, '');
  const top = inSrc.split('/')[0]!;
  if (inSrc === 'messages' || top === 'messages') return 'messages';
  if (top === 'panel') {
    if (inSrc === 'panel/main') return 'panel/main';
    if (inSrc === 'panel/controller') return 'panel/controller';
    if (inSrc === 'panel/model') return 'panel/model';
    return 'panel/view';
  }
  if (top === 'core' || top === 'platform' || top === 'background' || top === 'devtools' || top === 'cli' || top === 'sandbox') return top;
  return 'outside src';
}

/** What each layer may import (besides packages, below). Imports point down: core ← platform ← the contexts. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  messages: ['core', 'messages'],
  platform: ['core', 'messages', 'platform'],
  background: ['core', 'messages', 'platform', 'background'],
  devtools: ['core', 'messages', 'platform', 'devtools'],
  'panel/main': ['core', 'messages', 'platform', 'panel/controller', 'panel/model', 'panel/view'],
  'panel/controller': ['core', 'messages', 'platform', 'panel/model'],
  'panel/model': ['core', 'messages'],
  'panel/view': ['core', 'panel/model', 'panel/view'],
  cli: ['core', 'cli', 'sandbox', 'package.json'],
  // The local S3-compatible server `serve` starts (and the tests and demo use): Node and the core's S3 model.
  sandbox: ['core', 'sandbox'],
  'package.json': [],
  'outside src': [],
};

/** Packages each layer may import: the core only pure, browser-free ones; only platform touches the extension API. */
function packageAllowed(layer: Layer, specifier: string): boolean {
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  switch (layer) {
    case 'core':
      return pkg === 'yaml';
    case 'platform':
      return pkg === 'webextension-polyfill' || pkg === 'aws4fetch';
    case 'panel/main':
    case 'panel/view':
      return pkg === 'preact';
    case 'sandbox':
      return pkg.startsWith('node:');
    case 'cli':
      // Node's own modules and the package's runtime dependencies (what an installed CLI has).
      return pkg.startsWith('node:') || RUNTIME_DEPENDENCIES.includes(pkg);
    default:
      return false;
  }
}

/**
 * Finer rules inside the core, with the imports known to break them when the rule was written. The lead removes an
 * entry once the branch that fixes it is merged; an entry that no longer occurs fails, so none outlives its fix.
 */
const CORE_RULES: Array<{ from: string; to: string; rule: string; known: ReadonlyArray<readonly [string, string]> }> = [
  // One direction in the core's decision path: replay ← fix ← diagnose (diagnose runs the checks, then asks fix).
  { from: 'src/core/fix/', to: 'src/core/diagnose/', rule: 'core/fix must not import core/diagnose (diagnose depends on fix, one way)', known: [] },
  { from: 'src/core/replay/', to: 'src/core/diagnose/', rule: 'core/replay must not import core/diagnose (both diagnose and fix build on replay)', known: [] },
  { from: 'src/core/replay/', to: 'src/core/fix/', rule: 'core/replay must not import core/fix (both diagnose and fix build on replay)', known: [] },
];

/**
 * The source with comments, template-literal text and regular-expression literals blanked (line breaks kept, so
 * line numbers hold); quoted strings are kept, since import specifiers are quoted strings. Linear in the source.
 */
const isWordChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$';
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

function codeOf(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const templateOpenedAt: number[] = [];
  let depth = 0;
  let prev = '';
  let word = '';
  let i = 0;
  /** From just inside a template literal to its end, or into its next `${`; returns where code resumes. */
  const template = (start: number): number => {
    let p = start;
    while (p < source.length) {
      if (source[p] === '\\') p += 2;
      else if (source[p] === '`') {
        blank(start, p);
        return p + 1;
      } else if (source[p] === '$' && source[p + 1] === '{') {
        blank(start, p);
        templateOpenedAt.push(depth);
        depth++;
        return p + 2;
      } else p++;
    }
    blank(start, p);
    return p;
  };
  const regexMayStart = () =>
    prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || /^(return|typeof|case|in|of|new|delete|void|throw|instanceof|yield|await|else|do)$/.test(word);
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let p = i + 1;
      while (p < source.length && source[p] !== c && source[p] !== '\n') p += source[p] === '\\' ? 2 : 1;
      i = p + 1;
      prev = c;
      word = '';
    } else if (c === '`') {
      i = template(i + 1);
      prev = '`';
      word = '';
    } else if (c === '/' && regexMayStart()) {
      let p = i + 1;
      let inClass = false;
      while (p < source.length && source[p] !== '\n' && (inClass || source[p] !== '/')) {
        if (source[p] === '\\') p++;
        else if (source[p] === '[') inClass = true;
        else if (source[p] === ']') inClass = false;
        p++;
      }
      blank(i + 1, p);
      i = p + 1;
      prev = '/';
      word = '';
    } else {
      if (c === '{') depth++;
      if (c === '}') {
        depth--;
        if (templateOpenedAt.length > 0 && templateOpenedAt[templateOpenedAt.length - 1] === depth) {
          templateOpenedAt.pop();
          i = template(i + 1);
          prev = '`';
          word = '';
          continue;
        }
      }
      if (isWordChar(c)) word = isWordChar(prev) ? word + c : c;
      else if (!isSpace(c)) word = '';
      if (!isSpace(c)) prev = c;
      i++;
    }
  }
  return out.join('');
}

interface ImportSite {
  specifier: string;
  line: number;
  /** An `import()` whose argument is not a plain string: it cannot be checked. */
  computed?: true;
}

function importsOf(source: string): ImportSite[] {
  const code = codeOf(source);
  const lineStarts = [0];
  for (let k = code.indexOf('\n'); k >= 0; k = code.indexOf('\n', k + 1)) lineStarts.push(k + 1);
  const lineAt = (index: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= index) line++;
    return line + 1;
  };
  const sites: Array<ImportSite & { index: number }> = [];
  const statics =
    /(?:^|[;}])\s*(?:import|export)\b(?:(?!\n\s*(?:import|export)\b)[^;'"`])*?\bfrom\s*(['"])([^'"\n]+)\1|(?:^|[;}])\s*import\s*(['"])([^'"\n]+)\3/gm;
  for (const m of code.matchAll(statics)) {
    const at = m.index + m[0].search(/\b(import|export)\b/);
    sites.push({ specifier: m[2] ?? m[4]!, line: lineAt(at), index: at });
  }
  for (const m of code.matchAll(/(?<![\w$.])import\s*\(\s*(?:(['"])([^'"\n]+)\1)?/g)) {
    sites.push(
      m[2] !== undefined
        ? { specifier: m[2], line: lineAt(m.index), index: m.index }
        : { specifier: '', line: lineAt(m.index), index: m.index, computed: true },
    );
  }
  return sites.sort((a, b) => a.index - b.index).map(({ index: _index, ...site }) => site);
}

interface SourceFile {
  /** Relative to the repository root, posix separators: `src/panel/App.tsx`. */
  path: string;
  source: string;
}

interface Crossing {
  file: string;
  line: number;
  imported: string;
  rule: string;
}

/** Every import in `files` that breaks the map, and every known-violation entry that no longer occurs. */
function crossings(files: readonly SourceFile[], coreRules: typeof CORE_RULES = CORE_RULES): { crossings: Crossing[]; staleKnown: string[] } {
  const found: Crossing[] = [];
  const knownSeen = new Set<string>();
  for (const { path, source } of files) {
    const from = layerOf(path);
    for (const site of importsOf(source)) {
      if (site.computed) {
        found.push({
          file: path,
          line: site.line,
          imported: '(computed)',
          rule: 'a dynamic import() names its module as a plain string, so the map can be checked',
        });
        continue;
      }
      if (!site.specifier.startsWith('.')) {
        if (!packageAllowed(from, site.specifier))
          found.push({ file: path, line: site.line, imported: site.specifier, rule: `${from} may not import the package ${site.specifier}` });
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(path), site.specifier));
      const to = layerOf(target);
      if (!MAY_IMPORT[from].includes(to)) {
        found.push({ file: path, line: site.line, imported: target, rule: `${from} may import only ${MAY_IMPORT[from].join(', ') || 'nothing'}` });
        continue;
      }
      for (const rule of coreRules) {
        if (!path.startsWith(rule.from) || !target.startsWith(rule.to)) continue;
        const targetTs = target.replace(/\.js$/, '.ts');
        const known = rule.known.find(([f, t]) => f === path && t === targetTs);
        if (known) knownSeen.add(`${known[0]} → ${known[1]}`);
        else found.push({ file: path, line: site.line, imported: target, rule: rule.rule });
      }
    }
  }
  const staleKnown = coreRules.flatMap((rule) => rule.known.map(([f, t]) => `${f} → ${t}`)).filter((entry) => !knownSeen.has(entry));
  return { crossings: found, staleKnown };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

const describeCrossing = (c: Crossing) => `${c.file}:${c.line} → ${c.imported}: ${c.rule}`;

describe('the layer map holds in src/', () => {
  const files = sourceFiles(SRC).map((p) => ({ path: relative(ROOT, p).split('\\').join('/'), source: readFileSync(p, 'utf8') }));

  it('reads every file of src/', () => expect(files.length).toBeGreaterThan(100));

  // Reads all of src/ (a few seconds on a loaded 2-core machine).
  it('no import crosses a layer', { timeout: 60_000 }, () => {
    const result = crossings(files);
    expect(result.crossings.map(describeCrossing)).toEqual([]);
    // A known violation that no longer occurs: remove its entry from CORE_RULES, so the rule guards it from now on.
    expect(result.staleKnown).toEqual([]);
  });
});

describe('the layer checker', () => {
  it('reads static, re-exported, type-only, side-effect and dynamic imports, and no printed or commented ones', () => {
    const sample = [
      "import { a,\n  b } from './a.js';",
      "import type { T } from '../core/t.js';",
      "export * from './x.js';",
      "import './styles.css';",
      "const m = await import('./lazy.js');",
      "const cdk = `import * as s3 from 'aws-cdk-lib/aws-s3';\nimport('nope')`;",
      "// import y from 'commented';",
      "/* import z from 'block'; */",
      "const re = /import x from 'regex'/; const url = 'http://x/*'; import { w } from './after-string.js';",
      "const t = `${`nested ${import('./in-template.js')}`}`;",
    ].join('\n');
    expect(importsOf(sample).map((s) => [s.specifier, s.line])).toEqual([
      ['./a.js', 1],
      ['../core/t.js', 3],
      ['./x.js', 4],
      ['./styles.css', 5],
      ['./lazy.js', 6],
      ['./after-string.js', 11],
      ['./in-template.js', 12],
    ]);
  });

  it('fails on planted crossing imports, naming file, line, imported file and rule', () => {
    const planted: SourceFile[] = [
      { path: 'src/core/s3/simulate.ts', source: "import { x } from '../../panel/model.js';\nimport { readFile } from 'node:fs';" },
      { path: 'src/devtools/har-capture.ts', source: "\nimport { isRelevantExchange } from '../background/relevance.js';" },
      { path: 'src/background/probe.ts', source: "import type { ProbeResult } from '../panel/model.js';" },
      { path: 'src/panel/controller.ts', source: "import { bucketOf } from './view/rows.js';" },
      { path: 'src/panel/components/Toolbar.tsx', source: "import { runtimeBridge } from '../../platform/messaging.js';" },
      { path: 'src/background/index.ts', source: "const c = await import('../cli/main.js');\nconst d = await import(name);" },
      { path: 'src/messages.ts', source: "import browser from 'webextension-polyfill';" },
      { path: 'src/core/fix/propose.ts', source: "import { CHECKS } from '../diagnose/checks/index.js';" },
      { path: 'src/core/replay/model.ts', source: "import { proposeFix } from '../fix/propose.js';" },
    ];
    expect(crossings(planted).crossings.map(describeCrossing)).toEqual([
      'src/core/s3/simulate.ts:1 → src/panel/model.js: core may import only core',
      'src/core/s3/simulate.ts:2 → node:fs: core may not import the package node:fs',
      'src/devtools/har-capture.ts:2 → src/background/relevance.js: devtools may import only core, messages, platform, devtools',
      'src/background/probe.ts:1 → src/panel/model.js: background may import only core, messages, platform, background',
      'src/panel/controller.ts:1 → src/panel/view/rows.js: panel/controller may import only core, messages, platform, panel/model',
      'src/panel/components/Toolbar.tsx:1 → src/platform/messaging.js: panel/view may import only core, panel/model, panel/view',
      'src/background/index.ts:1 → src/cli/main.js: background may import only core, messages, platform, background',
      'src/background/index.ts:2 → (computed): a dynamic import() names its module as a plain string, so the map can be checked',
      'src/messages.ts:1 → webextension-polyfill: messages may not import the package webextension-polyfill',
      'src/core/fix/propose.ts:1 → src/core/diagnose/checks/index.js: core/fix must not import core/diagnose (diagnose depends on fix, one way)',
      'src/core/replay/model.ts:1 → src/core/fix/propose.js: core/replay must not import core/fix (both diagnose and fix build on replay)',
    ]);
  });

  it('lets the allowed directions through', () => {
    const allowed: SourceFile[] = [
      {
        path: 'src/background/index.ts',
        source: "import { x } from '../platform/browser.js';\nimport type { M } from '../messages.js';\nimport { m } from '../core/evidence/merge.js';",
      },
      {
        path: 'src/panel/main.tsx',
        source: "import { render } from 'preact';\nimport { PanelController } from './controller.js';\nimport { App } from './App.js';",
      },
      {
        path: 'src/panel/components/Toolbar.tsx',
        source: "import { useState } from 'preact/hooks';\nimport type { PanelState } from '../model.js';\nimport { rows } from '../view/rows.js';",
      },
      {
        path: 'src/cli/version.ts',
        source: "import { version } from '../../package.json';\nimport { readFile } from 'node:fs/promises';\nimport YAML from 'yaml';",
      },
      { path: 'src/core/diagnose/run.ts', source: "import { proposeFix } from '../fix/propose.js';\nimport { replay } from '../replay/model.js';" },
    ];
    expect(crossings(allowed).crossings).toEqual([]);
  });

  it('reports a known violation that no longer occurs, so its entry is removed', () => {
    const withKnown = [{ ...CORE_RULES[0]!, known: [['src/core/fix/propose.ts', 'src/core/diagnose/run.ts'] as const] }];
    expect(crossings([], withKnown).staleKnown).toEqual(['src/core/fix/propose.ts → src/core/diagnose/run.ts']);
  });
});
