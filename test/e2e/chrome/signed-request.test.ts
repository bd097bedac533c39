/**
 * Issue 11, item 1, end to end: a captured URL chosen by the inspected page must not move the user's signed
 * GetBucketCors request to a host of the page's choosing. A local HTTPS server stands in for the attacker (a
 * self-signed certificate, accepted by this Chromium through --ignore-certificate-errors, so that before the fix
 * the signed request really arrived there); it answers every CORS preflight permissively, as an attacker would.
 * The requests are the panel's own (`credentials/set`, `policy/fetch`), sent from an extension page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { buildChromeExtension, launchChromium, type ExtensionSession } from '../support/chromium.js';

const KEY_ID = 'AKIAATTACKERTEST0001';
const TOKEN = 'session-token-that-must-not-leave';

interface Attacker {
  port: number;
  /** Every connection and request that reached the attacker. */
  connections: number;
  requests: Array<{ method: string; url: string; authorization?: string; token?: string }>;
  stop(): Promise<void>;
}

async function startAttacker(): Promise<Attacker> {
  const dir = mkdtempSync(join(tmpdir(), 's3cd-attacker-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
    { stdio: 'ignore' },
  );
  const requests: Attacker['requests'] = [];
  const server: Server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(typeof request.headers['x-amz-security-token'] === 'string' ? { token: request.headers['x-amz-security-token'] } : {}),
    });
    response.writeHead(200, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*, authorization',
      'access-control-allow-methods': 'GET, HEAD',
      'content-type': 'application/xml',
    });
    response.end('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>');
  });
  const attacker: Attacker = { port: 0, connections: 0, requests, stop: () => new Promise((done) => server.close(() => done())) };
  server.on('connection', () => attacker.connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  attacker.port = (server.address() as { port: number }).port;
  rmSync(dir, { recursive: true, force: true });
  return attacker;
}

/** A background request sent from an extension page, as the panel sends it; the reply envelope as it arrives. */
async function send(page: Page, request: unknown): Promise<{ ok: boolean; value?: { kind?: string; message?: string }; error?: string }> {
  return page.evaluate(
    (message) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<never> } } }).chrome.runtime.sendMessage(message),
    request as never,
  );
}

describe('signed GetBucketCors requests in Chromium never reach a host the inspected page picked', () => {
  let extensionDir: string;
  let attacker: Attacker;
  let session: ExtensionSession;
  let page: Page;

  beforeAll(async () => {
    extensionDir = buildChromeExtension();
    attacker = await startAttacker();
    session = await launchChromium({
      extensionDir,
      devtools: false,
      // The user granted AWS and, for the second case, the page's "S3-compatible" host.
      grantHosts: ['https://*.amazonaws.com/*', 'https://127.0.0.1/*'],
      extraArgs: ['--ignore-certificate-errors'],
    });
    page = await session.browser.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/src/platform/host-access.html`);
    const stored = await send(page, {
      type: 'credentials/set',
      credentials: { accessKeyId: KEY_ID, secretAccessKey: 'attacker-test-secret', sessionToken: TOKEN },
    });
    expect(stored).toEqual({ ok: true, value: { hasCredentials: true } });
  });

  afterAll(async () => {
    await session?.close();
    await attacker?.stop();
  });

  it('refuses a bucket name that would rewrite the host (`2130706433%3A<port>%23` is https://127.0.0.1:<port>/#…)', async () => {
    const requestUrl = `https://s3.us-east-1.amazonaws.com/2130706433%3A${attacker.port}%23/key`;
    const reply = await send(page, { type: 'policy/fetch', location: { bucket: `2130706433:${attacker.port}#`, requestUrl, region: 'us-east-1' } });
    expect(reply).toMatchObject({ ok: true, value: { kind: 'error', message: expect.stringContaining('is not a bucket name') } });
    expect(attacker.requests).toEqual([]);
    expect(attacker.connections).toBe(0);
  });

  it('refuses `localhost:<port>%2F` as a bucket name', async () => {
    const requestUrl = `https://s3.us-east-1.amazonaws.com/localhost:${attacker.port}%2F/key`;
    const reply = await send(page, { type: 'policy/fetch', location: { bucket: `localhost:${attacker.port}/`, requestUrl, region: 'us-east-1' } });
    expect(reply).toMatchObject({ ok: true, value: { kind: 'error' } });
    expect(attacker.requests).toEqual([]);
    expect(attacker.connections).toBe(0);
  });

  it('asks before signing with AWS credentials for the page\'s own "S3-compatible" endpoint, and sends nothing meanwhile', async () => {
    const requestUrl = `https://127.0.0.1:${attacker.port}/uploads/key`;
    const reply = await send(page, { type: 'policy/fetch', location: { bucket: 'uploads', requestUrl } });
    expect(reply).toMatchObject({ ok: true, value: { kind: 'confirm-endpoint' } });
    expect(attacker.requests).toEqual([]);
    expect(attacker.connections).toBe(0);
  });
});
