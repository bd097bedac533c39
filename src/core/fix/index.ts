/**
 * The fix (pure): the smallest verified configuration change for a failing request, the least-privilege policy for
 * a whole page's traffic, and every form to paste it in.
 */
export { proposeFix, ruleForRequest, type ProposeOptions } from './propose.js';
export { synthesizePolicy, type SynthesizedPolicy, type SynthesizedRule, type TrafficInput } from './synthesize.js';
export { configLetsRequestPass, type VerifyOptions } from './verify.js';
export {
  FIX_FORMATS,
  consoleRules,
  renderFixConfig,
  renderFixDiff,
  renderProviderForm,
  type ConsoleRule,
  type FixFormat,
  type ProviderForm,
} from './render.js';
export { requestedHeaders, S3_CORS_METHODS } from './request-shape.js';
export type { AccessDelta, AccessGrant, ExposureGrant, FixChange, FixProposal } from './types.js';
export { accessDelta, type DeltaRequest } from './access-delta.js';
