/**
 * Diagnosis reuses work (issue 6, "Speed and memory"): each URL is read once (readS3Url), the browser model reuses
 * the S3 answers runModels already computed, the fix reuses the diagnosis's model run, and finding texts and access
 * deltas are remembered. None of it may change a result: these tests
 * compare every reuse with the work done afresh, over the evidence and HAR fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, pageRequestFromExchange } from '../../../src/core/diagnose/index.js';
import { runModels, s3ModelResponder } from '../../../src/core/replay/model.js';
import { isS3Url, parseS3Url, readS3Url } from '../../../src/core/endpoint/index.js';
import { runBrowserFetch } from '../../../src/core/fetch/index.js';
import { proposeFix } from '../../../src/core/fix/index.js';
import { readHarText } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import { triageJson } from '../../../src/core/report/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { triageExchanges, type TriageOptions } from '../../../src/core/triage/index.js';
import { loadEvidenceFixtures } from '../diagnose/evidence-fixtures.js';

const HAR_DIR = join(import.meta.dirname, '../../fixtures/har');
const harFixtures = readdirSync(HAR_DIR)
  .filter((name) => name.endsWith('.har'))
  .sort();
const evidenceFixtures = loadEvidenceFixtures();

const config = (rules: unknown[]) => parsePolicy(JSON.stringify(rules)).config;

/** Bucket states that take every path of the reuse: no region, a region, OPTIONS to clean up, a wildcard. */
const BUCKETS: Array<[string, BucketState, string | undefined]> = [
  [
    'one exact rule',
    {
      kind: 'cors',
      config: config([
        { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'], ExposeHeaders: ['ETag'] },
      ]),
    },
    undefined,
  ],
  [
    'OPTIONS listed (cleaned up first)',
    {
      kind: 'cors',
      config: { rules: [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'OPTIONS'], allowedHeaders: [], exposeHeaders: [] }] },
    },
    undefined,
  ],
  ['wildcard origin', { kind: 'cors', config: config([{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'] }]) }, undefined],
  [
    'bucket region',
    { kind: 'cors', region: 'eu-west-1', config: config([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET'] }]) },
    undefined,
  ],
  ['region from the context', { kind: 'cors', config: config([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET'] }]) }, 'us-west-2'],
  ['no CORS configuration', { kind: 'no-cors' }, undefined],
];

/** Plain JSON, so values compare and object identity does not. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('reading each URL once', () => {
  const urls = new Set<string>();
  for (const fixture of evidenceFixtures) {
    urls.add(fixture.exchange.request.url);
    if (fixture.exchange.preflight) urls.add(fixture.exchange.preflight.request.url);
  }
  for (const name of harFixtures) for (const exchange of readHarText(readFileSync(join(HAR_DIR, name), 'utf8')).exchanges) urls.add(exchange.request.url);
  urls.add('https://b.s3.amazonaws.com/k?uploadId=abc');
  urls.add('https://b.s3.amazonaws.com/k?uploadId=abc&partNumber=3');
  urls.add('not a url');
  // Longer than the readings cache keeps: read afresh each time.
  urls.add(`https://b.s3.amazonaws.com/${'k'.repeat(9000)}?uploadId=abc`);

  it('readS3Url gives what parseS3Url gives, for every method (the multipart step depends on it)', () => {
    for (const url of urls) {
      for (const method of [undefined, 'GET', 'PUT', 'POST', 'DELETE', 'OPTIONS']) expect(readS3Url(url, method)).toEqual(parseS3Url(url, method));
    }
  });

  it('isS3Url answers what parseS3Url(url).isS3 answers', () => {
    for (const url of urls) expect(isS3Url(url)).toBe(parseS3Url(url).isS3);
  });

  it('a caller changing what parseS3Url returned does not change later readings', () => {
    const url =
      'https://photos.s3.eu-west-1.amazonaws.com/a.jpg?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host';
    const before = plain(readS3Url(url, 'PUT'));
    const mine = parseS3Url(url, 'PUT');
    mine.bucket = 'changed';
    mine.presign!.signedHeaders.push('changed');
    mine.subresources.push('changed');
    expect(plain(readS3Url(url, 'PUT'))).toEqual(before);
    expect(plain(parseS3Url(url, 'PUT'))).toEqual(before);
  });
});

describe('running the models once per diagnosis', () => {
  for (const fixture of evidenceFixtures) {
    const page = pageRequestFromExchange(fixture.exchange);
    if (!page || page.mode === 'no-cors') continue;
    for (const [name, bucket, bucketRegion] of BUCKETS) {
      const options = bucketRegion ? { bucketRegion } : {};
      it(`${fixture.file}, ${name}: the browser verdict reusing the S3 answers equals a fresh browser run`, () => {
        expect(plain(runModels(page, bucket, options).browser)).toEqual(plain(runBrowserFetch(page, s3ModelResponder(bucket, options))));
      });
      it(`${fixture.file}, ${name}: the fix proposed from the diagnosis's model run equals the one proposed without it`, () => {
        const mustRead = ['ETag'];
        const modelRun = runModels(page, bucket, options);
        expect(plain(proposeFix(page, bucket, { mustRead, modelRun, ...options }))).toEqual(plain(proposeFix(page, bucket, { mustRead, ...options })));
      });
    }
  }
});

describe('remembered results do not leak between requests or runs', () => {
  const bucketOptions: Array<[string, TriageOptions]> = [
    ['no configuration', {}],
    ...BUCKETS.map(([name, bucket, bucketRegion]): [string, TriageOptions] => [
      name,
      { bucketState: () => (bucketRegion ? { ...bucket, region: bucketRegion } : bucket) },
    ]),
  ];

  /** Triage with fresh module instances: every cache empty. */
  async function coldTriageJson(text: string, options: TriageOptions): Promise<unknown> {
    vi.resetModules();
    const har = await import('../../../src/core/har/index.js');
    const triage = await import('../../../src/core/triage/index.js');
    const report = await import('../../../src/core/report/index.js');
    const read = har.readHarText(text);
    return plain(
      report.triageJson(
        triage.triageExchanges(read.exchanges, { ...options, totalEntries: read.totalEntries, gaps: read.gaps, now: new Date('2026-11-28T08:00:00Z') }),
      ),
    );
  }

  function warmTriageJson(text: string, options: TriageOptions): unknown {
    const read = readHarText(text);
    return plain(
      triageJson(triageExchanges(read.exchanges, { ...options, totalEntries: read.totalEntries, gaps: read.gaps, now: new Date('2026-11-28T08:00:00Z') })),
    );
  }

  it('every HAR fixture triages the same with empty caches as after all the others were triaged (twice)', async () => {
    // Warm every cache with every fixture and configuration first.
    for (const name of harFixtures) for (const [, options] of bucketOptions) warmTriageJson(readFileSync(join(HAR_DIR, name), 'utf8'), options);
    for (const name of harFixtures) {
      const text = readFileSync(join(HAR_DIR, name), 'utf8');
      for (const [label, options] of bucketOptions) {
        expect(warmTriageJson(text, options), `${name}, ${label}`).toEqual(await coldTriageJson(text, options));
      }
    }
    // Budget: 11 fixtures × 7 bucket states, each triaged warm and then cold — 77 module-graph reloads
    // (vi.resetModules) whose code runs unoptimised again. Measured 3.9 s alone and 6.1 s with the machine busy
    // (about 2.6 s reloading, 2.1 s cold triage, 1 s warm); reported 9–12 s on a loaded 2-core CI machine. The
    // product's own work is ~12 ms a triage (the access delta ~2 ms of it), so the time is the emptied caches this
    // test exists to have; 60 s leaves 5× headroom over the worst seen, so only a hang fails it.
  }, 60_000);

  it('every evidence fixture diagnoses the same twice in a row and after all the others', () => {
    const first = evidenceFixtures.map((fixture) => plain(diagnose(fixture.exchange, fixture.context)));
    const again = evidenceFixtures.map((fixture) => plain(diagnose(fixture.exchange, fixture.context)));
    expect(again).toEqual(first);
  });
});
