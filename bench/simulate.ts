/**
 * S3 model throughput (issue 2, "Done when"): a 100-rule configuration where only the last rule matches (worst
 * case) and a typical 3-rule one, against baselines measured in the same run:
 *  - naive: a straightforward uncompiled evaluation (patterns turned into RegExps and lists lower-cased on every
 *    request, as several S3 emulators do), producing the same answer without a trace;
 *  - recompile: compile the configuration for every request (compileBucket without its cache), then simulate;
 *  - reparse: parse the configuration's XML with parsePolicy, then simulate (what a tool without a model cache does).
 * simulateS3 also caches URL understanding per URL (bounded); the benchmark repeats one URL, as a page does.
 */
import { formatMicros, formatRate, measure, registerBenchmark, table } from './harness.ts';
import { compileBucket, simulateCompiled, simulateS3 } from '../src/core/s3/index.ts';
import { parsePolicy, renderPolicy } from '../src/core/policy/index.ts';
import type { CorsConfiguration, CorsRule } from '../src/core/policy/types.ts';
import type { HttpRequest } from '../src/core/http/index.ts';

const TARGET_MICROS = 5;

function uploadRule(origin: string, id: string): CorsRule {
  return {
    id,
    allowedOrigins: [origin],
    allowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
    allowedHeaders: ['content-type', 'x-amz-*', 'amz-sdk-invocation-id', 'amz-sdk-request'],
    exposeHeaders: ['ETag', 'x-amz-version-id'],
    maxAgeSeconds: 3000,
  };
}

const hundredRules: CorsConfiguration = {
  rules: Array.from({ length: 100 }, (_, i) => uploadRule(i % 10 === 5 ? `https://*.tenant${i}.example.com` : `https://app${i}.example.com`, `rule-${i}`)),
};
const typical: CorsConfiguration = {
  rules: [
    { id: 'public-read', allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: [], exposeHeaders: [] },
    uploadRule('https://app.example.com', 'uploads'),
    { id: 'admin', allowedOrigins: ['https://admin.example.com'], allowedMethods: ['DELETE'], allowedHeaders: ['*'], exposeHeaders: [] },
  ],
};

const URL = 'https://uploads.s3.us-east-1.amazonaws.com/user/42/avatar.png';
const preflight = (origin: string): HttpRequest => ({
  method: 'OPTIONS',
  url: URL,
  headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-date,x-amz-content-sha256,amz-sdk-request' },
});

/** The straightforward evaluation: everything derived from the configuration on every request, no trace. */
function naiveEvaluate(config: CorsConfiguration, request: HttpRequest): { status: number; matchedRule: number | null; headers: Record<string, string> } {
  const origin = request.headers.origin;
  // Never here: every case is a preflight with an Origin.
  if (origin === undefined) return { status: 403, matchedRule: null, headers: {} };
  const method = request.headers['access-control-request-method'] ?? request.method;
  const requested = (request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const glob = (pattern: string, flags = '') => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, flags);
  for (let r = 0; r < config.rules.length; r++) {
    const rule = config.rules[r];
    if (rule === undefined) continue;
    const originPattern = rule.allowedOrigins.find((p) => glob(p).test(origin));
    if (originPattern === undefined || !rule.allowedMethods.includes(method)) continue;
    const allowed = rule.allowedHeaders.map((h) => h.toLowerCase());
    if (!requested.every((name) => allowed.some((p) => glob(p, 'i').test(name)))) continue;
    const headers: Record<string, string> = { 'access-control-allow-origin': originPattern === '*' ? '*' : origin };
    if (originPattern !== '*') headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = rule.allowedMethods.join(', ');
    if (requested.length) headers['access-control-allow-headers'] = requested.join(', ');
    if (rule.exposeHeaders.length) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
    if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
    headers.vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
    return { status: 200, matchedRule: r, headers };
  }
  return { status: 403, matchedRule: null, headers: {} };
}

interface Case {
  name: string;
  config: CorsConfiguration;
  request: HttpRequest;
}

const cases: Case[] = [
  { name: '100 rules, last matches', config: hundredRules, request: preflight('https://app99.example.com') },
  { name: '100 rules, none match (403)', config: hundredRules, request: preflight('https://evil.example.net') },
  { name: '3 rules, typical upload', config: typical, request: preflight('https://app.example.com') },
];

function checkAgreement(c: Case): void {
  const model = simulateS3({ kind: 'cors', config: c.config }, c.request);
  const naive = naiveEvaluate(c.config, c.request);
  if (model.matchedRule !== naive.matchedRule || model.status !== naive.status) {
    throw new Error(
      `${c.name}: the naive baseline disagrees with the model (rule ${naive.matchedRule} vs ${model.matchedRule}); the comparison would be meaningless`,
    );
  }
}

registerBenchmark({
  name: 'S3 model: simulateS3 (preflight with 4 requested headers)',
  run() {
    const rows = [['case', 'µs/request', 'requests/s', 'naive µs', 'recompile µs', 'reparse µs', 'vs naive', 'vs recompile', 'vs reparse']];
    for (const c of cases) checkAgreement(c);
    // The model first for every case, so the baselines' garbage cannot slow it down.
    const models = cases.map((c) => {
      const bucket = { kind: 'cors' as const, config: c.config };
      return { c, model: measure(() => simulateS3(bucket, c.request)) };
    });
    let worst = 0;
    models.forEach(({ c, model }) => {
      const bucket = { kind: 'cors' as const, config: c.config };
      const xml = renderPolicy(c.config, 'xml');
      const naive = measure(() => naiveEvaluate(c.config, c.request));
      const recompile = measure(() => simulateCompiled(compileBucket(bucket, { cache: false }), c.request));
      const reparse = measure(
        () => simulateCompiled(compileBucket({ kind: 'cors', config: parsePolicy(xml, { format: 'xml' }).config }, { cache: false }), c.request),
        100,
      );
      if (c === cases[0]) worst = model.microsPerOp;
      const ratio = (baseline: number) => `${(baseline / model.microsPerOp).toFixed(1)}×`;
      rows.push([
        c.name,
        formatMicros(model.microsPerOp),
        formatRate(model.opsPerSecond),
        formatMicros(naive.microsPerOp),
        formatMicros(recompile.microsPerOp),
        formatMicros(reparse.microsPerOp),
        ratio(naive.microsPerOp),
        ratio(recompile.microsPerOp),
        ratio(reparse.microsPerOp),
      ]);
    });
    const verdict = worst < TARGET_MICROS ? 'met' : 'NOT met on this run';
    return (
      `${table(rows)}(CPU time per request, median of 7 samples. simulateS3 returns the full answer: status, headers, per-rule trace, behaviours, notes; the naive baseline returns headers only.)\n` +
      `target: 100-rule worst case under ${TARGET_MICROS} µs/request — ${verdict} (${formatMicros(worst)} µs)\n`
    );
  },
});
