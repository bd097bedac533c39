import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECKS } from '../../../src/core/diagnose/index.js';

const CHECKS_DIR = resolve(import.meta.dirname, '../../../src/core/diagnose/checks');
const NOT_CHECKS = new Set(['index.ts', 'support.ts']);

describe('diagnosis checks registry (one concern per file)', () => {
  const files = readdirSync(CHECKS_DIR).filter((name) => name.endsWith('.ts') && !NOT_CHECKS.has(name));

  it('registers every check file exactly once, under its kebab-case file name', () => {
    expect(CHECKS.map((c) => `${c.id}.ts`).sort()).toEqual([...files].sort());
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('gives every check a title and declared requirements', () => {
    for (const check of CHECKS) {
      expect(check.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.title.length).toBeGreaterThan(5);
      expect(Array.isArray(check.requires)).toBe(true);
    }
  });
});
