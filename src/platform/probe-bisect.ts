/**
 * A minimal sequential probe: replay the preflight, then narrow down what S3 refuses by dropping the requested
 * headers, trying other methods, and trying each header alone. S3's refusal never says which part failed (S16),
 * so the only way to know without the configuration is to ask again with less. Every step is one real preflight.
 * (Lives here until the triage helper's pure planner in src/core/triage lands; it uses the same transport.)
 */
import { getHeader } from '../core/http/index.js';
import type { ProbeResult, ProbeStep } from '../panel/model.js';
import type { PreflightAnswer, PreflightToSend, PreflightTransport } from './probe-transport.js';

export type PreflightVerdict = 'allowed' | 'refused' | 'cors-not-enabled' | 'bucket-missing' | 'bad-request' | 'redirect' | 'other';

const S3_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'];

/** How S3 (and look-alikes: s3rver's code is `CORSResponse`) answered one preflight (S5, S6, S15, S16, S31). */
export function classifyPreflight(answer: PreflightAnswer): PreflightVerdict {
  if (answer.status >= 200 && answer.status < 300 && getHeader(answer.headers, 'access-control-allow-origin')) return 'allowed';
  if (answer.status === 301 || answer.status === 302 || answer.status === 307 || answer.status === 308) return 'redirect';
  if (/CORS is not enabled/i.test(answer.body)) return 'cors-not-enabled';
  if (/Bucket not found|NoSuchBucket/i.test(answer.body)) return 'bucket-missing';
  if (answer.status === 400) return 'bad-request';
  if (answer.status === 403 && /CORSResponse|This CORS request is not allowed|AccessForbidden/i.test(answer.body)) return 'refused';
  if (answer.status === 403) return 'refused';
  return 'other';
}

const VERDICT_SUMMARY: Record<Exclude<PreflightVerdict, 'allowed' | 'refused'>, string> = {
  'cors-not-enabled': 'CORS is not enabled for this bucket: it has no CORS configuration at all',
  'bucket-missing': 'the bucket does not exist at this endpoint',
  'bad-request': 'S3 rejected the preflight as malformed (400)',
  redirect: 'S3 redirected the preflight (wrong region or endpoint); browsers never follow a preflight redirect',
  other: 'S3 answered the preflight unexpectedly',
};

export async function bisectPreflight(
  exchangeId: string,
  target: PreflightToSend,
  transport: PreflightTransport,
  onStep: (partial: ProbeResult) => void = () => undefined,
): Promise<ProbeResult> {
  const steps: ProbeStep[] = [];
  const result = (summary: string, refused: ProbeResult['refused'], status: ProbeResult['status'] = 'done'): ProbeResult => ({
    exchangeId,
    summary,
    refused,
    steps,
    status,
  });

  async function ask(description: string, preflight: PreflightToSend): Promise<PreflightVerdict> {
    const request = {
      method: 'OPTIONS',
      url: preflight.url,
      headers: {
        origin: preflight.origin,
        'access-control-request-method': preflight.method,
        ...(preflight.headers.length > 0 ? { 'access-control-request-headers': preflight.headers.join(',') } : {}),
      },
    };
    try {
      const answer = await transport(preflight);
      steps.push({ description, request, response: { status: answer.status, headers: answer.headers, body: answer.body } });
      onStep(result('probing…', { headers: [] }, 'running'));
      return classifyPreflight(answer);
    } catch (error) {
      steps.push({ description, request, response: null, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  try {
    const first = await ask(`the preflight as the page sent it (${target.method}${target.headers.length ? ` with ${target.headers.join(', ')}` : ''})`, target);
    if (first === 'allowed') return result('S3 allows this preflight now: origin, method and every header are accepted', { headers: [] });
    if (first !== 'refused') return result(VERDICT_SUMMARY[first], { headers: [] });

    const bare = target.headers.length > 0 ? await ask('the same origin and method without any requested header', { ...target, headers: [] }) : 'refused';
    let workingMethod: string | null = bare === 'allowed' ? target.method : null;
    let methodRefused = false;
    if (!workingMethod) {
      for (const method of S3_METHODS.filter((m) => m !== target.method)) {
        if ((await ask(`the same origin with method ${method}, no headers`, { ...target, method, headers: [] })) === 'allowed') {
          workingMethod = method;
          methodRefused = true;
          break;
        }
      }
    }
    if (!workingMethod) {
      return result(`no rule matches: origin ${target.origin} is refused for every method`, { origin: target.origin, headers: [] });
    }
    const refusedHeaders: string[] = [];
    for (const header of target.headers) {
      const verdict = await ask(`origin and ${workingMethod} with only ${header}`, { ...target, method: workingMethod, headers: [header] });
      if (verdict !== 'allowed') refusedHeaders.push(header);
    }
    const parts: string[] = [];
    if (methodRefused) parts.push(`method ${target.method} refused for origin ${target.origin}`);
    if (refusedHeaders.length > 0) parts.push(`header${refusedHeaders.length > 1 ? 's' : ''} ${refusedHeaders.join(', ')} refused`);
    if (parts.length === 0) parts.push('each header passes alone but not together — the configuration needs one rule that allows all of them');
    return result(`no rule matches: ${parts.join('; ')}`, { method: methodRefused ? target.method : undefined, headers: refusedHeaders });
  } catch (error) {
    return result(`probe failed: ${error instanceof Error ? error.message : String(error)}`, { headers: [] }, 'error');
  }
}
