/**
 * Probing: which origin, method or header does the bucket refuse? S3's refusal never says (S16: the same 403 text
 * whatever failed), so the only way to know without the configuration is to ask again with less. This planner sends
 * as few real preflights as it can through a transport it is given (Node's fetch in the CLI, a declarativeNetRequest
 * rule in the extension), never more than a budget, with a pause between them.
 *
 * Order: the full preflight; if refused and headers were requested, the same without headers; if that passes, the
 * header set is bisected (refused headers are found in about 2·k·log2(n) requests for k refused out of n); if it
 * does not, the other S3 methods are tried with the origin alone (S11: valid methods GET PUT POST DELETE HEAD) — one
 * passing means the method is refused, none passing means the origin is.
 */
import { getHeader, type HeaderMap } from '../http/index.js';
import { parseS3Error } from '../s3/index.js';
import { S3_CORS_METHODS } from '../policy/methods.js';

export interface PreflightToSend {
  url: string;
  origin: string;
  method: string;
  /** Access-Control-Request-Headers names; empty → the header is not sent. */
  headers: string[];
}

export interface PreflightAnswer {
  status: number;
  headers: HeaderMap;
  body: string;
}

export type PreflightTransport = (preflight: PreflightToSend) => Promise<PreflightAnswer>;

/** How S3 (or a look-alike) answered one preflight (S5, S6, S15, S16, S31; s3rver's code is `CORSResponse`). */
export type ProbeVerdict = 'allowed' | 'refused' | 'cors-not-enabled' | 'bucket-missing' | 'bad-request' | 'redirect' | 'other';

export interface ProbeStep {
  description: string;
  preflight: PreflightToSend;
  answer: PreflightAnswer | null;
  verdict: ProbeVerdict | null;
  /** S3's XML error, when the body is one. */
  s3Error: { code: string; message: string } | null;
  error?: string;
}

export interface ProbeRun {
  target: PreflightToSend;
  steps: ProbeStep[];
  /** `limit`: the request budget ran out before a conclusion. */
  status: 'done' | 'error' | 'limit';
  /** How the full preflight was answered. */
  firstVerdict: ProbeVerdict | null;
  refused: { origin?: string; method?: string; headers: string[] };
  /** Each requested header passes alone but not all together: no single rule allows them all (S8). */
  headersOnlyTogether: boolean;
  /** Requested headers whose fate the probe did not establish (the method or origin failed first). */
  untestedHeaders: string[];
  summary: string;
}

export interface ProbeOptions {
  /** At most this many preflights (default 24). */
  maxRequests?: number;
  /** Pause between two preflights, ms (default 250). */
  delayMs?: number;
  /** Injected for tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Called after every step (progress in the panel). */
  onStep?: (step: ProbeStep) => void;
}

/** The methods S3 accepts, in the order the probe tries them: the reads first. */
const S3_METHODS: readonly string[] = ['GET', 'HEAD', ...S3_CORS_METHODS.filter((m) => m !== 'GET' && m !== 'HEAD')];

export function classifyPreflightAnswer(answer: PreflightAnswer, origin: string): ProbeVerdict {
  const allowOrigin = getHeader(answer.headers, 'access-control-allow-origin');
  if (answer.status >= 200 && answer.status < 300) {
    // MinIO answers a refused preflight 204 without CORS headers (spec §7): only an allowing header counts.
    return allowOrigin === origin || allowOrigin === '*' ? 'allowed' : 'refused';
  }
  if (answer.status >= 300 && answer.status < 400) return 'redirect';
  const error = parseS3Error(answer.body);
  const message = error?.message ?? answer.body;
  if (/CORS is not enabled/i.test(message)) return 'cors-not-enabled';
  if (/Bucket not found/i.test(message) || error?.code === 'NoSuchBucket') return 'bucket-missing';
  if (answer.status === 400) return 'bad-request';
  if (answer.status === 403) return 'refused';
  return 'other';
}

const VERDICT_SUMMARY: Record<Exclude<ProbeVerdict, 'allowed' | 'refused'>, string> = {
  'cors-not-enabled': 'CORS is not enabled for this bucket: it has no CORS configuration at all', // S6
  'bucket-missing': 'the bucket does not exist at this endpoint', // S5
  'bad-request': 'the server rejected the preflight as malformed (400)',
  redirect: 'the preflight was redirected (wrong region or endpoint); browsers never follow a preflight redirect', // S31
  other: 'the server answered the preflight with something other than an S3 CORS answer',
};

class BudgetExhausted extends Error {}

export async function runProbe(target: PreflightToSend, send: PreflightTransport, options: ProbeOptions = {}): Promise<ProbeRun> {
  const maxRequests = options.maxRequests ?? 24;
  const delayMs = options.delayMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const steps: ProbeStep[] = [];
  const run: ProbeRun = {
    target,
    steps,
    status: 'done',
    firstVerdict: null,
    refused: { headers: [] },
    headersOnlyTogether: false,
    untestedHeaders: [],
    summary: '',
  };

  async function ask(description: string, preflight: PreflightToSend): Promise<ProbeVerdict> {
    if (steps.length >= maxRequests) throw new BudgetExhausted();
    if (steps.length > 0 && delayMs > 0) await sleep(delayMs);
    const step: ProbeStep = { description, preflight, answer: null, verdict: null, s3Error: null };
    steps.push(step);
    try {
      step.answer = await send(preflight);
    } catch (error) {
      step.error = error instanceof Error ? error.message : String(error);
      options.onStep?.(step);
      throw error;
    }
    const s3Error = parseS3Error(step.answer.body);
    step.s3Error = s3Error ? { code: s3Error.code, message: s3Error.message } : null;
    step.verdict = classifyPreflightAnswer(step.answer, preflight.origin);
    options.onStep?.(step);
    return step.verdict;
  }

  const describe = (p: PreflightToSend) => `${p.method} from ${p.origin}${p.headers.length ? ` with ${p.headers.join(', ')}` : ' without requested headers'}`;

  /** Record the headers of `hs` refused on their own; `hs` is known to be refused as a whole. */
  async function findRefused(hs: string[], method: string): Promise<void> {
    const [only] = hs;
    if (hs.length === 1 && only !== undefined) {
      run.refused.headers.push(only);
      return;
    }
    const middle = Math.ceil(hs.length / 2);
    let bothPassed = true;
    for (const half of [hs.slice(0, middle), hs.slice(middle)]) {
      const preflight = { ...target, method, headers: half };
      if ((await ask(describe(preflight), preflight)) !== 'allowed') {
        bothPassed = false;
        await findRefused(half, method);
      }
    }
    if (bothPassed) run.headersOnlyTogether = true;
  }

  try {
    const first = await ask(`${describe(target)} (as the page sends it)`, target);
    run.firstVerdict = first;
    if (first === 'allowed') {
      run.summary = 'allowed: the origin, the method and every requested header are accepted';
      return run;
    }
    if (first !== 'refused') {
      run.summary = VERDICT_SUMMARY[first];
      return run;
    }
    let bare: ProbeVerdict = 'refused';
    if (target.headers.length > 0) {
      const preflight = { ...target, headers: [] };
      bare = await ask(describe(preflight), preflight);
    }
    if (bare === 'allowed') {
      await findRefused(target.headers, target.method);
      run.summary =
        run.refused.headers.length > 0
          ? `refused: header${run.refused.headers.length > 1 ? 's' : ''} ${run.refused.headers.join(', ')} not allowed for ${target.method} from ${target.origin}`
          : 'refused: each requested header is allowed on its own, but no single rule allows all of them together (one rule must match everything)'; // S8
      if (run.refused.headers.length > 0 && run.headersOnlyTogether) {
        run.summary += '; some of the others pass only separately (no single rule allows them together)';
      }
      return run;
    }
    for (const method of S3_METHODS.filter((m) => m !== target.method)) {
      const preflight = { ...target, method, headers: [] };
      if ((await ask(describe(preflight), preflight)) === 'allowed') {
        run.refused.method = target.method;
        run.untestedHeaders = [...target.headers];
        run.summary = `refused: method ${target.method} is not allowed for ${target.origin} (${method} is)`;
        return run;
      }
    }
    run.refused.origin = target.origin;
    run.untestedHeaders = [...target.headers];
    run.summary = `refused: origin ${target.origin} is not allowed for any method`;
    return run;
  } catch (error) {
    if (error instanceof BudgetExhausted) {
      run.status = 'limit';
      run.summary = `stopped after ${maxRequests} preflights (the request budget) before a conclusion${run.refused.headers.length ? `; refused so far: ${run.refused.headers.join(', ')}` : ''}`;
      return run;
    }
    run.status = 'error';
    run.summary = `probe failed: ${error instanceof Error ? error.message : String(error)}`;
    return run;
  }
}
