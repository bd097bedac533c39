/**
 * The diagnosis in words: findings most important first, the browsers' console wording, near misses, notes, gaps.
 * Free text quotes presigned URLs verbatim, so it is shown redacted: screenshots of the panel end up in tickets.
 */
import type { CapturedRow } from '../model.js';
import { findingsByImportance } from '../view/rows.js';
import { describeCondition, nearMisses, ruleLabel } from '../view/trace.js';
import { redactText } from '../view/redaction.js';
import { Section } from './common.js';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function FindingsView({ row, browser }: { row: CapturedRow; browser: 'chromium' | 'firefox' }) {
  const { diagnosis, exchange } = row;
  const findings = findingsByImportance(diagnosis.findings);
  const messages = diagnosis.browser?.failure?.messages;
  const misses = nearMisses(diagnosis.trace);
  const gaps = exchange.gaps ?? [];
  return (
    <div class="findings-view">
      <Section title="Findings">
        {findings.length === 0 ? (
          <p class="muted">No findings: the S3 and browser models see nothing wrong with this request.</p>
        ) : (
          <ol class="findings">
            {findings.map((finding, index) => (
              <li key={`${finding.code}-${index}`} class={`finding severity-${finding.severity}`}>
                <div class="finding-head">
                  <span class={`badge badge-${finding.severity}`}>{SEVERITY_LABEL[finding.severity]}</span>
                  <code class="finding-code">{finding.code}</code>
                  <span class="finding-message">{redactText(finding.message)}</span>
                </div>
                {finding.detail && <p class="finding-detail">{redactText(finding.detail)}</p>}
                {finding.evidence.length > 0 && (
                  <ul class="evidence" aria-label="Evidence">
                    {finding.evidence.map((line, i) => (
                      <li key={i}>{redactText(line)}</li>
                    ))}
                  </ul>
                )}
                {finding.fix && (
                  <p class="finding-fix">
                    <strong>Fix: </strong>
                    {redactText(finding.fix)}
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
      </Section>

      {messages && (
        <Section title="Console message">
          <dl class="console-messages">
            <dt>Chrome{browser === 'chromium' ? ' (this browser)' : ''}</dt>
            <dd>
              <code>{redactText(messages.chrome)}</code>
            </dd>
            <dt>Firefox{browser === 'firefox' ? ' (this browser)' : ''}</dt>
            <dd>
              <code>{redactText(messages.firefox)}</code>
              {messages.firefoxFollowUp && (
                <>
                  <br />
                  <code>{redactText(messages.firefoxFollowUp)}</code>
                </>
              )}
            </dd>
          </dl>
        </Section>
      )}

      {misses.length > 0 && (
        <Section title="Near misses">
          <ul class="near-misses">
            {misses.map(({ rule, failed }) => (
              <li key={rule.rule}>
                <strong>{ruleLabel(rule)}</strong> would match except: {describeCondition(failed)}.
              </li>
            ))}
          </ul>
        </Section>
      )}

      {diagnosis.provider.notes.length > 0 && (
        <Section title={`${diagnosis.provider.name} notes`}>
          <ul>
            {diagnosis.provider.notes.map((note, i) => (
              <li key={i}>{redactText(note)}</li>
            ))}
          </ul>
        </Section>
      )}

      <Section title="What could not be determined">
        {gaps.length === 0 ? (
          <p class="muted">The capture recorded no gaps.</p>
        ) : (
          <ul class="gaps">
            {gaps.map((gap, i) => (
              <li key={i}>{redactText(gap)}</li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
