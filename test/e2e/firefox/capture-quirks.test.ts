/**
 * What only Firefox does, pinned in Firefox ESR against s3rver (browser-capture.md, "Firefox"). A second, test-only
 * add-on (observer-addon/) reports what Firefox's devtools.network API itself shows of each request, so each test
 * checks both the browser behaviour and that the panel copes with it.
 *
 * The first tests run without host permissions: the devtools page is then the add-on's only source.
 */
import { AwsClient } from 'aws4fetch';
import { join, resolve } from 'node:path';
import { launchFirefoxWithExtension, SETUP_TIMEOUT_MS, type FirefoxSession, type PanelSnapshot } from '../support/firefox.js';
import {
  corsXml,
  S3RVER_CREDENTIALS,
  startCollector,
  startS3,
  startStaticServer,
  waitUntil,
  type Collector,
  type LocalS3,
  type StaticServer,
} from '../support/servers.js';

/** One devtools.network observation, as observer-addon/devtools.js reports it. */
interface Observation {
  via: 'ready' | 'onRequestFinished';
  method: string;
  url: string;
  status: number;
  origin: string | null;
  acao: string | null;
}

interface PageOutcome {
  ok: boolean;
  result?: string;
  error?: string;
}

const FIREFOX_FETCH_FAILURE = 'TypeError: NetworkError when attempting to fetch resource.';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

const isObservation = (message: unknown): message is Observation => typeof message === 'object' && message !== null && 'via' in message;

interface HarView {
  log: { entries: Array<{ request: { method: string; url: string; headers: Array<{ name: string; value: string }> }; response: { status: number } }> };
}

describe('Firefox-only capture behaviour, and how the add-on copes', () => {
  let firefox: FirefoxSession;
  let collector: Collector;
  let pageServer: StaticServer;
  /** Allows the page only PUT with content-type: a custom header, and any GET, are refused. */
  let refusing: LocalS3;
  /** Allows GET from the page: CORS headers only for requests that carry Origin (S19), and no Vary on others. */
  let caching: LocalS3;

  const run = (call: string) => firefox.page.evaluate(`window.quirks.${call}`) as Promise<PageOutcome>;
  const observed = (predicate: (o: Observation) => boolean) => collector.received.filter(isObservation).filter(predicate);
  const rowsFor = (snapshot: PanelSnapshot, urlPart: string) => snapshot.rows.filter((r) => r.url.includes(urlPart));

  beforeAll(async () => {
    collector = await startCollector();
    pageServer = await startStaticServer(resolve(import.meta.dirname, 'quirks-page'));
    refusing = await startS3({
      bucket: 'quirks',
      cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }]),
    });
    caching = await startS3({ bucket: 'cached', cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['GET'] }]) });
    const client = new AwsClient({ ...S3RVER_CREDENTIALS, service: 's3', region: 'us-east-1' });
    const objects: Array<[LocalS3, string, string, string]> = [
      [refusing, 'report.json', '{"rows":1}', 'application/json'],
      [caching, 'anonymous.svg', SVG, 'image/svg+xml'],
      [caching, 'credentialed.svg', SVG, 'image/svg+xml'],
    ];
    for (const [s3, key, body, type] of objects) {
      // Cacheable for an hour, like a typical public asset: what makes scenario (h) possible.
      const response = await client.fetch(`${s3.endpoint}/${s3.bucket}/${key}`, {
        method: 'PUT',
        body,
        headers: { 'content-type': type, 'cache-control': 'max-age=3600' },
      });
      expect(response.status).toBe(200);
    }
    firefox = await launchFirefoxWithExtension({ extraAddons: [join(import.meta.dirname, 'observer-addon')] });
    await firefox.page.goto(`${pageServer.url('/')}?collector=${encodeURIComponent(collector.url)}`);
    await firefox.showExtensionPanel();
    await collector.waitFor((m): m is Observation => isObservation(m) && m.via === 'ready');
    await waitUntil('the panel to start', async () => (await firefox.readPanel()).rows);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await firefox?.close();
    await Promise.all([refusing?.stop(), caching?.stop(), pageServer?.stop(), collector?.stop()]);
  });

  it('a blocked non-simple request never fires onRequestFinished: the panel gets it from getHAR() once its preflight finished', async () => {
    const url = `${refusing.endpoint}/quirks/upload.txt`;
    expect(await run(`putWithMetadata(${JSON.stringify(url)})`)).toEqual({ ok: false, error: FIREFOX_FETCH_FAILURE });

    // The add-on has the actual request (status 0, full headers), not only its lone preflight.
    const record = await waitUntil('the PUT with its preflight in the store', async () => {
      const found = (await firefox.storedEvidence()).find((r) => r.exchange.request.url === url && r.exchange.response && r.exchange.preflight?.response);
      // On timeout, say what was stored and what Firefox's onRequestFinished showed.
      if (!found)
        throw new Error(
          `stored ${JSON.stringify((await firefox.storedEvidence()).filter((r) => r.exchange.request.url === url).map((r) => [r.exchange.request.method, r.exchange.response?.status, r.exchange.preflight?.response?.status ?? null]))}; Firefox showed ${JSON.stringify(observed((o) => o.url === url).map((o) => [o.via, o.method, o.status]))}`,
        );
      return found;
    });
    expect(record.exchange.request.method).toBe('PUT');
    expect(record.exchange.response?.status).toBe(0);
    expect(record.exchange.request.headers.origin).toBe(pageServer.origin);
    expect(record.exchange.preflight?.response?.status).toBe(403);

    // Firefox: the preflight finishes (onRequestFinished, 403); the PUT never does, and is in getHAR() (status 0,
    // with its Origin). The HAR is read once, now that the add-on has both: reading it loses what arrives meanwhile.
    await waitUntil(
      'the observer to see the preflight finish',
      async () => observed((o) => o.url === url && o.via === 'onRequestFinished' && o.method === 'OPTIONS')[0],
    );
    const har = await firefox.readHar<HarView>();
    const put = har.log.entries.filter((e) => e.request.method === 'PUT' && e.request.url === url);
    expect(put.map((e) => [e.response.status, e.request.headers.find((h) => h.name.toLowerCase() === 'origin')?.value])).toEqual([[0, pageServer.origin]]);
    expect(observed((o) => o.via === 'onRequestFinished' && o.method === 'OPTIONS' && o.url === url)[0]).toMatchObject({ status: 403 });
    expect(observed((o) => o.via === 'onRequestFinished' && o.method === 'PUT' && o.url === url)).toEqual([]);
    // …and the panel lists it once.
    const rows = rowsFor(await firefox.readPanel(), 'upload.txt');
    expect(rows.map((r) => [r.method, r.outcome])).toEqual([['PUT', 'blocked']]);
  });

  /**
   * A blocked simple GET finishes in Firefox's DevTools (onRequestFinished) with the response S3 sent: Firefox's
   * network monitor records the response before the CORS check cancels the channel. It used to be missed now and
   * then — status 0, or no entry at all — and was repeated: that was getHAR() polling (this observer's and the
   * add-on's) switching the monitor's store updates off while they arrived. Nothing polls it now: one request.
   */
  async function simpleGetRecordedByFirefox(url: string): Promise<Observation> {
    expect(await run(`simpleGet(${JSON.stringify(url)})`)).toEqual({ ok: false, error: FIREFOX_FETCH_FAILURE });
    return waitUntil(
      'Firefox to finish the GET (onRequestFinished)',
      async () => observed((o) => o.via === 'onRequestFinished' && o.method === 'GET' && o.url === url)[0],
    );
  }

  it('a blocked simple GET that Firefox reports as a 200 completion is still flagged, from its headers', async () => {
    const url = `${refusing.endpoint}/quirks/report.json`;
    // Firefox: a completion — status 200, no error — only the missing Access-Control-Allow-Origin tells.
    const completed = await simpleGetRecordedByFirefox(url);
    expect(completed).toMatchObject({ status: 200, origin: pageServer.origin, acao: null });
    expect(observed((o) => o.via === 'onRequestFinished' && o.url === url).length).toBeGreaterThan(0);

    // The add-on kept the 200 (relevance judged it from the headers) and the panel flags that very exchange.
    const record = await waitUntil('the 200 in the store', async () =>
      (await firefox.storedEvidence()).find((r) => r.exchange.request.url === url && r.exchange.response?.status === 200),
    );
    const row = await waitUntil('its row in the panel', async () => (await firefox.readPanel()).rows.find((r) => r.id === record.exchange.id));
    expect(row.outcome).toBe('blocked');
    expect(row.verdict).toContain('MissingAllowOriginHeader');
  });

  it('keeps the S3 error body of a blocked simple GET, which Firefox (unlike Chrome) provides', async () => {
    const url = `${refusing.endpoint}/quirks/missing.json`;
    expect(await simpleGetRecordedByFirefox(url)).toMatchObject({ status: 404, acao: null });
    const record = await waitUntil('the 404 with its body in the store', async () =>
      (await firefox.storedEvidence()).find((r) => r.exchange.request.url === url && r.exchange.response?.status === 404 && r.exchange.response.body),
    );
    expect(record.exchange.response?.body).toContain('<Code>NoSuchKey</Code>');
    const row = await waitUntil('its row in the panel', async () => (await firefox.readPanel()).rows.find((r) => r.id === record.exchange.id));
    expect(row.outcome).toBe('blocked');
  });

  describe('with host access granted (webRequest adds fromCache and error strings)', () => {
    beforeAll(async () => {
      await firefox.grantHostPermissions(['http://127.0.0.1/*']);
    });

    it('scenario (h): Firefox keys its cache on the anonymous flag, so <img> then fetch() of the same URL succeeds', async () => {
      const url = `${caching.endpoint}/cached/anonymous.svg`;
      expect(await run(`imageThenFetch(${JSON.stringify(url)}, 'same-origin')`)).toEqual({ ok: true, result: 'HTTP 200' });
      // The fetch went to the network with its Origin (a cache entry of its own) and got the CORS headers. (Its
      // onRequestFinished was once missing for 25 s: getHAR() polling had switched DevTools' updates off meanwhile.)
      const fetched = await waitUntil(
        'the fetch to finish',
        async () => observed((o) => o.via === 'onRequestFinished' && o.url === url && o.origin !== null)[0],
      );
      expect(fetched).toMatchObject({ status: 200, origin: pageServer.origin, acao: pageServer.origin });
      // Nothing failed, so nothing is reported. A fence instead of a fixed wait: a failing request made after the
      // fetch reaches the panel through the same captures, after it; once its row is in, the fetch was handled.
      const fence = `${refusing.endpoint}/quirks/fence-after-h.txt`;
      expect(await run(`putWithMetadata(${JSON.stringify(fence)})`)).toEqual({ ok: false, error: FIREFOX_FETCH_FAILURE });
      await waitUntil('the fence request in the panel', async () =>
        rowsFor(await firefox.readPanel(), 'fence-after-h.txt').find((r) => r.outcome === 'blocked'),
      );
      expect(rowsFor(await firefox.readPanel(), 'anonymous.svg').filter((r) => r.outcome === 'blocked')).toEqual([]);
    });

    it('scenario (h2): a credentialed fetch after <img> is still served from cache without CORS headers, and the panel names the cache', async () => {
      const url = `${caching.endpoint}/cached/credentialed.svg`;
      expect(await run(`imageThenFetch(${JSON.stringify(url)}, 'include')`)).toEqual({ ok: false, error: FIREFOX_FETCH_FAILURE });
      const row = await waitUntil('the cached failure in the panel', async () =>
        rowsFor(await firefox.readPanel(), 'credentialed.svg').find((r) => r.outcome === 'blocked'),
      );
      expect(row.codes).toContain('CACHED_RESPONSE_WITHOUT_CORS');
      // Firefox's webRequest says fromCache truthfully (Chromium's does not).
      const record = (await firefox.storedEvidence()).find((r) => r.exchange.id === row.id || r.aliases.includes(row.id));
      expect(record?.exchange.fromCache).toBe(true);
    });
  });
});
