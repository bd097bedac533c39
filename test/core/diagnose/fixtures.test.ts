import { diagnose, FINDING_CODES } from '../../../src/core/diagnose/index.js';
import { configLetsRequestPass } from '../../../src/core/fix/index.js';
import { validatePolicy, type CorsRule } from '../../../src/core/policy/index.js';
import { pageRequestFromExchange } from '../../../src/core/diagnose/index.js';
import { loadEvidenceFixtures } from './evidence-fixtures.js';

const fixtures = loadEvidenceFixtures();

describe('diagnosis of recorded evidence (test/fixtures/evidence)', () => {
  for (const fixture of fixtures) {
    describe(`${fixture.file}: ${fixture.description}`, () => {
      const diagnosis = diagnose(fixture.exchange, fixture.context);
      const codes = diagnosis.findings.map((f) => f.code);
      const named = diagnosis.findings.find((f) => f.code === fixture.code);

      it(`finds exactly ${fixture.expect.codes.join(', ')}`, () => {
        // Exact: an extra finding is either listed here (it is right) or a bug.
        expect([...codes].sort()).toEqual([...fixture.expect.codes].sort());
        expect(named, `no ${fixture.code} among ${codes.join(', ')}`).toBeDefined();
      });
      it('states whether its configuration fix is verified, when it proposes one', () => {
        if (diagnosis.fix?.config)
          expect(fixture.expect.fixVerified, 'a fixture whose diagnosis proposes a configuration must state fixVerified').toBeTypeOf('boolean');
        else expect(fixture.expect.fixVerified, 'fixVerified stated but no configuration fix proposed').toBeUndefined();
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
        const page = pageRequestFromExchange(fixture.exchange)!;
        it(`proposes a fix the models ${fixture.expect.fixVerified ? 'verify' : 'cannot verify'}`, () => {
          expect(diagnosis.fix?.config).toBeTruthy();
          expect(diagnosis.fix?.verified).toBe(fixture.expect.fixVerified);
          // Re-verify: the fixed configuration lets the page request pass and PutBucketCors would accept it.
          const mustRead = diagnosis.findings.some((f) => f.code === 'HEADER_NOT_EXPOSED') ? ['ETag'] : [];
          const applicable = validatePolicy({ rules: diagnosis.fix!.config! }).length === 0;
          expect(configLetsRequestPass({ rules: diagnosis.fix!.config! }, page, mustRead) && applicable).toBe(fixture.expect.fixVerified);
          if (fixture.expect.fixChange) expect(diagnosis.fix!.changes[0]?.kind).toBe(fixture.expect.fixChange);
        });
        it('widens nothing: no wildcard introduced, no write method added to a wildcard-origin rule, an access delta within the request', () => {
          const before = fixture.context.bucket?.kind === 'cors' ? fixture.context.bucket.config.rules : [];
          const after = diagnosis.fix!.config!;
          const wild = (rules: CorsRule[], key: 'allowedOrigins' | 'allowedHeaders') => new Set(rules.flatMap((r) => r[key].filter((v) => v.includes('*'))));
          for (const key of ['allowedOrigins', 'allowedHeaders'] as const)
            for (const value of wild(after, key)) expect(wild(before, key).has(value), `${key} gained ${value}`).toBe(true);
          for (const rule of after) {
            const wildcards = rule.allowedOrigins.filter((o) => o.includes('*'));
            if (!wildcards.length) continue;
            const had = new Set(before.filter((r) => wildcards.every((o) => r.allowedOrigins.includes(o))).flatMap((r) => r.allowedMethods));
            for (const method of rule.allowedMethods.filter((m) => ['PUT', 'POST', 'DELETE'].includes(m)))
              expect(had.has(method), `${method} added to a wildcard-origin rule`).toBe(true);
          }
          expect(diagnosis.fix!.accessDelta, 'a configuration fix carries its access delta').toBeDefined();
          expect(diagnosis.fix!.accessDelta!.withinRequest).toBe(true);
          expect(diagnosis.fix!.accessDelta!.allows.every((g) => g.origin === page.origin)).toBe(true);
        });
      }
    });
  }

  it('has at least one fixture for every finding code', () => {
    const covered = new Set(fixtures.map((f) => f.code));
    expect(FINDING_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});
