/**
 * PROVIDER_QUIRK — where the store is not AWS and behaves differently (spec §7, failure modes 30–36): emulators
 * that verify the (always anonymous) preflight's signature, stores without OPTIONS, MinIO's server-wide CORS, R2's
 * WAF, error responses without CORS headers.
 */
import type { Check, Evidence, Finding } from '../types.js';
import { finding, isBlocked, refusedByBrowser } from './support.js';

const EMULATORS = new Set(['localstack', 's3rver', 'minio']);
const AUTH_CODES = new Set(['SignatureDoesNotMatch', 'AccessDenied', 'InvalidAccessKeyId', 'MissingSecurityHeader', 'AuthorizationHeaderMalformed']);

function preflightVerifiedAsSigned(evidence: Evidence): Finding | null {
  const error = evidence.preflightError;
  if (!error || !AUTH_CODES.has(error.code)) return null;
  const emulator = evidence.provider.id !== 'aws';
  return finding('PROVIDER_QUIRK', 'error', {
    message: `The ${emulator ? 'emulator' : 'server'} verified the preflight's signature (${error.code}); a browser preflight is never signed, so this is a bug in ${evidence.provider.name}, not in your CORS rules — it works on AWS.`,
    detail:
      'S3 evaluates preflights without authorization, from the CORS configuration alone. s3proxy, floci, some encryption gateways and early R2 answered unsigned OPTIONS with SignatureDoesNotMatch.', // S17, S30, failure mode 36
    evidence: [`preflight ${evidence.preflightResponse?.status ?? ''} ${error.code}: ${error.message}`.trim()],
    fix: `Upgrade ${evidence.provider.name} (or use one that answers OPTIONS from the CORS configuration), or test against AWS.`,
  });
}

function noOptionsSupport(evidence: Evidence): Finding | null {
  const status = evidence.preflightResponse?.status;
  // AWS website endpoints answer 405 for non-GET methods by design (S28); that is UNSUPPORTED_ENDPOINT's case.
  if ((status !== 501 && status !== 405) || evidence.provider.id === 'aws') return null;
  return finding('PROVIDER_QUIRK', 'error', {
    message: `${evidence.provider.name} answered the preflight ${status}: it does not implement OPTIONS/CORS preflights, which AWS answers from the bucket's rules.`,
    detail:
      'Several emulators and gateways (older LocalStack, S3Mock, nginx S3 gateway) have no OPTIONS support. Chrome reports "It does not have HTTP ok status".', // S3, failure mode 36
    evidence: [`preflight ${status}`],
    fix: 'Use an emulator version with CORS support (LocalStack: `EXTRA_CORS_ALLOWED_ORIGINS`), put a proxy that answers OPTIONS in front, or test against AWS.',
  });
}

/**
 * An emulator that keeps the bucket's CORS configuration (PutBucketCors, GetBucketCors) but never evaluates it: the
 * preflight is answered 2xx with no CORS header although the configuration given allows the request, and the
 * browser refused it. AWS answers such a preflight with the matching rule's headers, and refuses with 403 (S7), never
 * a bare 2xx. MinIO is left out: its refusal is a 204 without CORS headers by design (one server-wide setting, its
 * own warning below).
 */
function configurationNeverApplied(evidence: Evidence): Finding | null {
  const preflight = evidence.preflightResponse;
  if (!preflight || preflight.status < 200 || preflight.status > 299) return null;
  if (!['localstack', 's3rver'].includes(evidence.provider.id) || evidence.model?.browser.outcome !== 'allowed' || !refusedByBrowser(evidence)) return null;
  if (evidence.facts.preflight?.anyAccessControlHeader) return null;
  return finding('PROVIDER_QUIRK', 'error', {
    message: `The emulator (${evidence.provider.name}, by its address) answered the preflight ${preflight.status} without any CORS header, although the configuration you gave allows this request: it stores the CORS configuration but does not apply it.`,
    detail:
      'AWS answers this preflight with the CORS headers of the matching rule. Some emulators accept PutBucketCors and return the configuration from GetBucketCors without ever evaluating it for requests (floci did, until fixed); your rules are not the cause, and the same configuration works on AWS.', // failure mode 36
    evidence: [`preflight ${preflight.status} without Access-Control-* headers`, 'the configuration given allows this request'],
    fix: 'Upgrade the emulator (or use one that applies the bucket CORS configuration), or test against AWS; the configuration needs no change.',
  });
}

function providerSpecific(evidence: Evidence): Finding[] {
  const out: Finding[] = [];
  const blocked = isBlocked(evidence);
  const id = evidence.provider.id;
  const cfMitigated = (evidence.facts.actual ?? evidence.facts.preflight)?.cfMitigated;
  if (id === 'r2' && cfMitigated !== undefined) {
    out.push(
      finding('PROVIDER_QUIRK', 'error', {
        message: "Cloudflare's WAF or Hotlink Protection answered (cf-mitigated) before R2's CORS rules were consulted.",
        detail: 'On an R2 custom domain, security rules run before the bucket; their challenge or block page carries no CORS headers.', // failure mode 31
        evidence: [`cf-mitigated: ${cfMitigated}`],
        fix: 'Exempt the storage paths from the WAF rule or Hotlink Protection for your page origin.',
      }),
    );
  }
  if (id === 'minio' && blocked) {
    out.push(
      finding('PROVIDER_QUIRK', 'warning', {
        message: 'MinIO community edition has no per-bucket CORS: PutBucketCors is not implemented and one server-wide setting decides for every bucket.',
        detail:
          'The setting is `MINIO_API_CORS_ALLOW_ORIGIN` (or `mc admin config set <alias> api cors_allow_origin=…`); allowed headers and exposed headers cannot be set per bucket.', // failure mode 32
        evidence: [`provider: ${evidence.provider.name}`],
        fix: 'Set `MINIO_API_CORS_ALLOW_ORIGIN` to your page origin (comma-separated list) and restart MinIO.',
      }),
    );
  }
  if (id === 'b2' && blocked) {
    // Given as B2's own corsRules, the configuration is already the one this advice points to: the findings about
    // its rules name the cause, and this is context.
    const b2Rules = evidence.config?.rules.some((rule) => rule.provider?.form === 'b2') ?? false;
    out.push(
      finding('PROVIDER_QUIRK', b2Rules ? 'info' : 'warning', {
        message:
          'Backblaze B2 keeps its own CORS rules (`corsRules` with `allowedOperations` such as `s3_put`); the web console offers only download presets, and rules set through S3 PutBucketCors have been unreliable.',
        detail: 'Custom upload rules need the B2 CLI or API. B2 also rejects the AWS SDK default checksum headers.', // B2, failure mode 33
        evidence: [`provider: ${evidence.provider.name}`],
        fix: 'Set the rules with `b2 bucket update --cors-rules` using `s3_*` operations (`s3_put`, `s3_post`, …) for your page origin.',
      }),
    );
  }
  if (id === 'wasabi' && blocked) {
    out.push(
      finding('PROVIDER_QUIRK', 'warning', {
        message:
          'Wasabi is reported to answer CORS without any bucket configuration, so a missing rule is an unlikely cause here; check the request itself first.',
        detail:
          'A maintainer of a Wasabi-backed project states Wasabi needs no CORS configuration; this is a user report, not a recorded Wasabi answer. Look at the signature, expiry and endpoint.', // failure mode 35
        evidence: [`provider: ${evidence.provider.name}`],
        fix: 'Check the endpoint, signature and expiry of the request.',
      }),
    );
  }
  if (id === 'gcs' && /storage\.cloud\.google\.com/i.test(evidence.url.host)) {
    out.push(
      finding('PROVIDER_QUIRK', 'error', {
        message: '`storage.cloud.google.com` (the authenticated download endpoint) never allows CORS; use `storage.googleapis.com`.',
        detail: 'Google documents that CORS is not supported on the authenticated browser download endpoint.', // failure mode 35
        evidence: [`host ${evidence.url.host}`],
        fix: 'Use `https://storage.googleapis.com/<bucket>/<object>` with a signed URL.',
      }),
    );
  }
  const response = evidence.actualResponse;
  const errorWithoutCors = response !== null && response.status >= 400 && evidence.facts.actual?.allowOrigin === undefined;
  if (errorWithoutCors && !out.length && id !== 'aws' && id !== 'unknown' && !EMULATORS.has(id)) {
    out.push(
      finding('PROVIDER_QUIRK', 'info', {
        message: `${evidence.provider.name} omits CORS headers on error responses, so the ${response.status} looks like a CORS failure in the browser.`,
        detail:
          "AWS adds the matching rule's CORS headers to error responses; many S3-compatible stores answer errors before reading the bucket's CORS settings. Read the status and body: the real cause is the error.", // S22, failure mode 30
        evidence: [`${response.status} without Access-Control-Allow-Origin`],
        fix: 'Fix the underlying error (signature, expiry, permissions, unsupported header); the CORS rules may be fine.',
      }),
    );
  }
  return out;
}

export const providerQuirkCheck: Check = {
  id: 'provider-quirk',
  title: 'S3-compatible store or emulator behaving unlike AWS',
  requires: [],
  codes: {
    PROVIDER_QUIRK: { headline: 'This storage provider handles CORS differently', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const out: Finding[] = [];
    const verified = preflightVerifiedAsSigned(evidence);
    if (verified) out.push(verified);
    const noOptions = noOptionsSupport(evidence);
    if (noOptions) out.push(noOptions);
    const neverApplied = configurationNeverApplied(evidence);
    if (neverApplied) out.push(neverApplied);
    out.push(...providerSpecific(evidence));
    return out;
  },
};
