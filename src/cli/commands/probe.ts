/**
 * `s3-cors-doctor probe <url> --origin <origin> --method <METHOD> [--header <name>]...`: send real preflights
 * (Node's fetch sends Origin and Access-Control-Request-* as given — browser-capture.md), report the server's
 * answer and find which origin, method or header is refused with the fewest requests (src/core/probe/plan.ts).
 * Follows no redirect, times out cleanly, pauses between requests, never sends credentials. Exit 0 when the probe
 * reached a conclusion, 1 when the server could not be asked (network error, timeout), 2 for bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, listFlag, onlyPositional, parseArgs, requireFlag, stringFlag } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO } from '../io.js';
import { headerMap } from '../../core/http/index.js';
import { probeJson, probeText } from '../../core/report/index.js';
import { runProbe, type PreflightAnswer, type PreflightToSend } from '../../core/probe/index.js';
import { writeReport } from '../har-stream.js';

const USAGE = 'probe <url> --origin <origin> --method <METHOD> [--header <name>]... [--json] [--timeout <ms>] [--delay <ms>] [--max-requests <n>]';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Query parameters that carry credentials: preflights are never signed (S30), so they are not sent at all. */
const CREDENTIAL_PARAMS = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'awsaccesskeyid',
  'signature',
  'x-goog-signature',
  'x-goog-credential',
  'googleaccessid',
]);
/** The most of a response body kept: S3's XML errors are well under 2 KB. */
const MAX_BODY_CHARS = 64 * 1024;

function integerFlag(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

function checkOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--origin ${JSON.stringify(value)} is not an origin (expected e.g. https://app.example.com)`);
  }
  if (url.origin === 'null' || url.origin !== value)
    throw new UsageError(
      `--origin ${JSON.stringify(value)} is not a serialized origin${url.origin !== 'null' ? `; a browser would send ${JSON.stringify(url.origin)}` : ''}`,
    );
  return value;
}

/** The URL as the probe sends it: http(s), no userinfo, credential parameters removed. */
export function probeUrl(value: string): { url: string; removed: string[] } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the URL must be http:// or https://, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError('the URL must not carry a user name or password: the probe never sends credentials');
  const removed = [...url.searchParams.keys()].filter((name) => CREDENTIAL_PARAMS.has(name.toLowerCase()));
  for (const name of removed) url.searchParams.delete(name);
  url.hash = '';
  return { url: url.toString(), removed };
}

/** One real preflight with Node's fetch: no redirect following, no credentials, a hard timeout. */
export function nodePreflightTransport(timeoutMs: number) {
  return async (preflight: PreflightToSend): Promise<PreflightAnswer> => {
    const headers: Record<string, string> = { origin: preflight.origin, 'access-control-request-method': preflight.method };
    if (preflight.headers.length > 0) headers['access-control-request-headers'] = preflight.headers.join(',');
    let response: Response;
    try {
      response = await fetch(preflight.url, { method: 'OPTIONS', headers, redirect: 'manual', credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`no answer within ${timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`network error: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const body = (await response.text()).slice(0, MAX_BODY_CHARS);
    return { status: response.status, headers: headerMap(response.headers), body };
  };
}

export const probeCommand: Command = {
  name: 'probe',
  summary: 'send real preflights to a bucket and find which origin, method or header it refuses',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      origin: { value: true },
      method: { value: true },
      header: { value: true, repeat: true },
      json: {},
      timeout: { value: true },
      delay: { value: true },
      'max-requests': { value: true },
    });
    const { url, removed } = probeUrl(onlyPositional(args, 'a URL is required'));
    const origin = checkOrigin(requireFlag(args, 'origin'));
    const method = requireFlag(args, 'method');
    if (!TOKEN.test(method)) throw new UsageError(`--method ${JSON.stringify(method)} is not an HTTP method`);
    const names = listFlag(args, 'header').map((h) => (h.split(':')[0] ?? '').trim());
    for (const name of names) if (!TOKEN.test(name)) throw new UsageError(`--header ${JSON.stringify(name)} is not a header name`);
    // Fetch: the browser sends the names lower-cased, sorted and without duplicates.
    const headers = [...new Set(names.map((n) => n.toLowerCase()))].sort();
    const timeoutMs = integerFlag(stringFlag(args, 'timeout'), 'timeout', 10_000, 100, 120_000);
    const delayMs = integerFlag(stringFlag(args, 'delay'), 'delay', 250, 0, 60_000);
    const maxRequests = integerFlag(stringFlag(args, 'max-requests'), 'max-requests', 24, 1, 100);

    const target: PreflightToSend = { url, origin, method: normalizeMethod(method), headers };
    const run = await runProbe(target, nodePreflightTransport(timeoutMs), { delayMs, maxRequests });
    const note = removed.length > 0 ? `removed ${removed.join(', ')} from the URL: preflights are never signed, and the probe never sends credentials` : null; // S30
    const text = boolFlag(args, 'json')
      ? `${JSON.stringify({ ...(probeJson(run) as object), notes: note ? [note] : [] }, null, 2)}\n`
      : `${note ? `note: ${note}\n` : ''}${probeText(run)}`;
    await writeReport(io.stdout, text);
    return run.status === 'error' ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Fetch "normalize a method": only the six standard methods are upper-cased. */
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}
