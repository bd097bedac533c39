/**
 * `har --json` streams its document (issue 11, item 5: bounded memory): the pieces must make exactly the text the
 * whole-document serialisation made, for every fixture, and for a report with no request at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHarText } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import { triageJson, triageJsonText } from '../../../src/core/report/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const POLICY = parsePolicy(JSON.stringify([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] }]));

describe('the streamed --json document', () => {
  const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.har'));

  it.each(names)('is the same text as the whole document for %s (with and without a configuration)', (name) => {
    const read = readHarText(readFileSync(join(FIXTURES, name), 'utf8'));
    for (const bucketState of [undefined, () => ({ kind: 'cors' as const, config: POLICY.config })]) {
      const report = triageExchanges(read.exchanges, { ...(bucketState ? { bucketState } : {}), totalEntries: read.totalEntries, gaps: read.gaps });
      for (const options of [{}, { fixFormat: 'terraform' as const }]) {
        expect([...triageJsonText(report, options)].join('')).toBe(`${JSON.stringify(triageJson(report, options), null, 2)}\n`);
      }
    }
  });

  it('is the same text for a report without requests', () => {
    const report = triageExchanges([], { totalEntries: 0, gaps: ['the file ended early'] });
    expect([...triageJsonText(report)].join('')).toBe(`${JSON.stringify(triageJson(report), null, 2)}\n`);
  });
});
