/**
 * Real-Chromium conformance of the browser model (issue 3 §1): every generated case runs as a fetch() from a
 * page on one loopback origin to servers on others; DevTools' Network.loadingFailed.corsErrorStatus gives
 * Chromium's exact reason, Log.entryAdded its console line, the servers what went on the wire.
 */
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { generateCases } from './cases.js';
import {
  casesAwaitingConsole,
  compareCase,
  ConsoleLines,
  describeAgreement,
  pageScript,
  pageSpecs,
  type CaseComparison,
  type PageResult,
} from './conformance.js';
import { startCaseServers, type CaseServers } from './servers.js';

const cases = generateCases();
const results = new Map<string, CaseComparison>();

let browser: Browser | undefined;
let servers: CaseServers | undefined;

function caseIdOf(url: string): string | undefined {
  return /\/c\/(c\d+)\//.exec(url)?.[1];
}

async function collectReports(session: CDPSession): Promise<ConsoleLines> {
  const lines = new ConsoleLines();
  const caseOfRequest = new Map<string, string>();
  const preflightRequests = new Set<string>();
  const report = (id: string) => lines.report(id);
  session.on('Network.requestWillBeSent', (event) => {
    const id = caseIdOf(event.request.url);
    if (event.type === 'Preflight') preflightRequests.add(event.requestId);
    if (id && !caseOfRequest.has(event.requestId)) caseOfRequest.set(event.requestId, id);
  });
  session.on('Network.loadingFailed', (event) => {
    const id = caseOfRequest.get(event.requestId);
    if (!id || preflightRequests.has(event.requestId) || !event.corsErrorStatus) return;
    report(id).corsError = event.corsErrorStatus.corsError;
    report(id).failedParameter = event.corsErrorStatus.failedParameter;
  });
  session.on('Log.entryAdded', (event) => {
    const text = event.entry.text;
    if (!text.startsWith('Access to fetch at')) return;
    // The initial URL names the case (also in "(redirected from …)").
    const id = caseIdOf(text);
    if (id) lines.add(id, text);
  });
  await session.send('Network.enable');
  await session.send('Log.enable');
  return lines;
}

beforeAll(async () => {
  servers = await startCaseServers(cases);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  await page.goto(servers.pageUrl);
  const session = await page.context().newCDPSession(page);
  const lines = await collectReports(session);
  const pageResults = (await page.evaluate(pageScript(pageSpecs(cases, servers)))) as PageResult[];
  // Console lines arrive as events after the page's promises settle: wait for each one the model expects.
  await lines.waitFor(casesAwaitingConsole(cases, servers!, 'chromium', pageResults));
  const reports = lines.reports;
  const byId = new Map(pageResults.map((r) => [r.id, r]));
  for (const testCase of cases) {
    results.set(testCase.id, compareCase(testCase, servers, 'chromium', byId.get(testCase.id), reports.get(testCase.id) ?? {}));
  }
});

afterAll(async () => {
  await browser?.close();
  await servers?.close();
});

describeAgreement('Chromium', cases, results, 200);
