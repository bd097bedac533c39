/**
 * The message seam (src/messages.ts) over runtime messaging. Replies are wrapped in an Envelope so an error thrown in
 * the background arrives as a rejected promise with its message, in both browsers.
 */
import { browser } from './browser.js';
import { isBackgroundRequest, isBroadcast, type BackgroundPort, type BackgroundRequest, type Bridge, type Broadcast, type Envelope } from '../messages.js';

/** A closed receiver (no panel open, service worker restarting) is normal for a broadcast. */
const NO_RECEIVER = /Receiving end does not exist|Could not establish connection/;

export function runtimeBridge(): Bridge {
  return {
    async send(request) {
      const envelope = (await browser.runtime.sendMessage(request)) as Envelope<never> | undefined;
      if (!envelope) throw new Error(`no reply to ${request.type}: the background is not running`);
      if (!envelope.ok) throw new Error(envelope.error);
      return envelope.value;
    },
    listen(onBroadcast) {
      const listener = (message: unknown) => {
        if (isBroadcast(message)) onBroadcast(message);
      };
      browser.runtime.onMessage.addListener(listener);
      return () => browser.runtime.onMessage.removeListener(listener);
    },
  };
}

/** What runtime.onMessage says about a message's sender (the fields read here). */
export interface MessageSender {
  id?: string;
  url?: string;
}

/**
 * Only the extension's own pages (devtools page, panel, host-access page) may ask the background anything (issue 11):
 * the sender is this extension and its URL is one of the extension's pages, not a content script in a web page.
 */
export function isOwnExtensionPage(sender: MessageSender | undefined, ownId: string, ownBaseUrl: string): boolean {
  return Boolean(sender && ownId && sender.id === ownId && typeof sender.url === 'string' && ownBaseUrl && sender.url.startsWith(ownBaseUrl));
}

export function runtimeBackgroundPort(): BackgroundPort {
  return {
    serve(handler) {
      const listener = (message: unknown, sender?: MessageSender): Promise<Envelope<unknown>> | undefined => {
        if (!isBackgroundRequest(message)) return undefined;
        if (!isOwnExtensionPage(sender, browser.runtime.id, browser.runtime.getURL('/'))) {
          return Promise.resolve({ ok: false as const, error: "refused: only the extension's own pages may ask the background" });
        }
        return handler(message as BackgroundRequest).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : String(error) }),
        );
      };
      browser.runtime.onMessage.addListener(listener);
      return () => browser.runtime.onMessage.removeListener(listener);
    },
    broadcast(message: Broadcast) {
      browser.runtime.sendMessage(message).catch((error: unknown) => {
        if (!NO_RECEIVER.test(String(error))) console.warn('S3 CORS Doctor: broadcast failed', String(error));
      });
    },
  };
}
