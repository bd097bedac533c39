/**
 * The diagnosis checks in the order they run. Earlier checks find root causes that later, more generic checks defer
 * to (they read `earlier`); the final order of findings is by severity, then by this order.
 */
import type { Check } from '../types.js';
import { accessDeniedCheck } from './access-denied.js';
import { bucketNotFoundCheck } from './bucket-not-found.js';
import { cachedResponseWithoutCorsCheck } from './cached-response-without-cors.js';
import { cdnNotForwardingOriginCheck } from './cdn-not-forwarding-origin.js';
import { configInvalidCheck } from './config-invalid.js';
import { configNotAppliedCheck } from './config-not-applied.js';
import { corsBlockedCheck } from './cors-blocked.js';
import { credentialsWithWildcardOriginCheck } from './credentials-with-wildcard-origin.js';
import { headerNotExposedCheck } from './header-not-exposed.js';
import { headersNotAllowedCheck } from './headers-not-allowed.js';
import { methodNotAllowedCheck } from './method-not-allowed.js';
import { mixedContentCheck } from './mixed-content.js';
import { networkErrorCheck } from './network-error.js';
import { noCorsConfigCheck } from './no-cors-config.js';
import { noRuleMatchedCheck } from './no-rule-matched.js';
import { notACorsRequestCheck } from './not-a-cors-request.js';
import { originNotAllowedCheck } from './origin-not-allowed.js';
import { preflightNotObservedCheck } from './preflight-not-observed.js';
import { preflightRedirectCheck } from './preflight-redirect.js';
import { privateNetworkAccessCheck } from './private-network-access.js';
import { providerQuirkCheck } from './provider-quirk.js';
import { requestExpiredCheck } from './request-expired.js';
import { ruleShadowedCheck } from './rule-shadowed.js';
import { sdkChecksumHeadersCheck } from './sdk-checksum-headers.js';
import { serviceEndpointCheck } from './service-endpoint.js';
import { signatureMismatchCheck } from './signature-mismatch.js';
import { successWithoutCorsHeadersCheck } from './success-without-cors-headers.js';
import { unsupportedEndpointCheck } from './unsupported-endpoint.js';

export const CHECKS: readonly Check[] = [
  // Below HTTP, browser platform policy and endpoints no rule can serve.
  networkErrorCheck,
  privateNetworkAccessCheck,
  mixedContentCheck,
  serviceEndpointCheck,
  unsupportedEndpointCheck,
  preflightRedirectCheck,
  bucketNotFoundCheck,
  // S3 refused the request itself (not CORS).
  requestExpiredCheck,
  signatureMismatchCheck,
  providerQuirkCheck,
  accessDeniedCheck,
  // Intermediaries.
  cdnNotForwardingOriginCheck,
  cachedResponseWithoutCorsCheck,
  // The bucket's configuration.
  configInvalidCheck,
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
