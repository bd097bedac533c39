/** Probing a bucket with real preflights to find which origin, method or header it refuses (see plan.ts). */
export {
  runProbe,
  classifyPreflightAnswer,
  type PreflightToSend,
  type PreflightAnswer,
  type PreflightTransport,
  type ProbeRun,
  type ProbeStep,
  type ProbeVerdict,
  type ProbeOptions,
} from './plan.js';
