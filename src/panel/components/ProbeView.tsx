/**
 * "Probe this bucket": the extension replays the preflight and bisects which origin, method or header S3 refuses.
 * Preflights are anonymous, so no credentials are needed; the probe only runs on the user's click.
 */
import { getHeader } from '../../core/http/index.js';
import type { ProbeResult } from '../model.js';
import { BusyButton } from './common.js';

interface ProbeViewProps {
  host: string;
  probe: ProbeResult | undefined;
  onProbe?: () => void;
  onRetest?: () => void;
  /** A re-test is running: between its probes the probe reads "done", yet the re-test is not over. */
  retesting?: boolean;
}

/** The request headers a probe varies, labelled as the user knows them. */
const SENT_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['origin', 'Origin'],
  ['access-control-request-method', 'Method asked'],
  ['access-control-request-headers', 'Headers asked'],
];

/** The URL a probe step was sent to, as host and path: the query (a presigned signature) is not needed here. */
function sentPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

export function ProbeView({ host, probe, onProbe, onRetest, retesting = false }: ProbeViewProps) {
  const probing = probe?.status === 'running';
  const busy = probing || retesting;
  return (
    <div class="probe-view" aria-busy={busy}>
      <div class="button-row">
        <button type="button" class="button primary" disabled={!onProbe || busy} onClick={onProbe}>
          {probing && !retesting ? 'Probing…' : probe ? 'Probe again' : 'Probe this bucket'}
        </button>
        <BusyButton label="Re-test after a fix" busyLabel="Re-testing…" busy={retesting} disabled={!onRetest || probing} onClick={onRetest} />
        <span class="muted">
          Sends anonymous OPTIONS requests to {host || 'the bucket'} only, with the failing request's origin, method and headers; re-test repeats until S3's
          answer changes, since CORS changes take a moment to propagate.
        </span>
      </div>
      {retesting && (
        <p class="muted" role="status">
          Re-testing: probing again every few seconds until S3's answer changes (a fix takes a moment to propagate).
        </p>
      )}
      {!probe && !retesting && <p class="muted">Not probed yet.</p>}
      {probe && (
        <>
          <p class={`probe-summary probe-${probe.status}`} role="status">
            {probe.status === 'running' ? 'Running: ' : probe.status === 'error' ? 'Probe failed: ' : ''}
            {probe.summary}
          </p>
          {(probe.refused.origin || probe.refused.method || probe.refused.headers.length > 0) && (
            <dl class="refused">
              {probe.refused.origin && (
                <>
                  <dt>Refused origin</dt>
                  <dd>
                    <code>{probe.refused.origin}</code>
                  </dd>
                </>
              )}
              {probe.refused.method && (
                <>
                  <dt>Refused method</dt>
                  <dd>
                    <code>{probe.refused.method}</code>
                  </dd>
                </>
              )}
              {probe.refused.headers.length > 0 && (
                <>
                  <dt>Refused headers</dt>
                  <dd>
                    {probe.refused.headers.map((header) => (
                      <code key={header} class="chip">
                        {header}
                      </code>
                    ))}
                  </dd>
                </>
              )}
            </dl>
          )}
          {probe.steps.length > 0 && (
            <table class="probe-steps">
              <caption>Probe steps</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Step</th>
                  <th scope="col">Sent</th>
                  <th scope="col">S3 answered</th>
                </tr>
              </thead>
              <tbody>
                {probe.steps.map((step, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>{step.description}</td>
                    <td class="probe-sent">
                      <code>
                        {step.request.method} {sentPath(step.request.url)}
                      </code>
                      <dl class="probe-sent-headers">
                        {SENT_HEADERS.map(([name, label]) => {
                          const value = getHeader(step.request.headers, name);
                          return value === undefined ? null : (
                            <div key={name}>
                              <dt>{label}</dt>
                              <dd>
                                <code>{value}</code>
                              </dd>
                            </div>
                          );
                        })}
                      </dl>
                    </td>
                    <td>
                      {step.error ? (
                        <span class="inline-error">{step.error}</span>
                      ) : step.response ? (
                        <>
                          HTTP {step.response.status}
                          {getHeader(step.response.headers, 'access-control-allow-origin') !== undefined ? ' · CORS headers present' : ' · no CORS headers'}
                        </>
                      ) : (
                        <span class="muted">waiting</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
