/**
 * Real-Firefox ESR conformance of the browser model on a subset of the generated cases, with the model's
 * Firefox engine deciding: allowed/blocked, readable headers, the requests on the wire, and — when Firefox
 * hands its CORS console line to WebDriver BiDi — the exact message text.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { firefoxSubset, generateCases } from './cases.js';
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

const cases = firefoxSubset(generateCases());
const results = new Map<string, CaseComparison>();

let browser: Browser | undefined;
let servers: CaseServers | undefined;

beforeAll(async () => {
  servers = await startCaseServers(cases);
  browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
  const page = await browser.newPage();
  // puppeteer's 'console' events are WebDriver BiDi log.entryAdded entries.
  const lines = new ConsoleLines();
  const recordConsole = (text: string): void => {
    if (!text.startsWith('Cross-Origin Request Blocked')) return;
    const id = /\/c\/(c\d+)\//.exec(text)?.[1];
    if (id) lines.add(id, text);
  };
  page.on('console', (message) => recordConsole(message.text()));
  page.on('pageerror', (error) => recordConsole(error instanceof Error ? error.message : String(error)));
  await page.goto(servers.pageUrl);
  const pageResults = (await page.evaluate(pageScript(pageSpecs(cases, servers)))) as PageResult[];
  await lines.waitFor(casesAwaitingConsole(cases, servers, 'firefox', pageResults));
  const reports = lines.reports;
  const byId = new Map(pageResults.map((r) => [r.id, r]));
  for (const testCase of cases) {
    results.set(testCase.id, compareCase(testCase, servers, 'firefox', byId.get(testCase.id), reports.get(testCase.id) ?? {}));
  }
});

afterAll(async () => {
  await browser?.close();
  await servers?.close();
});

describeAgreement('Firefox ESR', cases, results, 40);
