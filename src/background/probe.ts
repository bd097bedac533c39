/**
 * "Probe this bucket": the triage core's planner (src/core/triage, pure) decides which preflights to send; the
 * declarativeNetRequest transport (src/platform/probe-transport.ts) sends them. This file only translates the
 * planner's run into the panel's ProbeResult, with the request and answer of every step.
 */
import { runProbe, type ProbeRun, type ProbeStep as PlannedStep } from '../core/probe/index.js';
import type { ProbeOutcome, ProbeResult, ProbeStep } from '../messages.js';
import type { PreflightToSend, PreflightTransport } from '../platform/probe-transport.js';

function toStep(step: PlannedStep): ProbeStep {
  const { preflight, answer } = step;
  const headers: Record<string, string> = { origin: preflight.origin, 'access-control-request-method': preflight.method };
  if (preflight.headers.length > 0) headers['access-control-request-headers'] = preflight.headers.join(',');
  return {
    description: step.description,
    request: { method: 'OPTIONS', url: preflight.url, headers },
    response: answer ? { status: answer.status, headers: answer.headers, body: answer.body } : null,
    ...(step.error ? { error: step.error } : {}),
  };
}

export function toProbeOutcome(exchangeId: string, run: ProbeRun, status: ProbeResult['status'] = run.status === 'error' ? 'error' : 'done'): ProbeOutcome {
  return { exchangeId, summary: run.summary, refused: run.refused, steps: run.steps.map(toStep), status, firstVerdict: run.firstVerdict };
}

export async function probeBucket(
  exchangeId: string,
  target: PreflightToSend,
  transport: PreflightTransport,
  onProgress: (partial: ProbeOutcome) => void = () => undefined,
  options: { delayMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<ProbeOutcome> {
  const steps: PlannedStep[] = [];
  const run = await runProbe(target, transport, {
    ...options,
    onStep: (step) => {
      steps.push(step);
      onProgress(
        toProbeOutcome(
          exchangeId,
          { target, steps, status: 'done', firstVerdict: null, refused: { headers: [] }, headersOnlyTogether: false, untestedHeaders: [], summary: 'probing…' },
          'running',
        ),
      );
    },
  });
  return toProbeOutcome(exchangeId, run);
}
