/**
 * One copy of each thing (issue 12 item 5): the five methods S3 accepts in a CORS rule are written once, in
 * src/core/policy/methods.ts; the validator, the renderers, the S3 model and the fix import them. Four files had
 * their own copy before.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** The five method names written as one list, in any order, quoted with ' or ". */
const METHOD_LIST = /\[\s*(['"])(?:GET|PUT|POST|DELETE|HEAD)\1(?:\s*,\s*(['"])(?:GET|PUT|POST|DELETE|HEAD)\2){4}\s*,?\s*\]/g;

function listsIn(source: string): number {
  return [...source.matchAll(METHOD_LIST)].length;
}

describe('the methods a CORS rule may name are written once', () => {
  it('the reader finds a list in any order and either quote, and not a shorter one', () => {
    expect(listsIn("const a = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];")).toBe(1);
    expect(listsIn('new Set(["HEAD","GET","PUT","POST","DELETE"])')).toBe(1);
    expect(listsIn("['GET', 'HEAD']")).toBe(0);
  });

  it('in src/core/policy/methods.ts and nowhere else under src', () => {
    const found = files(SRC).filter((file) => listsIn(readFileSync(file, 'utf8')) > 0);
    expect(found.map((file) => relative(SRC, file))).toEqual(['core/policy/methods.ts']);
  });
});
