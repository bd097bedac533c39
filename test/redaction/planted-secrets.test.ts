/**
 * Issue 11 item 4: the planted-secret property. Random secrets of every form the redactor knows are planted anywhere in
 * a real capture — URL (names percent-encoded or not, any case), a presigned URL nested URL-encoded once or twice,
 * userinfo, headers, cookies, JSON/form/multipart/base64 bodies, the response XML, the initiator, console text, notes —
 * and none may appear in anything that leaves: `redact`, `har --json`, `har --markdown`, `har` (text), the panel's
 * Markdown export and the live-capture store.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceStore } from '../../src/background/evidence-store.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import { harEntriesToExchanges, normalizeHarEntry, type HarEntry } from '../../src/core/har/index.js';
import { buildMarkdownReport } from '../../src/panel/view/report.js';
import { memoryStore } from '../../src/platform/key-value-store.js';
import { runCli } from '../cli/run-cli.js';

// biome-ignore lint/suspicious/noExplicitAny: the test walks JSON output loosely; a wrong path fails the assertion
type Json = Record<string, any>;

const BASE = readFileSync(join(import.meta.dirname, '../fixtures/har/chrome-put-checksum-header.har'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FORMS = [
  'query',
  'keyid',
  'nested',
  'userinfo',
  'header',
  'response-header',
  'cookie',
  'json-body',
  'form-body',
  'multipart',
  'base64-body',
  'response-xml',
  'initiator',
  'console',
  'note',
] as const;
type Form = (typeof FORMS)[number];

const QUERY_NAMES = [
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'Signature',
  'jwt',
  'auth',
  'key',
  'password',
  'WebIdentityToken',
  'access_token',
  'sig',
  'client_secret',
  'apiKey',
  'id_token',
  'X-Goog-Signature',
];
const HEADERS: Array<[string, (s: string) => string]> = [
  ['Authorization', (s) => `Bearer ${s}`],
  ['Authorization', (s) => `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=${s}`],
  ['Proxy-Authorization', (s) => `Basic ${s}`],
  ['X-Custom-Auth', (s) => s],
  ['X-Api-Key', (s) => s],
  ['X-Amz-Security-Token', (s) => s],
  ['Cookie', (s) => `theme=dark; sid=${s}`],
  ['X-Session-Token', (s) => s],
];
const RESPONSE_HEADERS: Array<[string, (s: string) => string]> = [
  ['Set-Cookie', (s) => `sid=${s}; Path=/; HttpOnly`],
  ['X-Upload-Signature', (s) => s],
  ['Location', (s) => `https://b.s3.amazonaws.com/k?X-Amz-Signature=${s}`],
];
const BODY_KEYS = ['password', 'PASSWORD', 'client_secret', 'apiKey', 'x-amz-signature', 'x-amz-security-token', 'SessionToken', 'secret_key', 'Policy'];

interface Plant {
  form: Form;
  entry: number;
  secret: string;
  keyId: string;
  variant: number;
}

const plantArb: fc.Arbitrary<Plant> = fc.record({
  form: fc.constantFrom(...FORMS),
  entry: fc.integer({ min: 0, max: 3 }),
  secret: fc.stringMatching(/^[A-Za-z0-9]{16}$/).map((s) => `Q${s}Z`),
  keyId: fc.stringMatching(/^[A-Z0-9]{16}$/),
  variant: fc.nat(1_000_000),
});

function pick<T>(items: readonly T[], variant: number): T {
  return items[variant % items.length]!;
}

/** A parameter name as a capture may spell it: as is, lower or upper case, percent-encoded in part or whole. */
function spell(name: string, variant: number): string {
  const cased = [name, name.toLowerCase(), name.toUpperCase()][Math.floor(variant / 7) % 3]!;
  switch (Math.floor(variant / 21) % 3) {
    case 1:
      return cased.replace(/[-_]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case 2:
      return [...cased].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
    default:
      return cased;
  }
}

function appendQuery(url: string, pair: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${pair}`;
}

/**
 * For the equality property: a preflight and its request carry one URL in a real capture, so a secret planted in a
 * URL goes into every entry of that URL. Planting it in one of them only would unpair them in the original, and the
 * redacted copy (where both read REDACTED) would pair them again: a difference the planting made, not the redactor.
 */
function plantAlike(har: Json, p: Plant): void {
  const entries = har.log.entries as Json[];
  const url = entries[p.entry % entries.length]!.request.url as string;
  const inUrl = p.form === 'query' || p.form === 'keyid' || p.form === 'nested' || (p.form === 'userinfo' && p.variant % 2 === 0);
  entries.forEach((entry, i) => {
    if (i === p.entry % entries.length || (inUrl && entry.request.url === url)) plant(har, { ...p, entry: i }, new Map());
  });
}

/** Plant one secret; returns the strings that must not appear in any output. */
function plant(har: Json, p: Plant, consoleTexts: Map<number, string>): string[] {
  const entries = har.log.entries as Json[];
  const entry = entries[p.entry % entries.length]!;
  const { secret, keyId, variant } = p;
  const request = entry.request;
  const response = entry.response;
  switch (p.form) {
    case 'query': {
      const name = pick(QUERY_NAMES, variant);
      request.url = appendQuery(request.url, `${spell(name, variant)}=${secret}`);
      request.queryString = [...(request.queryString ?? []), { name, value: secret }];
      return [secret];
    }
    case 'keyid':
      request.url = appendQuery(request.url, `X-Amz-Credential=AKIA${keyId}%2F20261128%2Feu-west-1%2Fs3%2Faws4_request`);
      return [keyId];
    case 'nested': {
      const inner = `https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA${keyId}%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&${spell('X-Amz-Signature', variant)}=${secret}`;
      const once = encodeURIComponent(inner);
      request.url = appendQuery(request.url, `next=${variant % 2 === 0 ? once : encodeURIComponent(`https://sso.example.com/?return=${once}`)}`);
      return [secret, keyId];
    }
    case 'userinfo': {
      const userinfo = pick([secret, `deploy:${secret}`, `deploy:p@${secret}`, `deploy:${secret}&x;y`], variant);
      const target = variant % 2 === 0 ? request : (request.headers as Json[]).find((h) => /^referer$/i.test(h.name));
      if (target && 'url' in target) target.url = target.url.replace('https://', `https://${userinfo}@`);
      else if (target) target.value = String(target.value).replace('https://', `https://${userinfo}@`);
      else request.headers.push({ name: 'Referer', value: `https://${userinfo}@app.example.com/` });
      return [secret];
    }
    case 'header': {
      const [name, value] = pick(HEADERS, variant);
      request.headers.push({ name, value: value(secret) });
      return [secret];
    }
    case 'response-header': {
      const [name, value] = pick(RESPONSE_HEADERS, variant);
      response.headers.push({ name, value: value(secret) });
      return [secret];
    }
    case 'cookie':
      (variant % 2 === 0 ? request : response).cookies = [{ name: 'sid', value: secret }];
      return [secret];
    case 'json-body': {
      const key = pick(BODY_KEYS, variant);
      const body = variant % 3 === 0 ? { url: 'https://b.s3.amazonaws.com/', fields: { key: 'uploads/a.txt', [key]: secret } } : { user: 'bob', [key]: secret };
      if (variant % 2 === 0) request.postData = { mimeType: 'application/json', text: JSON.stringify(body) };
      else response.content = { mimeType: 'application/json', size: 0, text: JSON.stringify(body) };
      return [secret];
    }
    case 'form-body': {
      const key = pick(BODY_KEYS, variant);
      request.postData = {
        mimeType: 'application/x-www-form-urlencoded',
        text: `user=bob&${spell(key, variant)}=${secret}`,
        params: [
          { name: 'user', value: 'bob' },
          { name: key, value: secret },
        ],
      };
      return [secret];
    }
    case 'multipart': {
      const key = pick(BODY_KEYS, variant);
      const text = [
        '--B0undary',
        'Content-Disposition: form-data; name="key"',
        '',
        'uploads/a.txt',
        '--B0undary',
        `Content-Disposition: form-data; name="${key}"`,
        '',
        secret,
        '--B0undary--',
        '',
      ].join('\r\n');
      request.postData = { mimeType: `multipart/form-data; boundary=${variant % 2 === 0 ? 'B0undary' : '"B0undary"'}`, text };
      return [secret];
    }
    case 'base64-body': {
      // Labelled, so the exchange-level doors (which see the decoded body) can recognise it too; the HAR doors drop the body.
      const text = btoa(`payload ${pick(['password=', 'X-Amz-Signature=', 'Authorization: Bearer ', '"client_secret": "'], variant)}${secret} payload`);
      response.content = {
        mimeType: pick(['application/octet-stream', 'image/png', 'application/json', 'text/plain', ''], variant),
        encoding: 'base64',
        size: 30,
        text,
      };
      return [secret, text];
    }
    case 'response-xml':
      response.content = {
        mimeType: 'application/xml',
        size: 0,
        text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message><AWSAccessKeyId>AKIA${keyId}</AWSAccessKeyId><SignatureProvided>${secret}</SignatureProvided></Error>`,
      };
      return [secret, keyId];
    case 'initiator':
      entry._initiator = {
        type: 'script',
        url: `https://app.example.com/app.js?${spell('token', variant)}=${secret}`,
        stack: { callFrames: [{ functionName: 'upload', url: `https://u:${secret}@app.example.com/x.js` }] },
      };
      return [secret];
    case 'console': {
      const text = `Access to fetch at 'https://b.s3.amazonaws.com/k?${spell('X-Amz-Security-Token', variant)}=${secret}' from origin 'https://app.example.com' has been blocked by CORS policy (Authorization: Bearer ${secret})`;
      consoleTexts.set(p.entry % entries.length, text);
      response._error = `net::ERR_FAILED ${text}`;
      return [secret];
    }
    case 'note':
      har.log.comment = `token=${secret} see https://deploy:${secret}@files.example.com/`;
      entry.comment = `X-Custom-Auth: ${secret}`;
      return [secret];
  }
}

function exchangesOf(harText: string, consoleTexts: Map<number, string>): ObservedExchange[] {
  const raw = (JSON.parse(harText) as Json).log.entries as unknown[];
  const entries: HarEntry[] = [];
  raw.forEach((value) => {
    const { entry } = normalizeHarEntry(value);
    if (entry) entries.push(entry);
  });
  const exchanges = harEntriesToExchanges(entries);
  const console = [...consoleTexts.values()].join('\n');
  return exchanges.map((exchange) => (console ? { ...exchange, consoleMessage: console, gaps: [...(exchange.gaps ?? []), console] } : exchange));
}

describe('no planted secret leaves by any door (property)', () => {
  it('redact, har --json/--markdown/text, the panel export and the live store', { timeout: 60_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(plantArb, { minLength: 1, maxLength: 5 }), async (plants) => {
        const har = JSON.parse(BASE) as Json;
        const consoleTexts = new Map<number, string>();
        const secrets = plants.flatMap((p) => plant(har, p, consoleTexts));
        const text = JSON.stringify(har);
        const file = join(dir, `h${run++}.har`);
        writeFileSync(file, text);

        const outputs: Array<[string, string]> = [];
        for (const argv of [
          ['redact', file],
          ['har', file, '--json'],
          ['har', file, '--markdown'],
          ['har', file],
        ]) {
          const r = await runCli(argv);
          outputs.push([argv.join(' '), r.stdout + r.stderr]);
        }
        const exchanges = exchangesOf(text, consoleTexts);
        const rows = exchanges.map((exchange) => ({ exchange, diagnosis: diagnose(exchange) }));
        outputs.push(['panel export', buildMarkdownReport({ rows, policies: {} })]);
        const store = new EvidenceStore(memoryStore());
        await store.add(1, exchanges);
        outputs.push(['live store', JSON.stringify(await store.get(1))]);

        for (const [door, output] of outputs)
          for (const secret of secrets) expect(output, `${door} leaks ${secret} (${plants.map((p) => p.form).join(', ')})`).not.toContain(secret);
        rmSync(file);
      }),
      { numRuns: Number(process.env.PLANTED_RUNS ?? 100) },
    );
  });

  it('the triage of the redacted HAR equals the original one, whatever was planted', { timeout: 60_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(plantArb, { minLength: 1, maxLength: 5 }), async (plants) => {
        const har = JSON.parse(BASE) as Json;
        plants.forEach((p) => plantAlike(har, p));
        const file = join(dir, `e${run}.har`);
        const redactedFile = join(dir, `e${run++}.redacted.har`);
        writeFileSync(file, JSON.stringify(har));
        writeFileSync(redactedFile, (await runCli(['redact', file])).stdout);
        for (const flag of ['--json', '--markdown']) {
          const before = await runCli(['har', file, flag]);
          const after = await runCli(['har', redactedFile, flag]);
          expect(after.stdout, `${flag} (${plants.map((p) => p.form).join(', ')})`).toBe(before.stdout);
        }
        rmSync(file);
        rmSync(redactedFile);
      }),
      { numRuns: 40 },
    );
  });
});
