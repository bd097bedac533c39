/**
 * HEADER_NOT_EXPOSED — the request passes, but script cannot read a header it needs (ETag after a multipart part
 * upload): S3 exposes only ExposeHeaders, never ETag by default (S18; failure mode 11, the most documented pitfall).
 */
import { readableResponseHeaders } from '../../fetch/index.js';
import type { Check, Finding } from '../types.js';
import { usedRule } from '../rule-analysis.js';
import { bracketList, listText, plural, ruleLabel } from '../../replay/wording.js';
import { defineCheck, finding } from './support.js';
import { must } from '../../must.js';

export const headerNotExposedCheck: Check = defineCheck({
  id: 'header-not-exposed',
  title: 'A needed response header is not exposed',
  requires: ['page'],
  codes: {
    HEADER_NOT_EXPOSED: { headline: 'Script cannot read a response header', cause: 'cors', blocks: false, configFix: true },
  },
  evaluate(evidence): Finding[] {
    const needs = evidence.needsReadable;
    if (!needs.length) return [];
    const page = evidence.page;
    let readable: string[] | null = null;
    let source = '';
    if (evidence.actualResponse && !evidence.observedFailure) {
      readable = readableResponseHeaders(page, evidence.actualResponse);
      source = evidence.exchange.source === 'cli' ? 'the modelled response' : 'the captured response';
    } else if (!evidence.actualResponse && evidence.model?.browser.outcome === 'allowed') {
      readable = evidence.model.browser.readableHeaders;
      source = 'the S3 model';
    } else if (
      !evidence.actualResponse &&
      !evidence.model &&
      evidence.preflightResponse &&
      !evidence.observedFailure &&
      evidence.preflightResponse.status < 300
    ) {
      // S15: S3 sends the matched rule's ExposeHeaders on the preflight too. The actual request may match another
      // rule (S3 checks no headers there, S14), so this is an inference, and said so.
      readable = readableResponseHeaders(page, {
        status: 200,
        headers: { ...evidence.preflightResponse.headers, ...Object.fromEntries(needs.map((h) => [h.toLowerCase(), 'x'])) },
      });
      source = "the preflight answer's Access-Control-Expose-Headers — S3 sends the rule's ExposeHeaders there too; the actual response was not captured"; // S15
    }
    if (!readable) return [];
    const readableSet = new Set(readable.map((h) => h.toLowerCase()));
    const missing = needs.filter((h) => !readableSet.has(h.toLowerCase()));
    if (!missing.length) return [];
    const rule = usedRule(evidence);
    const config = evidence.config;
    const exposeList = (evidence.facts.actual ?? evidence.facts.preflight)?.exposeHeaders;
    const ruleText =
      rule !== null && config
        ? `${ruleLabel(config, rule)}, the rule S3 uses, exposes ${bracketList(must(config.rules[rule], 'the model matched a rule of this configuration').exposeHeaders)}`
        : `Access-Control-Expose-Headers is ${exposeList ? `\`${exposeList}\`` : 'absent'}`;
    const multipart = evidence.url.multipart?.kind === 'upload-part';
    return [
      finding('HEADER_NOT_EXPOSED', multipart ? 'error' : 'warning', {
        rule,
        message: `The request succeeds, but script cannot read ${listText(missing)}: ${ruleText}.`,
        detail: `${multipart ? 'This is a multipart part upload: the page must read each part\'s ETag for CompleteMultipartUpload, and it reads null (Uppy: "Could not read the ETag header", SDK: ETagMissing, or InvalidPart later). ' : ''}Browsers let script read only CORS-safelisted response headers plus those listed in Access-Control-Expose-Headers; S3 never exposes ETag by default. No console error appears (judged from ${source}).`, // S18
        evidence: [
          `${page.method} ${evidence.actualResponse?.status ?? '(model) 200'}`,
          exposeList !== undefined ? `Access-Control-Expose-Headers: ${exposeList}` : 'no Access-Control-Expose-Headers',
        ],
        fix: `Add ${listText(missing)} to the ExposeHeaders of ${rule !== null && config ? ruleLabel(config, rule) : 'the rule for this origin'} (no wildcard: ExposeHeaders accepts none). ${plural(missing.length, 'It', 'They')} must be in ExposeHeaders, not AllowedHeaders.`,
      }),
    ];
  },
});
