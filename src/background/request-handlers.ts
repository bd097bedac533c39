/** Message routing: one handler per request type of the seam (src/messages.ts), each a thin call into a service. */
import type { ObservedExchange } from '../core/evidence/types.js';
import type { BackgroundRequest, BucketLocation, Broadcast, Credentials, PolicyFetchResult, ProbeOutcome } from '../messages.js';
import type { KeyValueStore } from '../platform/key-value-store.js';
import type { PreflightTransport } from '../platform/probe-transport.js';
import { probeBucket } from './probe.js';
import type { EvidenceStore } from './evidence-store.js';
import { probeTargetFor } from './probe-target.js';
import { AWS_ENDPOINT, signingEndpointOf } from '../core/endpoint/signing.js';

/** What the session store keeps: the credentials and the endpoints the user entered or confirmed them for. */
type StoredCredentials = Credentials & { endpoints?: string[] };
/** A user confirming endpoint after endpoint keeps only the newest few. */
const MAX_BOUND_ENDPOINTS = 8;

/** storage.session only: never storage.local, never logged, never exported (issue 4). */
export const CREDENTIALS_KEY = 'credentials';

export interface BackgroundServices {
  evidence: EvidenceStore;
  session: KeyValueStore;
  broadcast(message: Broadcast): void;
  probeTransport: PreflightTransport;
  /** Pause between two probe preflights (the planner's default: 250 ms); tests set 0. */
  probeOptions?: { delayMs?: number };
  /**
   * GetBucketCors signed for `options.endpoint` only; `options.hostCovers` is asked about every URL actually fetched
   * (src/platform/policy-fetch.ts).
   */
  fetchPolicy(
    location: BucketLocation,
    credentials: Credentials,
    options: { endpoint: string; hostCovers(url: string): Promise<boolean> },
  ): Promise<PolicyFetchResult>;
  /** Whether a granted host permission covers the URL (any port). */
  hostCovers(url: string): Promise<boolean>;
  refreshCapture(): Promise<string[]>;
  onDevtoolsReady?(tabId: number): void;
}

function validCredentials(value: unknown): value is Credentials {
  const c = value as Partial<Credentials> | null;
  return Boolean(c && typeof c.accessKeyId === 'string' && c.accessKeyId && typeof c.secretAccessKey === 'string' && c.secretAccessKey);
}

export function createRequestHandler(services: BackgroundServices): (request: BackgroundRequest) => Promise<unknown> {
  const { evidence, session, broadcast } = services;

  async function addEvidence(tabId: number, exchanges: ObservedExchange[]) {
    const changed = await evidence.add(tabId, exchanges);
    if (changed.length > 0) broadcast({ type: 'evidence/changed', tabId, exchanges: changed, cleared: false });
    return { stored: changed.length };
  }

  async function probe(tabId: number, exchangeId: string): Promise<ProbeOutcome> {
    const exchange = await evidence.find(tabId, exchangeId);
    if (!exchange) throw new Error(`no captured request ${exchangeId} in this tab`);
    const target = probeTargetFor(exchange);
    if (!(await services.hostCovers(target.url))) {
      throw new Error(`probing needs access to ${new URL(target.url).host}: grant it from the panel first`);
    }
    return probeBucket(
      exchangeId,
      target,
      services.probeTransport,
      (partial) => broadcast({ type: 'probe/progress', tabId, result: partial }),
      services.probeOptions,
    );
  }

  return async (request) => {
    switch (request.type) {
      case 'evidence/get':
        return evidence.get(request.tabId);
      case 'evidence/add':
        return addEvidence(request.tabId, request.exchanges);
      case 'evidence/clear':
        await evidence.clear(request.tabId);
        broadcast({ type: 'evidence/changed', tabId: request.tabId, exchanges: [], cleared: true });
        return { cleared: true };
      case 'tab/navigated': {
        const cleared = await evidence.navigated(request.tabId);
        if (cleared) broadcast({ type: 'evidence/changed', tabId: request.tabId, exchanges: [], cleared: true });
        return { cleared };
      }
      case 'preserve-log/set':
        await evidence.setPreserveLog(request.tabId, request.preserve);
        return { preserveLog: request.preserve };
      case 'devtools/ready':
        services.onDevtoolsReady?.(request.tabId);
        await session.set({ [`devtools-ready:${request.tabId}`]: { browser: request.browser, at: Date.now() } });
        return { ok: true };
      case 'capture/covers': {
        const covered = await Promise.all(request.urls.map((url) => services.hostCovers(url)));
        return { covered: covered.length > 0 && covered.every(Boolean) };
      }
      case 'capture/refresh':
        return { origins: await services.refreshCapture() };
      case 'probe/run':
        return probe(request.tabId, request.exchangeId);
      case 'policy/fetch': {
        const stored = await session.get<StoredCredentials>(CREDENTIALS_KEY);
        if (!validCredentials(stored)) throw new Error('no credentials: paste an access key first');
        const { location } = request;
        const endpoint = signingEndpointOf(location.requestUrl);
        if (!endpoint) throw new Error('the captured request has no http(s) URL');
        if (!(await services.hostCovers(location.requestUrl))) {
          throw new Error(`fetching the policy needs access to ${new URL(location.requestUrl).host}: grant it from the panel first`);
        }
        // Issue 11: credentials sign only for the endpoints they were entered or confirmed for.
        const { endpoints = [AWS_ENDPOINT], ...credentials } = stored;
        if (!endpoints.includes(endpoint)) {
          if (request.confirmEndpoint !== endpoint)
            return { kind: 'confirm-endpoint', bucket: location.bucket, endpoint, boundTo: endpoints } satisfies PolicyFetchResult;
          await session.set({ [CREDENTIALS_KEY]: { ...stored, endpoints: [...endpoints, endpoint].slice(-MAX_BOUND_ENDPOINTS) } });
        }
        return services.fetchPolicy(location, credentials, { endpoint, hostCovers: (url) => services.hostCovers(url) });
      }
      case 'credentials/set': {
        if (!validCredentials(request.credentials)) throw new Error('credentials need an access key id and a secret access key');
        const { accessKeyId, secretAccessKey, sessionToken, region } = request.credentials;
        const endpoint = (request.endpointUrl && signingEndpointOf(request.endpointUrl)) || AWS_ENDPOINT;
        await session.set({
          [CREDENTIALS_KEY]: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(region ? { region } : {}), endpoints: [endpoint] },
        });
        return { hasCredentials: true };
      }
      case 'credentials/forget':
        await session.remove(CREDENTIALS_KEY);
        return { hasCredentials: false };
      case 'credentials/status':
        return { hasCredentials: validCredentials(await session.get(CREDENTIALS_KEY)) };
    }
  };
}
