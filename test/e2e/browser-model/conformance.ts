/**
 * Runs the generated cases in a page and compares what the browser did with what the model says.
 */
import { planPreflight, runBrowserFetch, type BrowserEngine, type PageRequest } from '../../../src/core/fetch/index.js';
import type { HeaderMap, HttpRequest } from '../../../src/core/http/index.js';
import type { BrowserCase } from './cases.js';
import { caseResponder, serverRejectsMethod, type CaseServers, type ReceivedRequest } from './servers.js';

/** What page script saw for one case. */
export interface PageResult {
  id: string;
  ok: boolean;
  status?: number;
  headers?: string[];
  error?: string;
}

/** What the browser reported beyond script: DevTools' CORS reason and the console line, when available. */
export interface BrowserReport {
  corsError?: string;
  failedParameter?: string;
  /** The browser's CORS console lines for this case, in order. */
  consoles?: string[];
}

/**
 * The page script, as source text (a function object could pick up bundler helpers that do not exist in the
 * page). All cases run concurrently; `cache: 'no-store'` keeps the HTTP cache out of it.
 */
export function pageScript(specs: { id: string; url: string; method: string; headers: [string, string][]; credentials: string; mode: string }[]): string {
  return `(async (specs) => Promise.all(specs.map(async (s) => {
    try {
      const response = await fetch(s.url, { method: s.method, headers: s.headers, credentials: s.credentials, mode: s.mode, cache: 'no-store' });
      const headers = [...response.headers.keys()];
      await response.text();
      return { id: s.id, ok: true, status: response.status, headers };
    } catch (error) {
      return { id: s.id, ok: false, error: String(error) };
    }
  })))(${JSON.stringify(specs)})`;
}

export function pageSpecs(cases: BrowserCase[], servers: CaseServers) {
  return cases.map((c) => ({ id: c.id, url: servers.urlFor(c, 0), method: c.method, headers: c.headers, credentials: c.credentials, mode: c.mode ?? 'cors' }));
}

export function pageRequestFor(testCase: BrowserCase, servers: CaseServers): PageRequest {
  const headers: HeaderMap = {};
  for (const [rawName, value] of testCase.headers) {
    const name = rawName.toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return {
    origin: servers.pageOrigin,
    method: testCase.method,
    url: servers.urlFor(testCase, 0),
    headers,
    credentials: testCase.credentials,
    mode: testCase.mode ?? 'cors',
  };
}

/** One line per request a server received: the parts of it the CORS protocol decides. */
function describeSent(request: { method: string; headers: HeaderMap }): string {
  const h = request.headers;
  const parts = [request.method, `origin=${h['origin'] ?? '-'}`];
  if (request.method === 'OPTIONS') parts.push(`acrm=${h['access-control-request-method'] ?? '-'}`, `acrh=${h['access-control-request-headers'] ?? '-'}`);
  else parts.push(`authorization=${'authorization' in h ? 'yes' : 'no'}`);
  return parts.join(' ');
}

export interface CaseComparison {
  id: string;
  title: string;
  mismatches: string[];
  /** The page ran the case and reported its result. */
  executed: boolean;
  /** The browser blocked the request and the model says it prints a console line for it. */
  consoleExpected: boolean;
  consoleCompared: boolean;
}

/** The model's run of one case against the same answers the servers give, and what it would put on the wire. */
function runModel(testCase: BrowserCase, servers: CaseServers, engine: BrowserEngine) {
  const request = pageRequestFor(testCase, servers);
  const modelSent = new Map<number, string[]>();
  const respond = caseResponder(servers, testCase);
  const model = runBrowserFetch(
    request,
    (sent: HttpRequest) => {
      const hop = testCase.hops.findIndex((_, i) => servers.urlFor(testCase, i) === sent.url);
      if (!serverRejectsMethod(sent.method)) modelSent.set(hop, [...(modelSent.get(hop) ?? []), describeSent(sent)]);
      return respond(sent);
    },
    { engine },
  );
  return { request, model, modelSent };
}

/** The console line the model says this engine prints for the case (undefined: none, the request passes). */
export function modelConsoleLine(testCase: BrowserCase, servers: CaseServers, engine: BrowserEngine): string | undefined {
  const { model } = runModel(testCase, servers, engine);
  return engine === 'chromium' ? model.failure?.messages.chrome : model.failure?.messages.firefox;
}

/** Firefox's blocking reason, from its console text: "… (Reason: CORS header 'Access-Control-Allow-Origin' missing)." */
export function firefoxReason(line: string | undefined): string | undefined {
  return line === undefined ? undefined : /\(Reason: (.*)\)\.?(?: Status code: \d+\.)?$/.exec(line)?.[1];
}

/**
 * Console lines per case, collected as the browser emits them (CDP Log.entryAdded, BiDi log.entryAdded), and a
 * wait that ends when every case expected to print has printed — by the events, not by a fixed delay. The deadline
 * only bounds a failure: a line that never comes is reported as a mismatch by compareCase.
 */
export class ConsoleLines {
  readonly reports = new Map<string, BrowserReport>();
  private waiting: { pending: Map<string, string | undefined>; done: () => void } | undefined;

  report(id: string): BrowserReport {
    let report = this.reports.get(id);
    if (!report) this.reports.set(id, (report = {}));
    return report;
  }

  add(id: string, text: string): void {
    const report = this.report(id);
    report.consoles = [...(report.consoles ?? []), text];
    this.check();
  }

  /**
   * Waits until every case in `awaited` has printed: a line, and the follow-up line named for it (Firefox's "CORS
   * request did not succeed", which can come after the reason; compareCase requires it). Returns the cases that
   * did not, at the deadline.
   */
  async waitFor(awaited: ReadonlyMap<string, string | undefined>, deadlineMs = 30_000): Promise<string[]> {
    const pending = new Map(awaited);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, deadlineMs);
      this.waiting = { pending, done: () => (clearTimeout(timer), resolve()) };
      this.check();
    });
    this.waiting = undefined;
    return [...pending.keys()];
  }

  private check(): void {
    if (!this.waiting) return;
    for (const [id, followUp] of this.waiting.pending) {
      const lines = this.reports.get(id)?.consoles ?? [];
      if (lines.length > 0 && (followUp === undefined || lines.includes(followUp))) this.waiting.pending.delete(id);
    }
    if (this.waiting.pending.size === 0) this.waiting.done();
  }
}

/**
 * The cases of a run whose console lines must be awaited: the page saw them blocked and the model says a line is
 * printed; each with the follow-up line the model also expects (Firefox), or undefined.
 */
export function casesAwaitingConsole(
  cases: BrowserCase[],
  servers: CaseServers,
  engine: BrowserEngine,
  pageResults: PageResult[],
): Map<string, string | undefined> {
  const blocked = new Set(pageResults.filter((r) => !r.ok).map((r) => r.id));
  const awaited = new Map<string, string | undefined>();
  for (const testCase of cases) {
    if (!blocked.has(testCase.id) || modelConsoleLine(testCase, servers, engine) === undefined) continue;
    const followUp = engine === 'firefox' ? runModel(testCase, servers, engine).model.failure?.messages.firefoxFollowUp : undefined;
    awaited.set(testCase.id, followUp);
  }
  return awaited;
}

/** The names the case itself puts in the final response (node adds Connection/Keep-Alive, which say nothing). */
function namesTheCaseSends(testCase: BrowserCase): Set<string> {
  const names = new Set(['content-length']);
  for (const hop of testCase.hops) for (const [name] of hop.actual.headers) names.add(name.toLowerCase());
  return names;
}

/** Compare one case: verdict, Chromium's reason (when given), readable headers, and the requests on the wire. */
export function compareCase(
  testCase: BrowserCase,
  servers: CaseServers,
  engine: BrowserEngine,
  page: PageResult | undefined,
  report: BrowserReport,
): CaseComparison {
  const { request, model, modelSent } = runModel(testCase, servers, engine);
  const mismatches: string[] = [];
  if (!page)
    return { id: testCase.id, title: testCase.title, mismatches: ['no result from the page'], executed: false, consoleExpected: false, consoleCompared: false };

  const modelAllowed = model.outcome === 'allowed';
  if (model.scriptError !== undefined && page.error !== model.scriptError)
    mismatches.push(`script error: browser "${page.error}", model "${model.scriptError}"`);
  if (page.ok !== modelAllowed)
    mismatches.push(
      `verdict: browser ${page.ok ? 'allowed' : `blocked (${page.error})`}, model ${model.outcome}${model.failure ? ` (${model.failure.corsError})` : ''}`,
    );

  // With several disallowed request headers Chromium names one of them in an order the model cannot know
  // (see chromiumPreflightCheck); any of `disallowedHeaders` is then the model's answer.
  const browserParameter = report.failedParameter ?? '';
  const modelParameter = model.failure?.failedParameter ?? '';
  const oneOfDisallowed = model.failure?.disallowedHeaders?.includes(browserParameter) ?? false;
  if (engine === 'chromium' && !page.ok) {
    if (report.corsError !== model.failure?.corsError)
      mismatches.push(`corsError: browser ${report.corsError ?? '-'}, model ${model.failure?.corsError ?? '-'}`);
    if (browserParameter !== modelParameter && !oneOfDisallowed) mismatches.push(`failedParameter: browser '${browserParameter}', model '${modelParameter}'`);
  }
  const modelConsole = engine === 'chromium' ? model.failure?.messages.chrome : model.failure?.messages.firefox;
  const expectedConsole = oneOfDisallowed ? modelConsole?.replace(` ${modelParameter} `, ` ${browserParameter} `) : modelConsole;
  // Firefox may print further "CORS request did not succeed" lines after the reason; the reason comes first.
  const lines = report.consoles ?? [];
  const consoleExpected = !page.ok && modelConsole !== undefined;
  const consoleCompared = !page.ok && lines.length > 0;
  const followUp = engine === 'firefox' ? model.failure?.messages.firefoxFollowUp : undefined;
  if (consoleExpected && lines.length === 0) mismatches.push(`console: browser printed no line, model ${JSON.stringify(expectedConsole)}`);
  if (!page.ok && modelConsole === undefined && lines.length > 0) mismatches.push(`console: browser ${JSON.stringify(lines)}, model prints none`);
  if (consoleCompared && engine === 'firefox' && (firefoxReason(lines[0]) === undefined || firefoxReason(lines[0]) !== firefoxReason(expectedConsole))) {
    mismatches.push(
      `Firefox's blocking reason: browser ${JSON.stringify(firefoxReason(lines[0]) ?? lines[0])}, model ${JSON.stringify(firefoxReason(expectedConsole))}`,
    );
  }
  if (consoleCompared && (lines[0] !== expectedConsole || (followUp !== undefined && !lines.includes(followUp)))) {
    mismatches.push(`console: browser ${JSON.stringify(lines)}, model ${JSON.stringify([expectedConsole, followUp])}`);
  }
  if (page.ok && modelAllowed) {
    const relevant = namesTheCaseSends(testCase);
    const seen = (page.headers ?? [])
      .filter((name) => relevant.has(name))
      .sort()
      .join(',');
    const modelled = model.readableHeaders
      .filter((name) => relevant.has(name))
      .sort()
      .join(',');
    if (seen !== modelled) mismatches.push(`readable headers: browser [${seen}], model [${modelled}]`);
  }

  for (let hop = 0; hop < testCase.hops.length; hop++) {
    const browserLines = servers.received(testCase, hop).map((r: ReceivedRequest) => describeSent(r));
    const modelLines = modelSent.get(hop) ?? [];
    if (browserLines.join(' | ') !== modelLines.join(' | ')) {
      mismatches.push(`hop ${hop} requests: browser [${browserLines.join(' | ')}], model [${modelLines.join(' | ')}]`);
    }
  }
  // The plan alone, too: the first hop's preflight is exactly what planPreflight promises.
  const plan = planPreflight(request, { engine });
  const firstOptions = servers.received(testCase, 0).find((r) => r.method === 'OPTIONS');
  if (plan.needed !== (firstOptions !== undefined)) mismatches.push(`preflight needed: browser ${firstOptions !== undefined}, model ${plan.needed}`);
  return { id: testCase.id, title: testCase.title, mismatches, executed: true, consoleExpected, consoleCompared };
}

/**
 * The assertions both browser suites make once their cases have run: enough cases, every case agreeing with the
 * model, and some console lines compared word for word (so the message comparison itself cannot silently vanish).
 */
export function describeAgreement(browserName: string, cases: BrowserCase[], results: Map<string, CaseComparison>, minimumCases: number): void {
  describe(`the browser model agrees with real ${browserName}`, () => {
    it(`runs every listed case (at least ${minimumCases}) in the browser`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(minimumCases);
      const executed = cases.filter((c) => results.get(c.id)?.executed).length;
      expect(executed).toBe(cases.length);
    });

    it.each(cases.map((c: BrowserCase) => [c.id, c.title]))('%s %s', (id) => {
      expect(results.get(id)?.mismatches).toEqual([]);
    });

    it('reports the agreement counts', () => {
      const all = cases.map((c) => results.get(c.id));
      const executed = all.filter((r) => r?.executed).length;
      const agreeing = all.filter((r) => r?.executed && r.mismatches.length === 0).length;
      const expected = all.filter((r) => r?.consoleExpected).length;
      const consoles = all.filter((r) => r?.consoleExpected && r.consoleCompared).length;
      console.info(
        `browser-model vs ${browserName}: ${executed}/${cases.length} cases ran, ${agreeing} agree; ${consoles}/${expected} expected console lines compared verbatim`,
      );
      expect(consoles).toBeGreaterThan(0);
      expect({ executed, agreeing, consoles }).toEqual({ executed: cases.length, agreeing: cases.length, consoles: expected });
    });
  });
}
