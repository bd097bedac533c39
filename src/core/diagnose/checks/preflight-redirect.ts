/**
 * PREFLIGHT_REDIRECT — S3 answered the preflight with 301/307 (wrong region or the global endpoint, S31); browsers
 * never follow a redirect on a preflight (Fetch: CORS-preflight fetch, "If response's status is not an ok status").
 * REGION_REDIRECT is the same cause on a request that needed no preflight (failure mode 15).
 */
import { readAnswerFacts, type AnswerFacts } from '../../evidence/facts.js';
import type { ObservedResponse } from '../../evidence/types.js';
import type { Check, Evidence, S3ErrorBody } from '../types.js';
import { finding } from './support.js';

const REDIRECT_STATUSES = new Set([301, 302, 307, 308]);

/** The endpoint S3 names: its <Endpoint>, else built from x-amz-bucket-region (path-style for dotted names). */
export function rightEndpoint(evidence: Evidence, answer: AnswerFacts | null, error: S3ErrorBody | null): { endpoint: string | null; region: string | null } {
  const region = answer?.bucketRegion ?? error?.fields.Region ?? null;
  const named = error?.fields.Endpoint;
  const bucket = evidence.url.bucket;
  if (named) return { endpoint: `https://${named}`, region };
  if (region && bucket) {
    return { endpoint: bucket.includes('.') ? `https://s3.${region}.amazonaws.com/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`, region };
  }
  return { endpoint: null, region };
}

function redirectDetail(evidence: Evidence, region: string | null): string {
  const parts = [
    'S3 answers a request sent to the wrong regional endpoint, or to the global endpoint for a new bucket, with 301 PermanentRedirect or 307 TemporaryRedirect.',
  ]; // S31
  const signedRegion = evidence.url.presign?.region;
  if (signedRegion && region && signedRegion !== region)
    parts.push(
      `The presigned URL is also signed for \`${signedRegion}\` while the bucket is in \`${region}\`; regenerate it with the bucket's region or the signature will fail next.`,
    );
  return parts.join(' ');
}

export const preflightRedirectCheck: Check = {
  id: 'preflight-redirect',
  title: 'Region or endpoint redirect',
  requires: [],
  codes: {
    PREFLIGHT_REDIRECT: { headline: 'The preflight was redirected', cause: 'not-cors-refused', blocks: true, configFix: false },
    REGION_REDIRECT: { headline: 'The bucket is in another region', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const preflight = evidence.preflightResponse;
    const modelPreflight = evidence.model?.preflight ?? null;
    const corsSaysRedirect =
      evidence.observedFailure?.corsError === 'PreflightDisallowedRedirect' ||
      /ERR_INVALID_REDIRECT/.test(evidence.exchange.preflight?.error ?? evidence.exchange.error ?? '');
    const preflightRedirected = (preflight && REDIRECT_STATUSES.has(preflight.status)) || (!preflight && corsSaysRedirect);
    const modelRedirected = !preflight && !corsSaysRedirect && modelPreflight !== null && REDIRECT_STATUSES.has(modelPreflight.status);
    if (preflightRedirected || modelRedirected) {
      const response: ObservedResponse | null =
        preflight ?? (modelPreflight ? { status: modelPreflight.status, headers: modelPreflight.headers, body: modelPreflight.body } : null);
      const error = preflight
        ? evidence.preflightError
        : modelPreflight?.error
          ? { code: modelPreflight.error.code, message: modelPreflight.error.message, fields: {} }
          : null;
      // The model's answer is read like a captured one.
      const answer = preflight ? evidence.facts.preflight : response ? readAnswerFacts(response) : null;
      const { endpoint, region } = rightEndpoint(evidence, answer, error);
      return [
        finding('PREFLIGHT_REDIRECT', 'error', {
          message: `S3 redirected the preflight${response ? ` (${response.status}${error ? ` ${error.code}` : ''})` : ''} and browsers never follow a redirect on a preflight${endpoint ? `; use the bucket's regional endpoint \`${endpoint}\`` : ''}.`,
          detail: `${redirectDetail(evidence, region)}${endpoint ? '' : ' Neither `x-amz-bucket-region` nor an `<Endpoint>` was visible, so the right region is not known from this evidence: read it with `aws s3api get-bucket-location`.'}`,
          evidence: [
            ...(response ? [`preflight ${response.status}${error ? ` ${error.code}` : ''}`] : []),
            ...(corsSaysRedirect ? ['browser: PreflightDisallowedRedirect'] : []),
            ...(region ? [`x-amz-bucket-region: ${region}`] : []),
            ...(error?.fields.Endpoint ? [`<Endpoint>${error.fields.Endpoint}</Endpoint>`] : []),
          ],
          fix: `Send requests to ${endpoint ? `\`${endpoint}\`` : 'the regional endpoint `https://<bucket>.s3.<region>.amazonaws.com`'} and set the region on the client that presigns. For a bucket created minutes ago, a 307 disappears once DNS has propagated.`,
        }),
      ];
    }
    const actual = evidence.actualResponse;
    if (
      actual &&
      REDIRECT_STATUSES.has(actual.status) &&
      (evidence.actualError?.code === 'PermanentRedirect' || evidence.actualError?.code === 'TemporaryRedirect' || evidence.facts.actual?.bucketRegion)
    ) {
      const { endpoint, region } = rightEndpoint(evidence, evidence.facts.actual, evidence.actualError);
      return [
        finding('REGION_REDIRECT', 'error', {
          message: `S3 answered ${actual.status}${evidence.actualError ? ` ${evidence.actualError.code}` : ''}: the bucket lives in another region${endpoint ? `; use \`${endpoint}\`` : ''}.`,
          detail: `${redirectDetail(evidence, region)} A redirect response carries no CORS headers, so the browser reports a CORS error.`,
          evidence: [`${evidence.exchange.request.method} ${actual.status}`, ...(region ? [`x-amz-bucket-region: ${region}`] : [])],
          fix: `Send requests to ${endpoint ? `\`${endpoint}\`` : "the bucket's regional endpoint"} and configure the client with the bucket's region.`,
        }),
      ];
    }
    return [];
  },
};
