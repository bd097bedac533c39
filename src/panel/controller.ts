/**
 * The panel's controller (main.tsx → controller → App, one way): holds PanelState, turns evidence into rows with the
 * core's diagnosis, and implements PanelActions by asking the background (probe, policy fetch, credentials, store)
 * through the message seam.
 * It reaches extension APIs only through the injected dependencies, so it runs in unit tests with fakes.
 */
import type { ObservedExchange } from '../core/evidence/types.js';
import { diagnose, type Diagnosis } from '../core/diagnose/index.js';
import { DiagnosisMemo } from '../core/triage/shared-diagnosis.js';
import type { BucketState } from '../core/s3/types.js';
import { parseS3Url } from '../core/endpoint/index.js';
import { describeEndpoint } from '../core/endpoint/signing.js';
import { readHarBytes } from '../core/har/index.js';
import { lintPolicy, parsePolicy, type RenderFormat } from '../core/policy/index.js';
import { isSameRequest } from '../core/evidence/merge.js';
import { bucketOfPolicyKey, bucketOfTarget, policyKey, requestTargetOf } from '../core/evidence/bucket-key.js';
import type { Bridge, Broadcast, BucketLocation, Credentials, ProbeOutcome } from '../messages.js';
import type { CapturedRow, PanelActions, PanelState, PendingActions, PolicyState } from './model.js';
import type { KeyValueStore } from '../platform/key-value-store.js';

const POLICIES_KEY = 'panel-policies';

export interface PanelDependencies {
  tabId: number;
  bridge: Bridge;
  browser: PanelState['browser'];
  theme: PanelState['theme'];
  /** Must call permissions.request synchronously: it only works inside the click's user gesture. */
  requestPermission(origins: string[]): Promise<boolean>;
  grantedOrigins(): Promise<string[]>;
  copyText(text: string): void;
  download(fileName: string, mimeType: string, text: string): void;
  /** Re-test: how long to wait between probes while a fix propagates (S26), and how often to try. */
  retest?: { delayMs: number; attempts: number };
  /** storage.session: policies are remembered per bucket for the browser session (issue 4), across panel reloads. */
  memory?: KeyValueStore;
  sleep?(ms: number): Promise<void>;
  /** Runs the next slice of queued captured requests (default: a macrotask, so the panel paints in between). */
  schedule?(run: () => void): void;
  /** A clock for the slices' time budget (default performance.now). */
  now?(): number;
}

/**
 * Captured requests are applied and diagnosed in slices: at least MIN_SLICE per slice, then until SLICE_MS is
 * spent; what remains is `state.processing` (the panel shows "processing N…") and waits for the next slice.
 */
const SLICE_MS = 12;
const MIN_SLICE = 50;

/** Related exchanges handed to the diagnosis (cache poisoning, traffic-wide hints); bounded so 10,000 rows stay fast. */
const MAX_RELATED = 50;

function fallbackDiagnosis(exchange: ObservedExchange, error: unknown): Diagnosis {
  return {
    exchangeId: exchange.id,
    outcome: 'unknown',
    verdict: `not diagnosed: ${error instanceof Error ? error.message : String(error)}`,
    findings: [],
    trace: [],
    browser: null,
    fix: null,
    provider: { id: 'unknown', name: 'unknown', notes: [] },
  };
}

function bucketStateOf(policy: PolicyState | undefined, probe: Partial<ProbeOutcome> | undefined): BucketState | undefined {
  if (policy?.source === 'none-configured') return { kind: 'no-cors' };
  // A configuration S3 would refuse (PutBucketCors fails) cannot be the bucket's: judging by it would turn requests
  // the browser saw succeed into failures. The panel reports it as refused instead.
  if (policy?.policy && !policy.lint?.errors.length) return { kind: 'cors', config: policy.policy.config };
  // A probe that met "CORS is not enabled" or "bucket not found" is S3's own word on the bucket (S5, S6).
  if (probe?.firstVerdict === 'cors-not-enabled') return { kind: 'no-cors' };
  if (probe?.firstVerdict === 'bucket-missing') return { kind: 'missing' };
  return undefined;
}

/** The newest MAX_RELATED of the bucket's exchanges (oldest first), other than `exchange`: slicing before filtering keeps this linear in the row count. */
function relatedIn(ofBucket: ObservedExchange[], exchange: ObservedExchange): ObservedExchange[] {
  return ofBucket
    .slice(-(MAX_RELATED + 1))
    .filter((e) => e !== exchange)
    .slice(-MAX_RELATED);
}

const probeSummaryOf = (probe: PanelState['probes'][string] | undefined) => (probe?.status === 'done' ? probe.summary : undefined);

export class PanelController {
  state: PanelState;
  readonly actions: PanelActions;
  private exchanges = new Map<string, ObservedExchange>();
  private readonly diagnoses = new Map<
    string,
    { exchange: ObservedExchange; policy: PolicyState | undefined; probeSummary: string | undefined; diagnosis: Diagnosis; row: CapturedRow }
  >();
  private readonly listeners = new Set<(state: PanelState) => void>();
  /** Broadcast exchanges not yet applied, in arrival order. */
  private queue: ObservedExchange[] = [];
  private drainScheduled = false;
  /** "METHOD url" → ids of shown webRequest-side exchanges, so a DevTools-side report finds its twin without a scan. */
  private readonly webRequestIds = new Map<string, Set<string>>();
  /** Rows by exchange object: a row is built (and its request diagnosed) once per version of the evidence. */
  private readonly bucketOfExchange = new WeakMap<ObservedExchange, string>();

  constructor(private readonly deps: PanelDependencies) {
    this.state = {
      rows: [],
      policies: {},
      probes: {},
      hasCredentials: false,
      preserveLog: false,
      theme: deps.theme,
      browser: deps.browser,
      grantedOrigins: [],
      notice: null,
      fixFormat: 'console',
      // Until start() has read the tab's evidence, an empty list means "loading", not "nothing captured".
      pending: { capture: true },
    };
    this.actions = this.createActions();
  }

  subscribe(listener: (state: PanelState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.deps.bridge.listen((message) => this.onBroadcast(message));
    const [evidence, credentials, granted, policies] = await Promise.all([
      this.deps.bridge.send({ type: 'evidence/get', tabId: this.deps.tabId }),
      this.deps.bridge.send({ type: 'credentials/status' }),
      this.deps.grantedOrigins(),
      // Remembered policies are a convenience: a context without storage.session still starts.
      this.deps.memory?.get<Record<string, PolicyState>>(POLICIES_KEY).catch(() => undefined),
    ]).catch((error: unknown) => {
      this.update({ pending: this.pendingWith({ capture: undefined }) });
      throw error;
    });
    for (const exchange of evidence.exchanges) {
      this.exchanges.set(exchange.id, exchange);
      this.noteRecent(exchange);
      if (exchange.source === 'webrequest') this.indexWebRequest(exchange);
    }
    this.update({
      pending: this.pendingWith({ capture: undefined }),
      preserveLog: evidence.preserveLog,
      hasCredentials: credentials.hasCredentials,
      grantedOrigins: granted,
      policies: { ...policies, ...this.state.policies },
    });
  }

  setTheme(theme: PanelState['theme']): void {
    this.update({ theme });
  }

  /** The row for an exchange id (for tests and the demo's terminal output). */
  row(exchangeId: string): CapturedRow | undefined {
    return this.state.rows.find((r) => r.exchange.id === exchangeId);
  }

  private onBroadcast(message: Broadcast): void {
    if (message.tabId !== this.deps.tabId) return;
    if (message.type === 'probe/progress') {
      this.update({ probes: { ...this.state.probes, [message.result.exchangeId]: message.result } });
      return;
    }
    if (message.cleared) {
      this.exchanges = new Map([...this.exchanges].filter(([, e]) => e.source === 'har'));
      this.webRequestIds.clear();
      this.queue = [];
    }
    if (message.exchanges.length === 0) return this.update({ processing: this.queue.length });
    for (const exchange of message.exchanges) this.queue.push(exchange);
    // Caught up: this batch's first slice is applied at once; only a backlog waits for later slices.
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.drain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    (this.deps.schedule ?? ((run: () => void) => void setTimeout(run, 0)))(() => this.drain());
  }

  /** Applies one slice of the queue, then publishes the state once (rows and how many wait). */
  private drain(): void {
    this.drainScheduled = false;
    const now = this.deps.now ?? (() => performance.now());
    const deadline = now() + SLICE_MS;
    let applied = 0;
    while (this.queue.length > applied && (applied < MIN_SLICE || now() < deadline)) {
      const exchange = this.queue[applied];
      if (exchange === undefined) break;
      this.apply(exchange);
      applied++;
    }
    this.queue = applied === this.queue.length ? [] : this.queue.slice(applied);
    this.update({ processing: this.queue.length });
    if (this.queue.length > 0) this.scheduleDrain();
  }

  private indexWebRequest(exchange: ObservedExchange): void {
    const key = `${exchange.request.method.toUpperCase()} ${exchange.request.url}`;
    const ids = this.webRequestIds.get(key) ?? new Set<string>();
    ids.add(exchange.id);
    this.webRequestIds.set(key, ids);
  }

  private apply(exchange: ObservedExchange): void {
    const key = `${exchange.request.method.toUpperCase()} ${exchange.request.url}`;
    // The store merges a request both sources saw under the DevTools side's id; drop the webRequest side's
    // earlier report of it (Firefox: webRequest reports a blocked request before getHAR() polling does).
    if (exchange.source === 'devtools') {
      const twins = this.webRequestIds.get(key);
      if (twins) {
        for (const id of twins) {
          const shown = this.exchanges.get(id);
          if (!shown || isSameRequest(shown, exchange)) {
            this.exchanges.delete(id);
            twins.delete(id);
          }
        }
        if (twins.size === 0) this.webRequestIds.delete(key);
      }
    } else if (exchange.source === 'webrequest') {
      this.indexWebRequest(exchange);
    }
    this.exchanges.set(exchange.id, exchange);
    this.noteRecent(exchange);
    // Diagnosed here, in the slice, so the slice's budget covers it (buildRows then finds it cached).
    this.rowOf(exchange);
  }

  private update(patch: Partial<PanelState>): void {
    this.state = { ...this.state, ...patch };
    this.state.rows = this.buildRows();
    for (const listener of this.listeners) listener(this.state);
  }

  /** The pending actions with `patch` applied; a field set to undefined is finished and dropped. */
  private pendingWith(patch: { [K in keyof PendingActions]: PendingActions[K] | undefined }): PendingActions {
    const next: Record<string, unknown> = { ...this.state.pending, ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    return next as PendingActions;
  }

  private notice(kind: 'info' | 'error', text: string): void {
    this.update({ notice: { kind, text } });
  }

  private bucketOf(exchange: ObservedExchange): string {
    let bucket = this.bucketOfExchange.get(exchange);
    if (bucket === undefined) {
      bucket = bucketOfTarget(requestTargetOf(exchange.request.url));
      this.bucketOfExchange.set(exchange, bucket);
    }
    return bucket;
  }

  /** Where the exchange's policy is kept (per bucket; per HAR file and bucket for an imported row). */
  private policyKeyOf(exchange: ObservedExchange): string {
    return policyKey(exchange, this.bucketOf(exchange));
  }

  /** The newest exchanges applied per bucket (a bounded tail): where a new request's related ones come from. */
  private readonly recentByBucket = new Map<string, ObservedExchange[]>();

  private noteRecent(exchange: ObservedExchange): void {
    const bucket = this.bucketOf(exchange);
    const list = this.recentByBucket.get(bucket) ?? [];
    list.push(exchange);
    if (list.length > 4 * MAX_RELATED) list.splice(0, list.length - 2 * MAX_RELATED);
    this.recentByBucket.set(bucket, list);
  }

  /** The newest few still shown of the bucket, linear in MAX_RELATED, not in the row count. */
  private relatedOf(exchange: ObservedExchange, bucket: string): ObservedExchange[] {
    const list = this.recentByBucket.get(bucket) ?? [];
    const related: ObservedExchange[] = [];
    for (let i = list.length - 1; i >= 0 && related.length < MAX_RELATED; i--) {
      const other = list[i];
      if (other === undefined) continue;
      if (other !== exchange && this.exchanges.get(other.id) === other) related.push(other);
    }
    return related.reverse();
  }

  private rowOf(exchange: ObservedExchange, pass?: { byBucket: Map<string, ObservedExchange[]>; memo: DiagnosisMemo }): CapturedRow {
    const bucket = this.bucketOf(exchange);
    // An imported HAR's rows are judged by the policy given with that HAR, not the live bucket's.
    const policy = this.state.policies[this.policyKeyOf(exchange)];
    const probe = this.state.probes[exchange.id];
    const probeSummary = probe?.status === 'done' ? probe.summary : undefined;
    const cached = this.diagnoses.get(exchange.id);
    // Diagnosing is pure: the same evidence with the same knowledge of the bucket gives the same answer.
    if (cached && cached.exchange === exchange && cached.policy === policy && cached.probeSummary === probeSummary) {
      return cached.row;
    }
    const bucketState = bucketStateOf(policy, probe?.status === 'done' ? probe : undefined);
    let diagnosis: Diagnosis;
    try {
      const context = {
        ...(bucketState ? { bucket: bucketState } : {}),
        related: pass ? relatedIn(pass.byBucket.get(bucket) ?? [], exchange) : this.relatedOf(exchange, bucket),
      };
      // A pass over many rows (a HAR imported, a policy given) shares one diagnosis among requests with the same facts.
      diagnosis = pass ? pass.memo.diagnose(exchange, context) : diagnose(exchange, context);
    } catch (error) {
      diagnosis = fallbackDiagnosis(exchange, error);
    }
    const row = { exchange, diagnosis };
    this.diagnoses.set(exchange.id, { exchange, policy, probeSummary, diagnosis, row });
    return row;
  }

  private buildRows(): CapturedRow[] {
    const all = [...this.exchanges.values()];
    // Exchanges the store rotated out (ring buffer) or a clear removed take their cached diagnosis with them.
    if (this.diagnoses.size > all.length + 1_000) for (const id of this.diagnoses.keys()) if (!this.exchanges.has(id)) this.diagnoses.delete(id);
    let pass: { byBucket: Map<string, ObservedExchange[]>; memo: DiagnosisMemo } | undefined;
    return all.map((exchange) => {
      const cached = this.diagnoses.get(exchange.id);
      if (
        cached?.exchange === exchange &&
        cached.policy === this.state.policies[this.policyKeyOf(exchange)] &&
        cached.probeSummary === probeSummaryOf(this.state.probes[exchange.id])
      )
        return cached.row;
      // Only a re-diagnosis (policy or probe changed, or evidence loaded at start) needs every bucket's exchanges.
      if (!pass) {
        pass = { byBucket: new Map(), memo: new DiagnosisMemo() };
        for (const e of all) {
          const list = pass.byBucket.get(this.bucketOf(e));
          if (list) list.push(e);
          else pass.byBucket.set(this.bucketOf(e), [e]);
        }
      }
      return this.rowOf(exchange, pass);
    });
  }

  /** The newest captured request to the bucket: its URL says where the bucket lives (AWS host or custom endpoint). */
  private locate(key: string): BucketLocation | null {
    const bucket = bucketOfPolicyKey(key);
    const exchange = [...this.exchanges.values()].reverse().find((e) => this.bucketOf(e) === bucket);
    if (!exchange) return null;
    let name = bucket;
    let region: string | undefined;
    try {
      const info = parseS3Url(exchange.request.url);
      name = info.bucket ?? bucket;
      region = info.region ?? undefined;
    } catch {
      // Not an S3 URL the endpoint model knows: a custom endpoint; the bucket is what the panel showed.
    }
    return { bucket: name, requestUrl: exchange.request.url, ...(region ? { region } : {}) };
  }

  private setPolicy(bucket: string, policy: PolicyState): void {
    this.state = { ...this.state, policies: { ...this.state.policies, [bucket]: policy } };
    this.deps.memory
      ?.set({ [POLICIES_KEY]: this.state.policies })
      .catch((error: unknown) => this.notice('error', `could not remember the policy: ${String(error)}`));
  }

  private async runProbe(exchangeId: string): Promise<ProbeOutcome | null> {
    this.update({
      probes: { ...this.state.probes, [exchangeId]: { exchangeId, summary: 'probing…', refused: { headers: [] }, steps: [], status: 'running' } },
    });
    try {
      const result = await this.deps.bridge.send({ type: 'probe/run', tabId: this.deps.tabId, exchangeId });
      this.update({ probes: { ...this.state.probes, [exchangeId]: result } });
      return result;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.update({
        probes: { ...this.state.probes, [exchangeId]: { exchangeId, summary: text, refused: { headers: [] }, steps: [], status: 'error' } },
        notice: { kind: 'error', text },
      });
      return null;
    }
  }

  private createActions(): PanelActions {
    const { bridge, tabId } = this.deps;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const fail = (error: unknown) => this.notice('error', error instanceof Error ? error.message : String(error));
    const fetchPolicy = (bucket: string, credentials: Credentials | null, confirmEndpoint?: string) => {
      this.update({ pending: this.pendingWith({ fetchPolicy: bucket }), signingConfirm: undefined });
      void (async () => {
        try {
          const location = this.locate(bucket);
          if (!location) throw new Error(`no captured request to ${bucket}: reproduce the request first`);
          // Credentials typed for this bucket are bound to its endpoint (AWS S3 or the store's origin).
          if (credentials) await this.setCredentials(credentials, location.requestUrl);
          const result = await bridge.send({ type: 'policy/fetch', location, ...(confirmEndpoint ? { confirmEndpoint } : {}) });
          if (result.kind === 'error') throw new Error(result.message);
          if (result.kind === 'confirm-endpoint') {
            this.update({
              signingConfirm: {
                bucket,
                endpoint: result.endpoint,
                endpointLabel: describeEndpoint(result.endpoint),
                boundTo: result.boundTo.map(describeEndpoint).join(', '),
              },
            });
            return;
          }
          if (result.kind === 'none-configured') {
            this.setPolicy(bucket, { bucket, source: 'none-configured', policy: null, lint: null });
            this.notice('info', `${result.bucket} has no CORS configuration (NoSuchCORSConfiguration)`);
            return;
          }
          const policy = parsePolicy(result.xml, { file: `${result.bucket}?cors` });
          this.setPolicy(bucket, { bucket, source: 'fetched', policy, lint: lintPolicy(policy) });
          this.notice('info', `fetched the CORS configuration of ${result.bucket} (${result.region})`);
        } catch (error) {
          fail(error);
        }
      })().finally(() => this.update({ pending: this.pendingWith({ fetchPolicy: undefined }) }));
    };
    return {
      probe: (exchangeId) => void this.runProbe(exchangeId),
      retest: (exchangeId) => {
        const { delayMs, attempts } = this.deps.retest ?? { delayMs: 5_000, attempts: 6 };
        this.update({ pending: this.pendingWith({ retest: exchangeId }) });
        void (async () => {
          // S26: a configuration change may take a moment to reach every S3 front end; ask until it does.
          for (let attempt = 1; attempt <= attempts; attempt++) {
            const result = await this.runProbe(exchangeId);
            if (!result || result.firstVerdict === 'allowed') {
              if (result) this.notice('info', `re-test: S3 now accepts the preflight (attempt ${attempt})`);
              return;
            }
            if (attempt < attempts) await sleep(delayMs);
          }
          this.notice('error', `re-test: S3 still refuses after ${attempts} attempts — is the fix applied to this bucket?`);
        })().finally(() => this.update({ pending: this.pendingWith({ retest: undefined }) }));
      },
      fetchPolicy: (bucket, credentials) => fetchPolicy(bucket, credentials),
      confirmSigning: (bucket, confirmed) => {
        const asked = this.state.signingConfirm;
        this.update({ signingConfirm: undefined });
        if (confirmed && asked?.bucket === bucket) fetchPolicy(bucket, null, asked.endpoint);
      },
      setCredentials: (credentials) => void this.setCredentials(credentials).catch(fail),
      forgetCredentials: () => {
        bridge
          .send({ type: 'credentials/forget' })
          .then(({ hasCredentials }) => this.update({ hasCredentials, notice: { kind: 'info', text: 'credentials forgotten' } }), fail);
      },
      pastePolicy: (bucket, text, fileName) => {
        try {
          const policy = parsePolicy(text, fileName ? { file: fileName } : {});
          this.setPolicy(bucket, { bucket, source: fileName ? 'file' : 'pasted', policy, lint: lintPolicy(policy) });
          this.update({ notice: null });
        } catch (error) {
          fail(error);
        }
      },
      importHar: (har, fileName) => {
        try {
          const result = readHarBytes(har);
          let added = 0;
          result.exchanges.forEach((exchange, index) => {
            this.exchanges.set(`${fileName}#${index}`, { ...exchange, id: `${fileName}#${index}` });
            added++;
          });
          this.notice('info', `imported ${added} requests from ${fileName}${result.gaps.length ? ` (${result.gaps.join('; ')})` : ''}`);
        } catch (error) {
          fail(new Error(`${fileName}: ${error instanceof Error ? error.message : String(error)}`));
        }
      },
      clear: () => {
        this.exchanges.clear();
        // Notices speak of what was on screen (an import, a fetch): they go with it.
        this.update({ probes: {}, notice: null });
        bridge.send({ type: 'evidence/clear', tabId }).catch(fail);
      },
      setPreserveLog: (preserve) => {
        this.update({ preserveLog: preserve });
        bridge.send({ type: 'preserve-log/set', tabId, preserve }).catch(fail);
      },
      requestHostPermission: (origins) => {
        this.deps
          .requestPermission(origins)
          .then(async (granted) => {
            if (!granted) return this.notice('error', 'access was not granted: probing and policy fetch stay off for this host');
            await bridge.send({ type: 'capture/refresh' });
            this.update({ grantedOrigins: await this.deps.grantedOrigins(), notice: { kind: 'info', text: `access granted to ${origins.join(', ')}` } });
          })
          .catch(fail);
      },
      copyText: (text) => this.deps.copyText(text),
      download: (fileName, mimeType, text) => this.deps.download(fileName, mimeType, text),
      setFixFormat: (format: RenderFormat) => this.update({ fixFormat: format }),
    };
  }

  private async setCredentials(credentials: Credentials, endpointUrl?: string): Promise<void> {
    const { hasCredentials } = await this.deps.bridge.send({ type: 'credentials/set', credentials, ...(endpointUrl ? { endpointUrl } : {}) });
    this.update({ hasCredentials });
  }
}
