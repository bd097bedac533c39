/**
 * The diagnosis checks in the order they run. Earlier checks find root causes that later, more generic checks defer
 * to (they read `earlier`); the final order of findings is by severity, then by this order.
 *
 * A new check is one file here (its codes declared with their effect, see CodeEffect), its line in CHECKS below, an
 * evidence fixture per code (test/fixtures/evidence/<CODE>.json) and a page per code (docs/findings/<CODE>.md);
 * everything else (outcome, ranking, advice, headlines, FINDING_CODES) is derived from the declaration.
 */
import type { Check, CodeEffect } from '../types.js';
import { notCorsAccessDeniedCheck } from './not-cors-access-denied.js';
import { bucketNotFoundCheck } from './bucket-not-found.js';
import { cachedResponseWithoutCorsCheck } from './cached-response-without-cors.js';
import { cdnNotForwardingOriginCheck } from './cdn-not-forwarding-origin.js';
import { configRejectedCheck } from './config-rejected.js';
import { configNotAppliedCheck } from './config-not-applied.js';
import { corsBlockedCheck } from './cors-blocked.js';
import { credentialsWithWildcardOriginCheck } from './credentials-with-wildcard-origin.js';
import { headerNotExposedCheck } from './header-not-exposed.js';
import { headersNotAllowedCheck } from './headers-not-allowed.js';
import { methodNotAllowedCheck } from './method-not-allowed.js';
import { mixedContentCheck } from './mixed-content.js';
import { notCorsNetworkErrorCheck } from './not-cors-network-error.js';
import { noCorsConfigCheck } from './no-cors-config.js';
import { noRuleMatchedCheck } from './no-rule-matched.js';
import { notACorsRequestCheck } from './not-a-cors-request.js';
import { originNotAllowedCheck } from './origin-not-allowed.js';
import { preflightNotObservedCheck } from './preflight-not-observed.js';
import { preflightRedirectCheck } from './preflight-redirect.js';
import { privateNetworkAccessCheck } from './private-network-access.js';
import { providerQuirkCheck } from './provider-quirk.js';
import { notCorsRequestExpiredCheck } from './not-cors-request-expired.js';
import { ruleShadowedCheck } from './rule-shadowed.js';
import { sdkChecksumHeadersCheck } from './sdk-checksum-headers.js';
import { serviceEndpointNoCorsCheck } from './service-endpoint-no-cors.js';
import { notCorsSignatureMismatchCheck } from './not-cors-signature-mismatch.js';
import { successWithoutCorsHeadersCheck } from './success-without-cors-headers.js';
import { unsupportedEndpointCheck } from './unsupported-endpoint.js';

export const CHECKS: readonly Check[] = [
  // Below HTTP, browser platform policy and endpoints no rule can serve.
  notCorsNetworkErrorCheck,
  privateNetworkAccessCheck,
  mixedContentCheck,
  serviceEndpointNoCorsCheck,
  unsupportedEndpointCheck,
  preflightRedirectCheck,
  bucketNotFoundCheck,
  // S3 refused the request itself (not CORS).
  notCorsRequestExpiredCheck,
  notCorsSignatureMismatchCheck,
  providerQuirkCheck,
  notCorsAccessDeniedCheck,
  // Intermediaries.
  cdnNotForwardingOriginCheck,
  cachedResponseWithoutCorsCheck,
  // The bucket's configuration.
  configRejectedCheck,
  noCorsConfigCheck,
  configNotAppliedCheck,
  originNotAllowedCheck,
  methodNotAllowedCheck,
  headersNotAllowedCheck,
  sdkChecksumHeadersCheck,
  noRuleMatchedCheck,
  credentialsWithWildcardOriginCheck,
  ruleShadowedCheck,
  headerNotExposedCheck,
  successWithoutCorsHeadersCheck,
  // What the capture could not see, and the browser's own word as the last resort.
  preflightNotObservedCheck,
  notACorsRequestCheck,
  corsBlockedCheck,
];

/** Every code the checks can emit, in check order: stable, documented (docs/findings), each with an evidence fixture. */
export const FINDING_CODES: readonly string[] = CHECKS.flatMap((check) => Object.keys(check.codes));

/** Each code's effect on the diagnosis, as the check that emits it declares. */
export const CODE_EFFECTS: ReadonlyMap<string, CodeEffect> = new Map(CHECKS.flatMap((check) => Object.entries(check.codes)));
