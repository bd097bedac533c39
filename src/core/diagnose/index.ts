/**
 * Diagnosis: joins S3's verdict (the S3 model) and the browser's (the Fetch model) into findings with stable codes,
 * the failing rule condition and a verified fix. Each concern is one check in ./checks (the Lighthouse audit shape).
 */
export * from './types.js';
export { diagnose } from './run.js';
export {
  explainRequest,
  explainRequestDetailed,
  s3ErrorBody,
  type ExplainOptions,
  type ExplainObservation,
  type ExplainPreflightObservation,
  type ExplainResult,
  type ExplainDetailed,
} from './explain.js';
export { pageRequestFromExchange } from '../replay/page-request.js';
export { ruleTraceLines } from './rule-analysis.js';
export { ruleLabel } from '../replay/wording.js';
export { CHECKS } from './checks/index.js';
export { FINDING_TITLES, findingTitle } from './finding-titles.js';
