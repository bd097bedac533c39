/**
 * Loopback servers for the conformance suite: a page server (the page's origin) and two API servers
 * (`a`, and `b` — a third origin redirects can lead to) that answer each case's preflight and actual request
 * from the case id and hop in the path (`/c/<id>/<hop>`), recording what the browser sent.
 * The model is answered by the very same function, so both judge identical bytes.
 */
import { createServer, METHODS, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeaderMap, HttpRequest, HttpResponse } from '../../../src/core/http/index.js';
import type { Answer, BrowserCase } from './cases.js';

export interface ReceivedRequest {
  method: string;
  headers: HeaderMap;
}

export interface CaseServers {
  pageOrigin: string;
  pageUrl: string;
  urlFor(testCase: BrowserCase, hop: number): string;
  /** What the browser sent to `/c/<id>/<hop>`, in arrival order. */
  received(testCase: BrowserCase, hop: number): ReceivedRequest[];
  /** The header lines the server sends for this request (placeholders filled, Content-Length added). */
  answerLines(testCase: BrowserCase, hop: number, method: string): { status: number; lines: [string, string][] };
  close(): Promise<void>;
}

const BODY = 'ok';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startCaseServers(cases: BrowserCase[]): Promise<CaseServers> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const log = new Map<string, ReceivedRequest[]>();
  const ports = { page: 0, a: 0, b: 0 };

  const urlFor = (testCase: BrowserCase, hop: number): string => {
    const server = testCase.hops[hop]?.server ?? 'a';
    return `http://127.0.0.1:${ports[server]}/c/${testCase.id}/${hop}`;
  };

  const answerLines = (testCase: BrowserCase, hop: number, method: string): { status: number; lines: [string, string][] } => {
    const step = testCase.hops[hop];
    if (!step) return { status: 404, lines: [['Content-Length', String(BODY.length)]] };
    const answer: Answer = method === 'OPTIONS' ? step.preflight : step.actual;
    const next = hop + 1 < testCase.hops.length ? urlFor(testCase, hop + 1) : '';
    const elsewhere = `http://127.0.0.1:${ports.b}/c/${testCase.id}/99`;
    const lines = answer.headers.map(([name, value]): [string, string] => [
      name,
      value.replaceAll('{origin}', `http://127.0.0.1:${ports.page}`).replaceAll('{next}', next).replaceAll('{elsewhere}', elsewhere),
    ]);
    return { status: answer.status, lines: [...lines, ['Content-Length', String(BODY.length)]] };
  };

  const api = (request: IncomingMessage, response: ServerResponse): void => {
    const match = /^\/c\/(c\d+)\/(\d+)$/.exec(request.url ?? '');
    const testCase = match ? byId.get(match[1]!) : undefined;
    if (!match || !testCase) {
      response.writeHead(404, { 'Content-Length': '0' }).end();
      return;
    }
    const key = `${testCase.id}/${match[2]}`;
    const headers: HeaderMap = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = request.rawHeaders[i]!.toLowerCase();
      const value = request.rawHeaders[i + 1]!;
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    log.set(key, [...(log.get(key) ?? []), { method: request.method ?? '', headers }]);
    const { status, lines } = answerLines(testCase, Number(match[2]), request.method ?? 'GET');
    response.sendDate = false;
    // An array of [name, value] pairs keeps repeated lines (two Access-Control-Allow-Origin lines) apart.
    response.writeHead(status, lines.flat());
    response.end(request.method === 'HEAD' ? undefined : BODY);
  };

  const page = createServer((request, response) => {
    if (request.url === '/') {
      const html = '<!doctype html><meta charset="utf-8"><title>browser-model conformance</title><p>cases run from the test</p>';
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) }).end(html);
    } else {
      response.writeHead(404, { 'Content-Length': '0' }).end();
    }
  });
  const serverA = createServer(api);
  const serverB = createServer(api);
  ports.page = await listen(page);
  ports.a = await listen(serverA);
  ports.b = await listen(serverB);

  return {
    pageOrigin: `http://127.0.0.1:${ports.page}`,
    pageUrl: `http://127.0.0.1:${ports.page}/`,
    urlFor,
    received: (testCase, hop) => log.get(`${testCase.id}/${hop}`) ?? [],
    answerLines,
    close: async () => {
      await Promise.all([close(page), close(serverA), close(serverB)]);
    },
  };
}

/**
 * node's HTTP parser knows a fixed list of upper-case methods; any other (`patch` in lower case) gets
 * "400 Bad Request" and "Connection: close" before a handler runs, so the server never records it.
 */
export function serverRejectsMethod(method: string): boolean {
  return !METHODS.includes(method);
}

/** The model's view of the same server: a Responder answering from the case, lines joined as the browser joins them. */
export function caseResponder(servers: CaseServers, testCase: BrowserCase): (request: HttpRequest) => HttpResponse {
  return (request) => {
    if (serverRejectsMethod(request.method)) return { status: 400, headers: { connection: 'close' } };
    const hop = testCase.hops.findIndex((_, i) => servers.urlFor(testCase, i) === request.url);
    const { status, lines } = servers.answerLines(testCase, hop === -1 ? testCase.hops.length : hop, request.method);
    const headers: HeaderMap = {};
    for (const [rawName, value] of lines) {
      const name = rawName.toLowerCase();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    return { status, headers, body: BODY };
  };
}
