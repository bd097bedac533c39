/**
 * The message seam (src/messages.ts) over runtime messaging. Replies are wrapped in an Envelope so an error thrown in
 * the background arrives as a rejected promise with its message, in both browsers.
 */
import { browser } from './browser.js';
import {
  isBackgroundRequest,
  isBroadcast,
  type BackgroundPort,
  type BackgroundRequest,
  type Bridge,
  type Broadcast,
  type Envelope,
} from '../messages.js';

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

export function runtimeBackgroundPort(): BackgroundPort {
  return {
    serve(handler) {
      const listener = (message: unknown): Promise<Envelope<unknown>> | undefined => {
        if (!isBackgroundRequest(message)) return undefined;
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
