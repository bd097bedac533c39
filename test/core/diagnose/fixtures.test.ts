import { diagnose, FINDING_CODES } from '../../../src/core/diagnose/index.js';
import { configLetsRequestPass } from '../../../src/core/fix/index.js';
import { pageRequestFromExchange } from '../../../src/core/diagnose/index.js';
import { loadEvidenceFixtures } from './evidence-fixtures.js';

const fixtures = loadEvidenceFixtures();

describe('diagnosis of recorded evidence (test/fixtures/evidence)', () => {
  for (const fixture of fixtures) {
    describe(`${fixture.file}: ${fixture.description}`, () => {
      const diagnosis = diagnose(fixture.exchange, fixture.context);
      const codes = diagnosis.findings.map((f) => f.code);
      const named = diagnosis.findings.find((f) => f.code === fixture.code);

      it(`finds ${fixture.expect.codes.join(', ')}`, () => {
        expect(codes).toEqual(expect.arrayContaining(fixture.expect.codes));
        expect(named, `no ${fixture.code} among ${codes.join(', ')}`).toBeDefined();
      });
      if (fixture.expect.absentCodes) {
        it(`does not find ${fixture.expect.absentCodes.join(', ')}`, () => {
          for (const code of fixture.expect.absentCodes!) expect(codes).not.toContain(code);
        });
      }
      if (fixture.expect.outcome) {
        it(`outcome is ${fixture.expect.outcome}`, () => expect(diagnosis.outcome).toBe(fixture.expect.outcome));
      }
      if (fixture.expect.rule !== undefined) {
        it(`names rule index ${fixture.expect.rule}`, () => expect(named?.rule).toBe(fixture.expect.rule));
      }
      if (fixture.expect.messageIncludes) {
        it('says what the evidence proves', () => expect(named?.message).toContain(fixture.expect.messageIncludes));
      }
      if (fixture.expect.detailIncludes) {
        it('explains the detail', () => expect(named?.detail).toContain(fixture.expect.detailIncludes));
      }
      it('lists findings most important first (errors, then warnings, then notes)', () => {
        const rank = { error: 0, warning: 1, info: 2 } as const;
        const ranks = diagnosis.findings.map((f) => rank[f.severity]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      });
      it('gives every finding a message, detail and fix', () => {
        for (const finding of diagnosis.findings) {
          expect(finding.message.length).toBeGreaterThan(10);
          expect(finding.detail.length).toBeGreaterThan(10);
          expect(finding.fix.length).toBeGreaterThan(5);
        }
      });
      if (fixture.expect.fixVerified !== undefined) {
        it(`proposes a fix the models ${fixture.expect.fixVerified ? 'verify' : 'cannot verify'}`, () => {
          expect(diagnosis.fix?.config).toBeTruthy();
          expect(diagnosis.fix?.verified).toBe(fixture.expect.fixVerified);
          // Re-verify independently of the proposer: the fixed configuration lets the page request pass.
          const page = pageRequestFromExchange(fixture.exchange)!;
          const mustRead = diagnosis.findings.some((f) => f.code === 'HEADER_NOT_EXPOSED') ? ['ETag'] : [];
          expect(configLetsRequestPass({ rules: diagnosis.fix!.config! }, page, mustRead)).toBe(fixture.expect.fixVerified);
          if (fixture.expect.fixChange) expect(diagnosis.fix!.changes[0]?.kind).toBe(fixture.expect.fixChange);
        });
      }
    });
  }

  it('has at least one fixture for every finding code', () => {
    const covered = new Set(fixtures.map((f) => f.code));
    expect(FINDING_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});
