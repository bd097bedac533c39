import type { FixProposal } from '../../../src/core/diagnose/types.js';
import type { PanelState } from '../../../src/panel/model.js';

/** What the real-browser tests assert on: the panel controller's state, reduced to plain, comparable data. */
export interface PanelSnapshot {
  rows: Array<{
    id: string;
    method: string;
    url: string;
    verdict: string;
    outcome: string;
    codes: string[];
    findings: Array<{ code: string; message: string }>;
    fix: FixProposal | null;
  }>;
  probes: Record<string, { summary: string; status: string; refused: { origin?: string; method?: string; headers: string[] } }>;
  policies: Record<string, { source: string; rules: number }>;
  notice: { kind: string; text: string } | null;
  hasCredentials: boolean;
  /** The panel asks before signing for an endpoint the credentials were not entered for. */
  signingConfirm: { bucket: string; endpoint: string } | null;
}

/** Reduce the state the panel exposes (as JSON, read in either browser) to a snapshot. */
export function panelSnapshot(state: PanelState): PanelSnapshot {
  return {
    rows: state.rows.map((row) => ({
      id: row.exchange.id,
      method: row.exchange.request.method,
      url: row.exchange.request.url,
      verdict: row.diagnosis.verdict,
      outcome: row.diagnosis.outcome,
      codes: row.diagnosis.findings.map((f) => f.code),
      findings: row.diagnosis.findings.map((f) => ({ code: f.code, message: f.message })),
      fix: row.diagnosis.fix,
    })),
    probes: state.probes,
    policies: Object.fromEntries(
      Object.entries(state.policies).map(([bucket, p]) => [bucket, { source: p.source, rules: p.policy?.config.rules.length ?? 0 }]),
    ),
    notice: state.notice,
    hasCredentials: state.hasCredentials,
    signingConfirm: state.signingConfirm ? { bucket: state.signingConfirm.bucket, endpoint: state.signingConfirm.endpoint } : null,
  };
}
