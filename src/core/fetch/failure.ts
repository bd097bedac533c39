/** A CORS failure as the model reports it: the deciding engine's verdict, the other's, both console lines. */
import { corsErrorForFirefoxReason, type ChromiumVerdict } from './checks.js';
import { chromeConsoleMessage, FIREFOX_ALLOWS, firefoxConsoleMessage, type MessageContext } from './messages.js';
import { serializeUrl } from './request.js';
import type { BrowserEngine, CorsFailure, FirefoxVerdict, PageRequest } from './types.js';
import { must } from '../must.js';

export type Stage = 'preflight' | 'actual';

/** Both browsers' console lines for a failure, built once (the message context is built once per failure too). */
function failureMessages(stage: Stage, chromium: ChromiumVerdict | null, firefox: FirefoxVerdict | null, context: MessageContext): CorsFailure['messages'] {
  const messages: CorsFailure['messages'] = {
    chrome: chromium
      ? chromeConsoleMessage(chromium.corsError, chromium.failedParameter, context)
      : 'Chrome does not block this exchange (modelled divergence from Firefox).',
    firefox: firefox ? firefoxConsoleMessage(firefox, context) : FIREFOX_ALLOWS,
  };
  if (firefox && (stage === 'preflight' || context.failedOnRedirect)) {
    messages.firefoxFollowUp = firefoxConsoleMessage({ reason: 'CORSDidNotSucceed2', parameter: '(null)' }, context);
  }
  return messages;
}

export function buildFailure(
  stage: Stage,
  chromium: ChromiumVerdict | null,
  firefox: FirefoxVerdict | null,
  engine: BrowserEngine,
  context: MessageContext,
): CorsFailure | null {
  const deciding = engine === 'firefox' ? firefox : chromium;
  if (!deciding) return null;
  const corsError = chromium?.corsError ?? corsErrorForFirefoxReason(must(firefox, 'without a Chromium verdict, Firefox decides'), stage === 'preflight');
  const failedParameter = chromium ? chromium.failedParameter : (firefox?.parameter ?? '');
  const failure: CorsFailure = {
    blockedAt: stage,
    corsError,
    messages: failureMessages(stage, chromium, firefox, context),
    firefox,
    url: context.url,
  };
  if (failedParameter !== '') failure.failedParameter = failedParameter;
  if (chromium?.disallowedHeaders) failure.disallowedHeaders = chromium.disallowedHeaders;
  return failure;
}

export function messageContext(request: PageRequest, url: string, status: number): MessageContext {
  const context: MessageContext = { url: serializeUrl(url), origin: request.origin, status };
  const initial = serializeUrl(request.url);
  if (initial !== context.url) context.initialUrl = initial;
  return context;
}
