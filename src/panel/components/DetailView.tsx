/**
 * Everything about the selected request: a header with its verdict and actions, the host-permission offer, and
 * tabs for the diagnosis, the rule trace, the headers, the fix, the probe and the bucket's policy.
 */
import type { Ref } from 'preact';
import type { CapturedRow, PanelActions, PanelState } from '../model.js';
import type { FixView as FixFormat } from '../view/fix.js';
import { fixFormatFor } from '../../core/policy/index.js';
import { bucketOf, httpError, leadFinding, plainVerdict, policyKeyOf, importedFrom, requestTarget, rowTone, statusLabel } from '../view/rows.js';
import { buildPreflightCurl } from '../view/curl.js';
import { redactUrl } from '../view/redaction.js';
import { isHostGranted, permissionTarget } from '../view/permissions.js';
import { FindingsView } from './FindingsView.js';
import { TraceTable } from './TraceTable.js';
import { HeadersView } from './HeadersView.js';
import { FixView } from './FixView.js';
import { ProbeView } from './ProbeView.js';
import { PolicyView } from './PolicyView.js';
import { PermissionBanner } from './PermissionBanner.js';
import { BusyButton, CopyButton } from './common.js';

export type DetailTab = 'diagnosis' | 'trace' | 'headers' | 'fix' | 'probe' | 'policy';

const TABS: ReadonlyArray<{ id: DetailTab; label: string }> = [
  { id: 'diagnosis', label: 'Diagnosis' },
  { id: 'trace', label: 'Rule trace' },
  { id: 'headers', label: 'Headers' },
  { id: 'fix', label: 'Fix' },
  { id: 'probe', label: 'Probe' },
  { id: 'policy', label: 'Policy' },
];

const CURL_BASIS = {
  captured: 'The preflight as captured, presigned credentials redacted',
  modelled: 'The preflight the browser model says was sent (none was captured), credentials redacted',
  reconstructed: 'No preflight was seen: an OPTIONS request with this origin and method, credentials redacted',
} as const;

interface DetailViewProps {
  row: CapturedRow;
  state: PanelState;
  actions: PanelActions;
  tab: DetailTab;
  onTab(tab: DetailTab): void;
  fixFormat: FixFormat;
  /** The user picked the fix's form this session (else a configuration given in a provider's form shows in it). */
  fixFormatChosen?: boolean;
  onFixFormat(format: FixFormat): void;
  onExport(row: CapturedRow): void;
  headingRef: Ref<HTMLHeadingElement>;
}

export function DetailView({ row, state, actions, tab, onTab, fixFormat, fixFormatChosen = false, onFixFormat, onExport, headingRef }: DetailViewProps) {
  const { exchange, diagnosis } = row;
  const id = exchange.id;
  const bucket = bucketOf(exchange);
  const target = requestTarget(exchange);
  const permission = permissionTarget(exchange.request.url);
  const needsPermission = permission !== null && !isHostGranted(exchange.request.url, state.grantedOrigins);
  const curl = buildPreflightCurl(row);
  const probe = state.probes[id];
  const policyKey = policyKeyOf(exchange);
  const policy = state.policies[policyKey];
  // Until the user picks a form, the fix of a configuration given as GCS JSON or B2 corsRules is shown in that form.
  const ownForm = policy?.policy ? fixFormatFor(policy.policy.format) : 'console';
  const fixView: FixFormat = !fixFormatChosen && ownForm !== 'console' && fixFormat !== 'diff' ? ownForm : fixFormat;
  const configKnown = diagnosis.trace.length > 0 || policy?.source === 'none-configured' || (policy?.policy != null && !policy.lint?.errors.length);
  const lead = leadFinding(row);
  const http = httpError(row);
  const harFile = importedFrom(exchange);
  const retesting = state.pending?.retest === id;
  const probeBusy = retesting || probe?.status === 'running';
  // Probing and re-testing report into the Probe tab, so it comes to the front when either starts.
  const probeAction = actions.probe
    ? () => {
        onTab('probe');
        actions.probe?.(id);
      }
    : undefined;
  const retestAction = actions.retest
    ? () => {
        onTab('probe');
        actions.retest?.(id);
      }
    : undefined;

  function onTabKey(event: KeyboardEvent) {
    const index = TABS.findIndex((t) => t.id === tab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1 + TABS.length, Home: 0, End: TABS.length - 1 };
    const move = moves[event.key];
    const next = move === undefined ? undefined : TABS[move % TABS.length];
    if (next === undefined) return;
    event.preventDefault();
    onTab(next.id);
    const tabElement = (event.currentTarget as HTMLElement).querySelector<HTMLElement>(`#tab-${next.id}`);
    tabElement?.focus();
  }

  return (
    <section class="detail" aria-label="Request details">
      <header class={`detail-header tone-${rowTone(row)}`}>
        <div class="detail-title">
          <h2 ref={headingRef} tabIndex={-1}>
            <span class="method">{exchange.request.method}</span> {target.bucket ? `${target.bucket}/${target.key}` : `${target.host}/${target.key}`}
            <span class={`status-pill${http ? ' status-http-error' : ''}`}>{http ?? statusLabel(row)}</span>
            {harFile && (
              <span class="tag tag-har" title={`Imported from ${harFile}`}>
                HAR
              </span>
            )}
          </h2>
          <p class="verdict">
            {plainVerdict(row)}
            {lead && lead.severity !== 'info' && (
              <>
                {' '}
                <code class="finding-code" title="Finding code">
                  {lead.code}
                </code>
              </>
            )}
          </p>
          <p class="url" title={redactUrl(exchange.request.url)}>
            {redactUrl(exchange.request.url)}
          </p>
        </div>
        <div class="button-row detail-actions">
          {/* Progress shows in the Probe tab, which comes to the front; here the button only refuses a second start. */}
          <button type="button" class="button" disabled={!probeAction || probeBusy} aria-busy={probeBusy} onClick={probeAction}>
            Probe this bucket
          </button>
          <BusyButton
            label="Re-test"
            busyLabel="Re-testing…"
            busy={retesting}
            disabled={!retestAction}
            onClick={retestAction}
            title="After applying a fix: re-probe until S3 answers as expected"
          />
          <CopyButton label="Copy as cURL" text={curl.command} onCopy={actions.copyText} description={CURL_BASIS[curl.basis]} />
          <button type="button" class="button" disabled={!actions.download} onClick={() => onExport(row)}>
            Export report
          </button>
        </div>
      </header>

      {needsPermission && permission && <PermissionBanner host={permission.host} pattern={permission.pattern} onGrant={actions.requestHostPermission} />}

      <div class="tabs" role="tablist" aria-label="Details" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            class="tab"
            aria-selected={t.id === tab}
            aria-controls={t.id === tab ? `tabpanel-${t.id}` : undefined}
            tabIndex={t.id === tab ? 0 : -1}
            onClick={() => onTab(t.id)}
          >
            {t.label}
            {t.id === 'diagnosis' && diagnosis.findings.length > 0 && <span class="count">{diagnosis.findings.length}</span>}
          </button>
        ))}
      </div>

      <div class="tabpanel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        {tab === 'diagnosis' && (
          <FindingsView
            row={row}
            browser={state.browser}
            configKnown={configKnown}
            onProbe={needsPermission ? undefined : probeAction}
            onShowPolicy={() => onTab('policy')}
          />
        )}
        {tab === 'trace' && <TraceTable trace={diagnosis.trace} onOpenPolicy={() => onTab('policy')} />}
        {tab === 'headers' && <HeadersView exchange={exchange} />}
        {tab === 'fix' && (
          <FixView
            row={row}
            bucket={bucket}
            current={policy?.policy?.config ?? null}
            format={fixView}
            onFormat={onFixFormat}
            onCopy={actions.copyText}
            onRetest={retestAction}
            retesting={retesting}
            configKnown={configKnown}
            onFetchFirst={() => onTab('policy')}
          />
        )}
        {tab === 'probe' && <ProbeView host={target.host} probe={probe} onProbe={probeAction} onRetest={retestAction} retesting={retesting} />}
        {tab === 'policy' && (
          <PolicyView
            bucket={bucket}
            policyKey={policyKey}
            harFile={harFile}
            policy={policy}
            hasCredentials={state.hasCredentials}
            onPastePolicy={actions.pastePolicy}
            onSetCredentials={actions.setCredentials}
            onFetchPolicy={actions.fetchPolicy}
            onForgetCredentials={actions.forgetCredentials}
            signingConfirm={state.signingConfirm?.bucket === policyKey ? state.signingConfirm : undefined}
            onConfirmSigning={actions.confirmSigning}
            fetching={state.pending?.fetchPolicy === policyKey}
          />
        )}
      </div>
    </section>
  );
}
