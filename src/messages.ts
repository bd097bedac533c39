/**
 * The one message seam between the background, the devtools page and the panel (React DevTools' `{listen, send}`
 * bridge, typed in one place). Requests go to the background and get exactly one reply; broadcasts go from the
 * background to every extension page and get none. Tests replace the transport with an in-memory bridge.
 */
import type { ObservedExchange } from './core/evidence/types.js';
import type { ProbeVerdict } from './core/probe/index.js';

export interface ProbeStep {
  description: string;
  request: { method: string; url: string; headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body?: string } | null;
  error?: string;
}

export interface ProbeResult {
  exchangeId: string;
  /** "CORS is not enabled", "no rule matches: header x-amz-checksum-crc32 refused", … */
  summary: string;
  refused: { origin?: string; method?: string; headers: string[] };
  steps: ProbeStep[];
  status: 'running' | 'done' | 'error';
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
}

/** A probe's result for the panel, plus how S3 answered the page's own preflight. */
export type ProbeOutcome = ProbeResult & { firstVerdict: ProbeVerdict | null };

/** What GetBucketCors told us, as plain data (the panel parses and lints the XML with the core). */
export type PolicyFetchResult =
  | { kind: 'config'; bucket: string; region: string; xml: string }
  | { kind: 'none-configured'; bucket: string; region: string }
  | { kind: 'error'; bucket: string; message: string }
  /**
   * Nothing was signed: the stored credentials were entered for another endpoint (`boundTo`, `'aws'` or an origin).
   * The panel asks the user, then sends the fetch again with `confirmEndpoint: endpoint`.
   */
  | { kind: 'confirm-endpoint'; bucket: string; endpoint: string; boundTo: string[] };

/** Which S3 bucket and endpoint a policy fetch addresses (from the captured request's URL). */
export interface BucketLocation {
  bucket: string;
  /** The URL of a captured request to the bucket: its host tells AWS from a custom endpoint. */
  requestUrl: string;
  /** The bucket's region when already known (from the URL or an earlier x-amz-bucket-region). */
  region?: string;
}

/** The request and reply of each background request, by message type. */
export interface BackgroundRequests {
  /** The tab's stored evidence (newest last) and its preserve-log setting. */
  'evidence/get': { args: { tabId: number }; reply: { exchanges: ObservedExchange[]; preserveLog: boolean } };
  /** DevTools-side evidence for the tab, merged with what the background saw of the same requests. */
  'evidence/add': { args: { tabId: number; exchanges: ObservedExchange[] }; reply: { stored: number } };
  'evidence/clear': { args: { tabId: number }; reply: { cleared: true } };
  /** The inspected page navigated: its evidence is cleared unless preserve-log is on. */
  'tab/navigated': { args: { tabId: number; url: string }; reply: { cleared: boolean } };
  'preserve-log/set': { args: { tabId: number; preserve: boolean }; reply: { preserveLog: boolean } };
  /** The devtools page is up and capturing this tab (also the end-to-end tests' readiness signal). */
  'devtools/ready': { args: { tabId: number; browser: 'chromium' | 'firefox' }; reply: { ok: true } };
  /**
   * Whether the background's webRequest capture sees every one of these URLs (the user granted their hosts): then it
   * reports a blocked request the DevTools side could only find in Firefox's getHAR().
   */
  'capture/covers': { args: { urls: string[] }; reply: { covered: boolean } };
  /** Host permissions changed (granted from the panel): re-register the webRequest listeners. */
  'capture/refresh': { args: Record<never, never>; reply: { origins: string[] } };
  /** Replay the exchange's preflight from the extension and bisect what S3 refuses. */
  'probe/run': { args: { tabId: number; exchangeId: string }; reply: ProbeOutcome };
  /** `confirmEndpoint`: the user agreed to sign for this endpoint (`'aws'` or an origin) with the stored credentials. */
  'policy/fetch': { args: { location: BucketLocation; confirmEndpoint?: string }; reply: PolicyFetchResult };
  /** `endpointUrl`: a URL of the endpoint the credentials are entered for (default: AWS S3); they are bound to it. */
  'credentials/set': { args: { credentials: Credentials; endpointUrl?: string }; reply: { hasCredentials: boolean } };
  'credentials/forget': { args: Record<never, never>; reply: { hasCredentials: boolean } };
  'credentials/status': { args: Record<never, never>; reply: { hasCredentials: boolean } };
}

export type BackgroundRequestType = keyof BackgroundRequests;

export type BackgroundRequest = {
  [K in BackgroundRequestType]: { type: K } & BackgroundRequests[K]['args'];
}[BackgroundRequestType];

export type ReplyOf<K extends BackgroundRequestType> = BackgroundRequests[K]['reply'];

/** Every reply travels wrapped, so an error in the background reaches the caller as a message, not a hang. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

/** Background → every extension page. */
export type Broadcast =
  | { type: 'evidence/changed'; tabId: number; exchanges: ObservedExchange[]; cleared: boolean }
  | { type: 'probe/progress'; tabId: number; result: ProbeOutcome };

/** Anything that travels on the runtime channel. */
export type ExtensionMessage = BackgroundRequest | Broadcast;

// Every request type once: a type added to BackgroundRequests and left out here does not compile (the background
// would otherwise ignore it, and its sender would get no reply).
const REQUEST_TYPE_LIST: Record<BackgroundRequestType, true> = {
  'evidence/get': true,
  'evidence/add': true,
  'evidence/clear': true,
  'tab/navigated': true,
  'preserve-log/set': true,
  'devtools/ready': true,
  'capture/covers': true,
  'capture/refresh': true,
  'probe/run': true,
  'policy/fetch': true,
  'credentials/set': true,
  'credentials/forget': true,
  'credentials/status': true,
};
const REQUEST_TYPES: ReadonlySet<string> = new Set(Object.keys(REQUEST_TYPE_LIST));

export function isBackgroundRequest(message: unknown): message is BackgroundRequest {
  return typeof message === 'object' && message !== null && REQUEST_TYPES.has(String((message as { type?: unknown }).type));
}

export function isBroadcast(message: unknown): message is Broadcast {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return type === 'evidence/changed' || type === 'probe/progress';
}

/**
 * The narrow transport every context talks through: `send` a request and await its reply, `listen` to broadcasts.
 * src/platform/messaging.ts implements it over runtime messaging; tests use an in-memory pair.
 */
export interface Bridge {
  send<K extends BackgroundRequestType>(request: { type: K } & BackgroundRequests[K]['args']): Promise<ReplyOf<K>>;
  listen(onBroadcast: (message: Broadcast) => void): () => void;
}

/** The background's side: answer requests, broadcast changes. */
export interface BackgroundPort {
  serve(handler: (request: BackgroundRequest) => Promise<unknown>): () => void;
  broadcast(message: Broadcast): void;
}
