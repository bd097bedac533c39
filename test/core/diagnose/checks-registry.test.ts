import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECKS, FINDING_CODES, type Check, type Finding } from '../../../src/core/diagnose/index.js';
import { CODE_EFFECTS } from '../../../src/core/diagnose/checks/index.js';
import { buildEvidence } from '../../../src/core/diagnose/evidence.js';
import { runChecks } from '../../../src/core/diagnose/run.js';
import { EVIDENCE_DIR, loadEvidenceFixtures } from './evidence-fixtures.js';

const CHECKS_DIR = resolve(import.meta.dirname, '../../../src/core/diagnose/checks');
const DOCS_DIR = resolve(import.meta.dirname, '../../../docs/findings');
const NOT_CHECKS = new Set(['index.ts', 'support.ts']);

/** NOT_CORS_NETWORK_ERROR → not-cors-network-error */
const kebab = (code: string) => code.toLowerCase().replaceAll('_', '-');

describe('diagnosis checks registry (one concern per file)', () => {
  const files = readdirSync(CHECKS_DIR).filter((name) => name.endsWith('.ts') && !NOT_CHECKS.has(name));
  const fixtureFiles = readdirSync(EVIDENCE_DIR).filter((name) => name.endsWith('.json'));

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

  it('names every check after the family of its first declared code (check id = code family)', () => {
    for (const check of CHECKS) expect(kebab(Object.keys(check.codes)[0] ?? ''), check.id).toBe(check.id);
  });

  it('declares each code in one check only, with a complete effect', () => {
    const declared = CHECKS.flatMap((check) => Object.keys(check.codes));
    expect(declared.length).toBe(new Set(declared).size);
    expect([...FINDING_CODES]).toEqual(declared);
    for (const [code, effect] of CODE_EFFECTS) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(['cors', 'not-cors', 'not-cors-refused'], code).toContain(effect.cause);
      expect(typeof effect.blocks, code).toBe('boolean');
      expect(typeof effect.configFix, code).toBe('boolean');
      expect(effect.headline.length, code).toBeGreaterThan(10);
    }
  });

  describe.each(CHECKS.map((check) => [check.id, check] as const))('%s', (_id, check) => {
    it.each(Object.keys(check.codes))('%s has an evidence fixture and a docs/findings page', (code) => {
      expect(
        fixtureFiles.filter((name) => name === `${code}.json` || name.startsWith(`${code}.`)),
        `no test/fixtures/evidence/${code}[.*].json`,
      ).not.toEqual([]);
      expect(existsSync(resolve(DOCS_DIR, `${code}.md`)), `no docs/findings/${code}.md`).toBe(true);
    });
  });

  it('every check emits only the codes it declares (over every evidence fixture)', () => {
    const undeclared = new Set<string>();
    const emitted = new Set<string>();
    const watched: Check[] = CHECKS.map((check) => ({
      ...check,
      evaluate(evidence, earlier) {
        const found: Finding[] = check.evaluate(evidence, earlier);
        for (const finding of found) {
          emitted.add(finding.code);
          if (!Object.hasOwn(check.codes, finding.code)) undeclared.add(`${check.id} → ${finding.code}`);
        }
        return found;
      },
    }));
    for (const fixture of loadEvidenceFixtures()) runChecks(buildEvidence(fixture.exchange, fixture.context), watched);
    expect([...undeclared]).toEqual([]);
    // The watch saw every code, so the assertion above covered each declaration.
    expect([...emitted].sort()).toEqual([...FINDING_CODES].sort());
  });
});
