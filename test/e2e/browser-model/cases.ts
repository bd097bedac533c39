/**
 * Generated conformance cases for the browser model: what the page asks for, and what the server answers
 * to each preflight and actual request, hop by hop (a hop is one URL; a 307 leads to the next hop).
 *
 * Placeholders filled at serve time (the ports are only known then): `{origin}` is the page's origin,
 * `{next}` the URL of the following hop, `{elsewhere}` a URL on the other API server that no hop uses.
 */
import type { CredentialsMode, RequestMode } from '../../../src/core/fetch/index.js';

export interface Answer {
  status: number;
  /** Header lines in order; a name may repeat (two ACAO lines). */
  headers: [string, string][];
}

export interface Hop {
  /** `a` is the API server; `b` another origin (another port) a redirect can lead to. */
  server: 'a' | 'b';
  preflight: Answer;
  actual: Answer;
}

export interface BrowserCase {
  id: string;
  title: string;
  method: string;
  headers: [string, string][];
  credentials: CredentialsMode;
  /** fetch()'s mode; `cors` when absent. */
  mode?: RequestMode;
  hops: Hop[];
}

const ORIGIN = '{origin}';

/** A preflight answer that grants exactly what the request needs (S3 W3 shape). */
function grant(methods: string, headers?: string, extra: [string, string][] = []): Answer {
  const lines: [string, string][] = [
    ['Access-Control-Allow-Origin', ORIGIN],
    ['Access-Control-Allow-Methods', methods],
  ];
  if (headers !== undefined) lines.push(['Access-Control-Allow-Headers', headers]);
  lines.push(['Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'], ...extra);
  return { status: 200, headers: lines };
}

/** S3's preflight refusal (W1/W2): 403, no CORS headers. */
const S3_FORBIDDEN: Answer = { status: 403, headers: [['Content-Type', 'application/xml']] };

/** An S3-like object response with the given CORS headers. */
function object(status: number, cors: [string, string][]): Answer {
  return {
    status,
    headers: [
      ['Content-Type', 'text/plain'],
      ['ETag', '"9b2cf535f27731c974343645a3985328"'],
      ['x-amz-request-id', 'TX0001'],
      ['x-amz-meta-owner', 'alice'],
      ['Last-Modified', 'Wed, 01 Jan 2025 00:00:00 GMT'],
      ['Cache-Control', 'no-cache'],
      ['Set-Cookie', 'session=1'],
      ...cors,
    ],
  };
}

const OK_ACTUAL = object(200, [
  ['Access-Control-Allow-Origin', ORIGIN],
  ['Vary', 'Origin'],
]);
const UNUSED_PREFLIGHT: Answer = { status: 500, headers: [] };

interface RequestShape {
  title: string;
  method: string;
  headers: [string, string][];
  /** What a granting preflight lists in Allow-Headers for this request (undefined: no preflight expected). */
  grantHeaders?: string;
}

/** Requests with no preflight (CORS-safelisted method and headers), or with one only in some engine. */
const SIMPLE_REQUESTS: RequestShape[] = [
  { title: 'GET, no headers', method: 'GET', headers: [] },
  { title: 'HEAD', method: 'HEAD', headers: [] },
  { title: 'POST text/plain', method: 'POST', headers: [['Content-Type', 'text/plain']] },
  { title: 'POST form-urlencoded;charset', method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8']] },
  { title: 'POST multipart with boundary', method: 'POST', headers: [['Content-Type', 'multipart/form-data; boundary=xyz']] },
  { title: 'GET Accept-Language list', method: 'GET', headers: [['Accept-Language', 'en-US,en;q=0.9']] },
  { title: 'GET simple Range', method: 'GET', headers: [['Range', 'bytes=0-99']] },
  { title: 'GET open Range', method: 'GET', headers: [['Range', 'bytes=100-']] },
  { title: 'GET lower-case get', method: 'get', headers: [] },
  { title: 'GET Accept with q', method: 'GET', headers: [['Accept', 'application/json, text/plain;q=0.5']] },
];

/** Requests that need a preflight, and the Allow-Headers value that grants them. */
const PREFLIGHTED_REQUESTS: RequestShape[] = [
  { title: 'PUT, no headers', method: 'PUT', headers: [], grantHeaders: undefined },
  {
    title: 'PUT octet-stream + checksum (SDK upload)',
    method: 'PUT',
    headers: [
      ['Content-Type', 'application/octet-stream'],
      ['x-amz-checksum-crc32', 'AAAAAA=='],
    ],
    grantHeaders: 'content-type, x-amz-checksum-crc32',
  },
  { title: 'POST application/json', method: 'POST', headers: [['Content-Type', 'application/json']], grantHeaders: 'Content-Type' },
  { title: 'POST text/plain with quoted charset', method: 'POST', headers: [['Content-Type', 'text/plain; charset="utf-8"']], grantHeaders: 'content-type' },
  { title: 'DELETE', method: 'DELETE', headers: [], grantHeaders: undefined },
  {
    title: 'GET signed (authorization, x-amz-date, x-amz-content-sha256)',
    method: 'GET',
    headers: [
      ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/s3/aws4_request'],
      ['x-amz-date', '20250101T000000Z'],
      ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
    ],
    grantHeaders: 'authorization,x-amz-content-sha256,x-amz-date',
  },
  {
    title: 'GET custom headers out of order',
    method: 'GET',
    headers: [
      ['x-zeta', '1'],
      ['X-Alpha', '2'],
    ],
    grantHeaders: 'x-alpha, x-zeta',
  },
  { title: 'GET Content-Language with unsafe @', method: 'GET', headers: [['Content-Language', 'de@x']], grantHeaders: 'content-language' },
  { title: 'GET suffix Range', method: 'GET', headers: [['Range', 'bytes=-5']], grantHeaders: 'range' },
  { title: 'GET multi Range', method: 'GET', headers: [['Range', 'bytes=0-1,3-4']], grantHeaders: 'range' },
  { title: 'GET 129-byte Accept', method: 'GET', headers: [['Accept', `text/${'x'.repeat(124)}`]], grantHeaders: 'accept' },
  { title: 'PATCH lower-case', method: 'patch', headers: [], grantHeaders: undefined },
  { title: 'PuT mixed case', method: 'PuT', headers: [], grantHeaders: undefined },
  { title: 'PROPFIND', method: 'PROPFIND', headers: [], grantHeaders: undefined },
  {
    title: 'PUT x-amz-meta + x-amz-acl',
    method: 'PUT',
    headers: [
      ['x-amz-meta-owner', 'alice'],
      ['x-amz-acl', 'private'],
    ],
    grantHeaders: 'x-amz-acl,x-amz-meta-owner',
  },
];

function normalizedMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

/** Actual-response variants for a request whose preflight (if any) passed. */
function actualVariants(): { title: string; answer: Answer }[] {
  return [
    { title: 'ACAO = origin', answer: OK_ACTUAL },
    { title: 'ACAO missing', answer: object(200, []) },
    { title: 'ACAO *', answer: object(200, [['Access-Control-Allow-Origin', '*']]) },
    { title: 'ACAO other origin', answer: object(200, [['Access-Control-Allow-Origin', 'https://app.example.com']]) },
    { title: 'ACAO origin with trailing slash', answer: object(200, [['Access-Control-Allow-Origin', `${ORIGIN}/`]]) },
    {
      title: 'ACAO twice (two lines)',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Allow-Origin', ORIGIN],
      ]),
    },
    { title: 'ACAO "a b" one line', answer: object(200, [['Access-Control-Allow-Origin', `${ORIGIN} https://b.example`]]) },
    { title: 'ACAO null', answer: object(200, [['Access-Control-Allow-Origin', 'null']]) },
    { title: 'ACAO invalid.origin', answer: object(200, [['Access-Control-Allow-Origin', 'invalid.origin']]) },
    { title: 'ACAO *.example.com', answer: object(200, [['Access-Control-Allow-Origin', '*.example.com']]) },
    { title: 'ACAO = origin, 403 AccessDenied', answer: object(403, [['Access-Control-Allow-Origin', ORIGIN]]) },
    {
      title: 'ACAO = origin, expose ETag',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Expose-Headers', 'ETag'],
      ]),
    },
    {
      title: 'ACAO = origin, expose *',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Expose-Headers', '*'],
      ]),
    },
    {
      title: 'ACAO *, expose * and set-cookie',
      answer: object(200, [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Expose-Headers', '*, Set-Cookie'],
      ]),
    },
    {
      title: 'ACAO = origin, expose list with spaces and case',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Expose-Headers', ' etag ,X-Amz-Request-Id,,'],
      ]),
    },
    {
      title: 'ACAO = origin, expose invalid list',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Expose-Headers', 'ETag, x amz'],
      ]),
    },
    {
      title: 'ACAO = origin, ACAC true',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Expose-Headers', 'ETag'],
      ]),
    },
    {
      title: 'ACAO = origin, ACAC True',
      answer: object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Allow-Credentials', 'True'],
      ]),
    },
    {
      title: 'ACAO *, ACAC true',
      answer: object(200, [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
    },
  ];
}

/** Preflight-answer variants for a preflighted request (`methods`/`headers` grant what it needs). */
function preflightVariants(method: string, grantHeaders: string | undefined): { title: string; answer: Answer }[] {
  const m = normalizedMethod(method);
  const vary: [string, string] = ['Vary', 'Origin'];
  const cors = (acao: string): [string, string][] => [
    ['Access-Control-Allow-Origin', acao],
    ['Access-Control-Allow-Methods', m],
    ...(grantHeaders ? [['Access-Control-Allow-Headers', grantHeaders] as [string, string]] : []),
    vary,
  ];
  return [
    { title: 'preflight granted', answer: grant(m, grantHeaders) },
    { title: 'preflight 403 without CORS headers (S3 W1/W2)', answer: S3_FORBIDDEN },
    { title: 'preflight 200 without ACAO', answer: { status: 200, headers: [['Access-Control-Allow-Methods', m]] } },
    { title: 'preflight 403 with full CORS headers', answer: { status: 403, headers: cors(ORIGIN) } },
    { title: 'preflight 204 granted', answer: { status: 204, headers: cors(ORIGIN) } },
    { title: 'preflight 500 with ACAO', answer: { status: 500, headers: cors(ORIGIN) } },
    { title: 'preflight 307 with ACAO (region redirect)', answer: { status: 307, headers: [['Location', '{elsewhere}'], ...cors(ORIGIN)] } },
    {
      title: 'preflight 307 without ACAO',
      answer: {
        status: 307,
        headers: [
          ['Location', '{elsewhere}'],
          ['x-amz-bucket-region', 'eu-west-1'],
        ],
      },
    },
    { title: 'preflight 307 with ACAO and an empty Location', answer: { status: 307, headers: [['Location', ''], ...cors(ORIGIN)] } },
    { title: 'preflight 301 without ACAO, empty Location', answer: { status: 301, headers: [['Location', '']] } },
    { title: 'preflight ACAO other origin', answer: { status: 200, headers: cors('https://app.example.com') } },
    { title: 'preflight ACAO twice', answer: { status: 200, headers: [['Access-Control-Allow-Origin', ORIGIN], ...cors(ORIGIN)] } },
    { title: 'preflight ACAO null', answer: { status: 200, headers: cors('null') } },
    { title: 'preflight ACAO *', answer: { status: 200, headers: cors('*') } },
    { title: 'preflight Allow-Methods missing', answer: grantWithout('Access-Control-Allow-Methods', m, grantHeaders) },
    { title: 'preflight Allow-Methods *', answer: grant('*', grantHeaders) },
    { title: 'preflight Allow-Methods lower-case', answer: grant(m.toLowerCase(), grantHeaders) },
    { title: 'preflight Allow-Methods upper-case', answer: grant(m.toUpperCase(), grantHeaders) },
    { title: 'preflight Allow-Methods invalid token', answer: grant(`GET, ${m} POST`, grantHeaders) },
    { title: 'preflight Allow-Methods other', answer: grant('GET, HEAD', grantHeaders) },
    { title: 'preflight Allow-Headers missing', answer: grant(m) },
    { title: 'preflight Allow-Headers *', answer: grant(m, '*') },
    { title: 'preflight Allow-Headers upper-case', answer: grant(m, (grantHeaders ?? 'x-unused').toUpperCase()) },
    { title: 'preflight Allow-Headers invalid token', answer: grant(m, `${grantHeaders ?? 'x-unused'}, x y`) },
    { title: 'preflight Allow-Headers first name only', answer: grant(m, (grantHeaders ?? 'x-unused').split(',')[0]!.trim()) },
  ];
}

function grantWithout(name: string, method: string, grantHeaders: string | undefined): Answer {
  const answer = grant(method, grantHeaders);
  return { ...answer, headers: answer.headers.filter(([n]) => n !== name) };
}

/** Preflight variants that only matter with credentials. */
function credentialedPreflightVariants(method: string, grantHeaders: string | undefined): { title: string; answer: Answer }[] {
  const m = normalizedMethod(method);
  const acac: [string, string] = ['Access-Control-Allow-Credentials', 'true'];
  return [
    { title: 'preflight granted with ACAC true', answer: grant(m, grantHeaders, [acac]) },
    { title: 'preflight granted without ACAC', answer: grant(m, grantHeaders) },
    { title: 'preflight ACAC True', answer: grant(m, grantHeaders, [['Access-Control-Allow-Credentials', 'True']]) },
    {
      title: 'preflight ACAO * with ACAC',
      answer: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', m],
          ['Access-Control-Allow-Headers', grantHeaders ?? 'x-unused'],
          acac,
        ],
      },
    },
    { title: 'preflight Allow-Methods * with ACAC', answer: grant('*', grantHeaders, [acac]) },
    { title: 'preflight Allow-Headers * with ACAC', answer: grant(m, '*', [acac]) },
  ];
}

/** Redirect scenarios for the actual request (S3 region redirects are 307 to another host). */
function redirectCases(): Omit<BrowserCase, 'id'>[] {
  const redirect = (cors: [string, string][]): Answer => ({ status: 307, headers: [['Location', '{next}'], ['x-amz-bucket-region', 'eu-west-1'], ...cors] });
  const acao = (value: string): [string, string][] => [['Access-Control-Allow-Origin', value]];
  const out: Omit<BrowserCase, 'id'>[] = [];
  const targets: { title: string; server: 'a' | 'b' }[] = [
    { title: 'same origin', server: 'a' },
    { title: 'other origin', server: 'b' },
  ];
  const finals: { title: string; answer: Answer }[] = [
    { title: 'final ACAO = origin', answer: OK_ACTUAL },
    { title: 'final ACAO *', answer: object(200, acao('*')) },
    { title: 'final ACAO null', answer: object(200, acao('null')) },
    { title: 'final ACAO missing', answer: object(200, []) },
  ];
  // Method rewriting: 303 turns a PUT into a GET (no preflight needed any more), 302 a POST into a GET.
  out.push({
    title: 'PUT (preflight ok) → 303 → same origin GET',
    method: 'PUT',
    headers: [['x-amz-meta-owner', 'alice']],
    credentials: 'same-origin',
    hops: [
      {
        server: 'a',
        preflight: grant('PUT', 'x-amz-meta-owner'),
        actual: {
          status: 303,
          headers: [
            ['Location', '{next}'],
            ['Access-Control-Allow-Origin', ORIGIN],
          ],
        },
      },
      { server: 'a', preflight: UNUSED_PREFLIGHT, actual: OK_ACTUAL },
    ],
  });
  out.push({
    title: 'POST text/plain → 302 → other origin GET',
    method: 'POST',
    headers: [['Content-Type', 'text/plain']],
    credentials: 'same-origin',
    hops: [
      {
        server: 'a',
        preflight: UNUSED_PREFLIGHT,
        actual: {
          status: 302,
          headers: [
            ['Location', '{next}'],
            ['Access-Control-Allow-Origin', ORIGIN],
          ],
        },
      },
      { server: 'b', preflight: UNUSED_PREFLIGHT, actual: object(200, [['Access-Control-Allow-Origin', '*']]) },
    ],
  });
  for (const target of targets) {
    for (const final of finals) {
      out.push({
        title: `GET → 307 with ACAO → ${target.title}, ${final.title}`,
        method: 'GET',
        headers: [],
        credentials: 'same-origin',
        hops: [
          { server: 'a', preflight: UNUSED_PREFLIGHT, actual: redirect(acao(ORIGIN)) },
          { server: target.server, preflight: UNUSED_PREFLIGHT, actual: final.answer },
        ],
      });
    }
    out.push({
      title: `GET → 307 without ACAO → ${target.title}`,
      method: 'GET',
      headers: [],
      credentials: 'same-origin',
      hops: [
        { server: 'a', preflight: UNUSED_PREFLIGHT, actual: redirect([]) },
        { server: target.server, preflight: UNUSED_PREFLIGHT, actual: OK_ACTUAL },
      ],
    });
    for (const preflightAcao of ['{origin}', 'null', '*']) {
      out.push({
        title: `PUT (preflight ok) → 307 → ${target.title}, second preflight ACAO ${preflightAcao}`,
        method: 'PUT',
        headers: [['x-amz-meta-owner', 'alice']],
        credentials: 'same-origin',
        hops: [
          { server: 'a', preflight: grant('PUT', 'x-amz-meta-owner'), actual: redirect(acao(ORIGIN)) },
          {
            server: target.server,
            preflight: {
              status: 200,
              headers: [
                ['Access-Control-Allow-Origin', preflightAcao],
                ['Access-Control-Allow-Methods', 'PUT'],
                ['Access-Control-Allow-Headers', 'x-amz-meta-owner'],
              ],
            },
            actual: object(200, acao(preflightAcao)),
          },
        ],
      });
    }
    out.push({
      title: `GET with authorization → 307 → ${target.title} (is authorization dropped?)`,
      method: 'GET',
      headers: [['Authorization', 'Bearer t']],
      credentials: 'same-origin',
      hops: [
        { server: 'a', preflight: grant('GET', 'authorization'), actual: redirect(acao(ORIGIN)) },
        { server: target.server, preflight: grant('GET', 'authorization'), actual: object(200, acao('*')) },
      ],
    });
  }
  return out;
}

/** Request modes other than cors: no-cors (opaque responses, filtered headers) and same-origin. */
function modeCases(): Omit<BrowserCase, 'id'>[] {
  const one = (title: string, mode: RequestMode, method: string, headers: [string, string][], actual: Answer): Omit<BrowserCase, 'id'> => ({
    title,
    method,
    headers,
    credentials: 'same-origin',
    mode,
    hops: [{ server: 'a', preflight: UNUSED_PREFLIGHT, actual }],
  });
  return [
    one(
      'no-cors GET with a custom header and Accept, no ACAO',
      'no-cors',
      'GET',
      [
        ['x-custom', '1'],
        ['Accept', 'text/plain'],
      ],
      object(200, []),
    ),
    one(
      'no-cors GET, ACAO = origin and expose *',
      'no-cors',
      'GET',
      [],
      object(200, [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Expose-Headers', '*'],
      ]),
    ),
    one('no-cors POST text/plain', 'no-cors', 'POST', [['Content-Type', 'text/plain']], object(200, [])),
    one('no-cors POST application/json (header dropped)', 'no-cors', 'POST', [['Content-Type', 'application/json']], object(200, [])),
    one('no-cors HEAD with Range', 'no-cors', 'HEAD', [['Range', 'bytes=0-1']], object(200, [])),
    one('no-cors PUT (fetch throws)', 'no-cors', 'PUT', [], OK_ACTUAL),
    one('same-origin mode to another origin', 'same-origin', 'GET', [], OK_ACTUAL),
    one('TRACE (forbidden method, fetch throws)', 'cors', 'TRACE', [], OK_ACTUAL),
  ];
}

/** Chromium-only safelisted client hints: a preflight in Firefox, none in Chromium. */
const CLIENT_HINT_REQUESTS: RequestShape[] = [
  { title: 'GET dpr: 2 (Chromium client hint)', method: 'GET', headers: [['dpr', '2']], grantHeaders: 'dpr' },
  { title: 'GET save-data: on (Chromium client hint)', method: 'GET', headers: [['Save-Data', 'on']], grantHeaders: 'save-data' },
  { title: 'GET width: abc (invalid client hint value)', method: 'GET', headers: [['width', 'abc']], grantHeaders: 'width' },
  {
    // Only Chromium's extra safelisted names let safelisted values pass 1024 bytes in total (5 × 128 < 1024).
    title: 'GET nine 128-byte safelisted values, over 1024 bytes (client hints)',
    method: 'GET',
    headers: [
      ['Accept', 'x'.repeat(128)],
      ['Accept-Language', 'a'.repeat(128)],
      ['Content-Language', 'b'.repeat(128)],
      ['dpr', '1'.repeat(128)],
      ['downlink', '2'.repeat(128)],
      ['device-memory', '3'.repeat(128)],
      ['width', '4'.repeat(128)],
      ['viewport-width', '5'.repeat(128)],
      ['rtt', '6'.repeat(128)],
    ],
    grantHeaders: 'accept,accept-language,content-language,device-memory,downlink,dpr,rtt,viewport-width,width',
  },
];

export function generateCases(): BrowserCase[] {
  const cases: Omit<BrowserCase, 'id'>[] = [];
  const single = (title: string, shape: RequestShape, credentials: CredentialsMode, preflight: Answer, actual: Answer): void => {
    cases.push({ title, method: shape.method, headers: shape.headers, credentials, hops: [{ server: 'a', preflight, actual }] });
  };

  for (const shape of SIMPLE_REQUESTS) {
    const actuals = actualVariants();
    // Every simple request against a few answers; the first one against all of them.
    const chosen = shape === SIMPLE_REQUESTS[0] ? actuals : actuals.filter((_, i) => i % 4 === SIMPLE_REQUESTS.indexOf(shape) % 4);
    for (const actual of chosen) single(`${shape.title}; ${actual.title}`, shape, 'same-origin', UNUSED_PREFLIGHT, actual.answer);
  }
  for (const actual of actualVariants()) {
    single(`GET credentials include; ${actual.title}`, SIMPLE_REQUESTS[0]!, 'include', UNUSED_PREFLIGHT, actual.answer);
    single(`GET credentials omit; ${actual.title}`, SIMPLE_REQUESTS[0]!, 'omit', UNUSED_PREFLIGHT, actual.answer);
  }

  for (const shape of PREFLIGHTED_REQUESTS) {
    const variants = preflightVariants(shape.method, shape.grantHeaders);
    const chosen =
      shape === PREFLIGHTED_REQUESTS[1] || shape === PREFLIGHTED_REQUESTS[5]
        ? variants
        : variants.filter((_, i) => i === 0 || i % 3 === PREFLIGHTED_REQUESTS.indexOf(shape) % 3);
    for (const preflight of chosen) single(`${shape.title}; ${preflight.title}`, shape, 'same-origin', preflight.answer, OK_ACTUAL);
    // The actual response of a preflighted request is checked too.
    single(
      `${shape.title}; preflight granted, actual without ACAO`,
      shape,
      'same-origin',
      grant(normalizedMethod(shape.method), shape.grantHeaders),
      object(200, []),
    );
  }
  for (const shape of [PREFLIGHTED_REQUESTS[0]!, PREFLIGHTED_REQUESTS[5]!]) {
    for (const preflight of credentialedPreflightVariants(shape.method, shape.grantHeaders)) {
      for (const actual of [
        object(200, [
          ['Access-Control-Allow-Origin', ORIGIN],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Expose-Headers', '*'],
        ]),
        object(200, [['Access-Control-Allow-Origin', ORIGIN]]),
      ]) {
        single(
          `${shape.title} credentials include; ${preflight.title}; actual ${actual.headers.length > 9 ? 'ACAC true, expose *' : 'no ACAC'}`,
          shape,
          'include',
          preflight.answer,
          actual,
        );
      }
    }
  }
  for (const shape of CLIENT_HINT_REQUESTS) {
    single(`${shape.title}; no preflight answer`, shape, 'same-origin', S3_FORBIDDEN, OK_ACTUAL);
    single(`${shape.title}; preflight granted`, shape, 'same-origin', grant('GET', shape.grantHeaders), OK_ACTUAL);
  }
  cases.push(...redirectCases(), ...modeCases());
  return cases.map((c, i) => ({ id: `c${String(i).padStart(3, '0')}`, ...c }));
}

/** A deterministic, spread-out subset for Firefox (every n-th case plus every redirect and client-hint case). */
export function firefoxSubset(cases: BrowserCase[]): BrowserCase[] {
  return cases.filter((c, i) => i % 5 === 0 || c.hops.length > 1 || c.mode !== undefined || /client hint|authorization|Allow-Headers \*/.test(c.title));
}
