/**
 * The diagnosis in words: the likely cause while the configuration is unknown, findings most important first (each
 * a plain headline, its code as a small tag, "Learn more"), this browser's console line, near misses, notes, gaps.
 * Free text quotes presigned URLs verbatim, so it is shown redacted: screenshots of the panel end up in tickets.
 */
import { useState } from 'preact/hooks';
import { findingTitle } from '../../core/diagnose/finding-titles.js';
import type { Finding } from '../../core/diagnose/types.js';
import type { CapturedRow } from '../model.js';
import { findingsByImportance } from '../view/rows.js';
import { describeCondition, nearMisses, ruleLabel } from '../view/trace.js';
import { redactText } from '../view/redaction.js';
import { findingPage } from '../view/finding-docs.js';
import { likelyCauses } from '../view/likely-cause.js';
import { Section } from './common.js';
import { Markdown, Prose } from './Markdown.js';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

interface FindingsViewProps {
  row: CapturedRow;
  browser: 'chromium' | 'firefox';
  /** The bucket's configuration is known (fetched, pasted, or known to be absent). */
  configKnown?: boolean;
  onProbe?: () => void;
  onShowPolicy?: () => void;
}

function FindingItem({ finding }: { finding: Finding }) {
  const [open, setOpen] = useState(false);
  const page = findingPage(finding.code);
  const pageId = `learn-${finding.code}`;
  return (
    <li class={`finding severity-${finding.severity}`}>
      <div class="finding-head">
        <span class={`badge badge-${finding.severity}`}>{SEVERITY_LABEL[finding.severity]}</span>
        <strong class="finding-title">{findingTitle(finding.code)}</strong>
        <code class="finding-code" title="Finding code">
          {finding.code}
        </code>
      </div>
      <p class="finding-message">
        <Prose text={redactText(finding.message)} />
      </p>
      {finding.detail && (
        <p class="finding-detail">
          <Prose text={redactText(finding.detail)} />
        </p>
      )}
      {finding.evidence.length > 0 && (
        <ul class="evidence" aria-label="Evidence">
          {finding.evidence.map((line, i) => (
            <li key={i}>
              <Prose text={redactText(line)} />
            </li>
          ))}
        </ul>
      )}
      {finding.fix && (
        <p class="finding-fix">
          <strong>Fix: </strong>
          <Prose text={redactText(finding.fix)} />
        </p>
      )}
      {page !== undefined && (
        <>
          <button type="button" class="link-button" aria-expanded={open} aria-controls={pageId} onClick={() => setOpen(!open)}>
            {open ? 'Hide the explanation' : 'Learn more'}
          </button>
          {open && (
            <article id={pageId} class="finding-page" aria-label={`About: ${findingTitle(finding.code)}`}>
              <Markdown source={page} />
            </article>
          )}
        </>
      )}
    </li>
  );
}

function LikelyCause({ row, configKnown, onProbe, onShowPolicy }: Omit<FindingsViewProps, 'browser'>) {
  const causes = likelyCauses(row, configKnown ?? false);
  const [first, ...others] = causes;
  if (first === undefined) return null;
  return (
    <section class="likely-cause" aria-label="Likely cause">
      <h3>
        Likely cause <span class="tag">not confirmed</span>
      </h3>
      <p class="likely-text">
        <Prose text={first.text} />
      </p>
      {others.length > 0 && (
        <ul class="likely-others" aria-label="Also possible">
          {others.map((cause) => (
            <li key={cause.kind}>
              Also possible: <Prose text={cause.text} />
            </li>
          ))}
        </ul>
      )}
      <p class="muted">The bucket's CORS configuration is not known, so this is read from the request alone.</p>
      <div class="button-row">
        {onProbe ? (
          <button type="button" class="button primary" onClick={onProbe}>
            Confirm: probe the bucket
          </button>
        ) : null}
        {onShowPolicy && (
          <button type="button" class={onProbe ? 'button' : 'button primary'} onClick={onShowPolicy}>
            {onProbe ? 'Or give the policy' : 'Confirm: paste or fetch the policy'}
          </button>
        )}
      </div>
    </section>
  );
}

export function FindingsView({ row, browser, configKnown = false, onProbe, onShowPolicy }: FindingsViewProps) {
  const { diagnosis, exchange } = row;
  const [otherConsole, setOtherConsole] = useState(false);
  const findings = findingsByImportance(diagnosis.findings);
  const messages = diagnosis.browser?.failure?.messages;
  const misses = nearMisses(diagnosis.trace);
  const gaps = exchange.gaps ?? [];
  const thisBrowser = browser === 'firefox' ? 'Firefox' : 'Chrome';
  const otherBrowser = browser === 'firefox' ? 'Chrome' : 'Firefox';
  const firefoxLines = messages ? [messages.firefox, ...(messages.firefoxFollowUp ? [messages.firefoxFollowUp] : [])] : [];
  const ownLines = messages ? (browser === 'firefox' ? firefoxLines : [messages.chrome]) : [];
  const otherLines = messages ? (browser === 'firefox' ? [messages.chrome] : firefoxLines) : [];
  return (
    <div class="findings-view">
      <LikelyCause row={row} configKnown={configKnown} onProbe={onProbe} onShowPolicy={onShowPolicy} />
      <Section title="Findings">
        {findings.length === 0 ? (
          <p class="muted">No findings: the S3 and browser models see nothing wrong with this request.</p>
        ) : (
          <ol class="findings">
            {findings.map((finding, index) => (
              <FindingItem key={`${finding.code}-${index}`} finding={finding} />
            ))}
          </ol>
        )}
      </Section>

      {messages && (
        <Section title="Console message">
          <p class="console-browser">{thisBrowser} (this browser) prints:</p>
          {ownLines.map((line, i) => (
            <pre key={i} class="console-line">
              <code>{redactText(line)}</code>
            </pre>
          ))}
          <button type="button" class="link-button" aria-expanded={otherConsole} onClick={() => setOtherConsole(!otherConsole)}>
            {otherConsole ? `Hide ${otherBrowser}'s message` : `Show ${otherBrowser}'s message`}
          </button>
          {otherConsole &&
            otherLines.map((line, i) => (
              <pre key={i} class="console-line console-other" aria-label={`${otherBrowser}'s message`}>
                <code>{redactText(line)}</code>
              </pre>
            ))}
        </Section>
      )}

      {misses.length > 0 && (
        <Section title="Near misses">
          <ul class="near-misses">
            {misses.map(({ rule, failed }) => (
              <li key={rule.rule}>
                <strong>{ruleLabel(rule)}</strong> would match except: <Prose text={describeCondition(failed)} />.
              </li>
            ))}
          </ul>
        </Section>
      )}

      {diagnosis.provider.notes.length > 0 && (
        <Section title={`About this endpoint (${diagnosis.provider.name})`}>
          <ul>
            {diagnosis.provider.notes.map((note, i) => (
              <li key={i}>
                <Prose text={redactText(note)} />
              </li>
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
              <li key={i}>
                <Prose text={redactText(gap)} />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
