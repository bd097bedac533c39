import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHarText } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import { probeJson, probeText, triageJson, triageMarkdown, triageText } from '../../../src/core/report/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';
import { runProbe } from '../../../src/core/probe/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const POLICY = parsePolicy(JSON.stringify([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] }]));

function report(name: string) {
  const read = readHarText(readFileSync(join(FIXTURES, name), 'utf8'));
  return triageExchanges(read.exchanges, { bucketState: () => ({ kind: 'cors', config: POLICY.config }), totalEntries: read.totalEntries, gaps: read.gaps });
}

const SECRETS = ['IOSFODNN7EXAMPLE', 'Y34FZKBOKMUTVV7A', '4f9a1b6c0e2d8f7a', 'fe5f80f77d5fa3be', 'a1b2c3d4e5f6', 'vjbyPxybdZaNmGa', 'IQoJb3JpZ2luX2VjEXAMPLE'];

describe('reports', () => {
  const names = ['chrome-put-checksum-header.har', 'chrome-preflight-redirect.har', 'chrome-secrets.har', 'firefox-put-origin-refused.har'];

  it.each(names)('never contain a secret of %s, in any format', (name) => {
    const triage = report(name);
    for (const text of [JSON.stringify(triageJson(triage)), triageMarkdown(triage), triageText(triage), triageMarkdown(triage, { fixFormat: 'terraform' })]) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });

  it('JSON has the documented shape', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test walks JSON output loosely; a wrong path fails the assertion
    const json = triageJson(report('chrome-put-checksum-header.har'), { fixFormat: 'xml' }) as Record<string, any>;
    expect(Object.keys(json)).toEqual(['requests', 'groups', 'summary', 'gaps']);
    const [put] = json.requests;
    expect(put).toMatchObject({ method: 'PUT', origin: 'https://app.example.com', status: 0, outcome: 'blocked', group: 'cause-1' });
    expect(put.url).toContain('X-Amz-Signature=REDACTED');
    expect(put.findings[0].code).toBe('HEADERS_NOT_ALLOWED');
    expect(put.fix.rendered.format).toBe('xml');
    expect(put.fix.rendered.text).toContain('<AllowedHeader>x-amz-checksum-crc32</AllowedHeader>');
    expect(json.groups[0].failingCondition).toEqual(['rule 1: origin ✓, method ✓, headers ✗ (x-amz-checksum-crc32)']);
    expect(json.summary).toEqual({ total: 4, s3: 2, failed: 1, byCode: { HEADERS_NOT_ALLOWED: 1, SDK_CHECKSUM_HEADERS: 1 } });
  });

  it('Markdown has, per cause, the evidence, the failing rule condition, the fix and the unknowns', () => {
    const md = triageMarkdown(report('chrome-put-checksum-header.har'), { fixFormat: 'cli' });
    expect(md).toContain('## 1. 1 PUT to bucket `uploads` was blocked');
    expect(md).toContain('**Evidence**\n- Access-Control-Request-Headers: content-type,x-amz-checksum-crc32');
    expect(md).toContain('**Failing rule condition**\n- rule 1: origin ✓, method ✓, headers ✗ (x-amz-checksum-crc32)');
    expect(md).toMatch(/Fixed configuration \(cli, verified against the S3 and browser models\):\n\n```sh\naws s3api put-bucket-cors --bucket uploads/);
    expect(md).toContain("**Could not be determined from this capture**\n- the preflight's response body (S3's XML error) is not in Chrome HARs");
  });

  it('every format states the access the fix adds, computed from the configurations (issue 10 item 2)', () => {
    const triage = report('chrome-put-checksum-header.har');
    // The header is added to the rule (GET, PUT): GET with it comes along, and the delta says so and why.
    const delta =
      'Newly allowed: `https://app.example.com` may now send PUT (x-amz-checksum-crc32). Beyond the failing request: `https://app.example.com` may now send GET (x-amz-checksum-crc32) — ' +
      "a rule's AllowedHeaders apply to all its methods, and this origin could already use that method. Nothing else.";
    expect(triageMarkdown(triage)).toContain(`**Access it adds:** ${delta}`);
    expect(triageText(triage)).toContain(`  access it adds: ${delta}`);
    // biome-ignore lint/suspicious/noExplicitAny: the test walks JSON output loosely; a wrong path fails the assertion
    const json = triageJson(triage) as Record<string, any>;
    expect(json.groups[0].fix.accessDelta.withinRequest).toBe(true);
    expect(json.groups[0].fix.accessDelta.allows).toContainEqual({ origin: 'https://app.example.com', method: 'PUT', header: 'x-amz-checksum-crc32' });
  });

  it('Markdown cannot be turned into links, images or HTML by captured values', () => {
    const triage = report('chrome-put-checksum-header.har');
    triage.groups[0]!.undetermined.push('<img src=x onerror=alert(1)> [click](https://evil.example) `x');
    const md = triageMarkdown(triage);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\> \\[click\\](https://evil.example) \\`x');
  });

  it('renders a probe run in text and JSON', async () => {
    const run = await runProbe(
      { url: 'https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123', origin: 'https://a.example', method: 'PUT', headers: [] },
      async () => ({
        status: 403,
        headers: { 'x-amz-request-id': '1', 'set-cookie': 'AWSALB=secret-cookie; Path=/' },
        body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>',
      }),
      { delayMs: 0 },
    );
    const text = probeText(run);
    expect(text).toContain('→ 403 cors-not-enabled — AccessForbidden: CORSResponse: CORS is not enabled for this bucket.');
    expect(text).toContain('1 preflight sent');
    // biome-ignore lint/suspicious/noExplicitAny: the test walks JSON output loosely; a wrong path fails the assertion
    const json = probeJson(run) as Record<string, any>;
    expect(json.target.url).toBe('https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED');
    expect(json.steps[0].s3Error.code).toBe('AccessForbidden');
    expect(json.steps[0].headers['set-cookie']).toBe('AWSALB=REDACTED; Path=/');
  });
});

describe('terminal safety', () => {
  it('escapes control characters from captured values in text reports', () => {
    const triage = report('chrome-put-checksum-header.har');
    triage.groups[0]!.undetermined.push('\u001b[2J\u001b]0;owned\u0007');
    const text = triageText(triage);
    expect(text).not.toMatch(/[\u001b\u0007]/);
    expect(text).toContain('\\u001b[2J');
  });
});
