/**
 * Sending a real CORS preflight from the extension. A plain extension `fetch` cannot: both browsers drop
 * Access-Control-Request-Method/-Headers (and Firefox replaces Origin). A declarativeNetRequest SESSION rule that
 * `set`s the three headers applies to the extension's own OPTIONS request in both browsers (browser-capture.md,
 * "Active replay"). The rule is scoped to the exact URL, the OPTIONS method and tab -1 (requests that belong to no
 * tab: the extension's background), and removed in `finally`, also when the fetch fails.
 */
import { browser } from './browser.js';
import { headerMap } from '../core/http/index.js';
import type { PreflightAnswer, PreflightToSend, PreflightTransport } from '../core/probe/index.js';

export type { PreflightAnswer, PreflightToSend, PreflightTransport };

/** Session rule ids owned by the probe; one at a time (probes are serialised below). */
const PROBE_RULE_ID = 4_101;

interface SessionRuleApi {
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
}

function sessionRules(): SessionRuleApi {
  const api = (browser as unknown as { declarativeNetRequest?: SessionRuleApi }).declarativeNetRequest;
  if (!api) throw new Error('declarativeNetRequest is not available in this browser');
  return api;
}

/** urlFilter treats `*`, `^` and `|` as syntax; a URL that contains them cannot be matched exactly. */
function exactUrlFilter(url: string): string {
  if (/[*^|]/.test(url)) throw new Error(`cannot probe ${url}: the URL contains a character declarativeNetRequest reserves (*, ^ or |)`);
  return `|${url}|`;
}

export function probeRule(preflight: PreflightToSend, ruleId = PROBE_RULE_ID) {
  const requestHeaders: Array<{ header: string; operation: 'set' | 'remove'; value?: string }> = [
    { header: 'origin', operation: 'set', value: preflight.origin },
    { header: 'access-control-request-method', operation: 'set', value: preflight.method },
    preflight.headers.length > 0
      ? { header: 'access-control-request-headers', operation: 'set', value: preflight.headers.join(',') }
      : { header: 'access-control-request-headers', operation: 'remove' },
  ];
  return {
    id: ruleId,
    priority: 1,
    action: { type: 'modifyHeaders', requestHeaders },
    condition: { urlFilter: exactUrlFilter(preflight.url), requestMethods: ['options'], tabIds: [-1] },
  };
}

let queue: Promise<unknown> = Promise.resolve();

/** The declarativeNetRequest transport; needs `declarativeNetRequestWithHostAccess` and the host's permission. */
export const declarativeNetRequestTransport: PreflightTransport = (preflight) => {
  const run = async (): Promise<PreflightAnswer> => {
    const api = sessionRules();
    await api.updateSessionRules({ removeRuleIds: [PROBE_RULE_ID], addRules: [probeRule(preflight)] });
    try {
      const response = await fetch(preflight.url, { method: 'OPTIONS', cache: 'no-store', credentials: 'omit', redirect: 'manual' });
      return { status: response.status, headers: headerMap(response.headers), body: await response.text() };
    } finally {
      await api.updateSessionRules({ removeRuleIds: [PROBE_RULE_ID] });
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
};
