/** What the panel page needs from the extension API beyond messaging: permissions, clipboard, downloads. */
import { browser } from './browser.js';
import { hostPatternsFor } from './permissions.js';
import { runtimeBridge } from './messaging.js';

/**
 * Call synchronously from the click handler: permissions.request only works within the user gesture
 * (Firefox rejects it after any await).
 */
export function requestHostPermission(origins: string[]): Promise<boolean> {
  if (!panelHasPermissionsApi()) return requestFromExtensionTab(hostPatternsFor(origins));
  return browser.permissions.request({ origins: hostPatternsFor(origins) });
}

export async function grantedOrigins(): Promise<string[]> {
  // Firefox: the background answers (its reply to capture/refresh is the granted origins).
  if (!panelHasPermissionsApi()) return (await runtimeBridge().send({ type: 'capture/refresh' })).origins;
  return (await browser.permissions.getAll()).origins ?? [];
}

/** Firefox exposes no `permissions` API to DevTools panels (https://bugzil.la/1796933); Chrome does. */
function panelHasPermissionsApi(): boolean {
  return (browser as { permissions?: unknown }).permissions !== undefined;
}

const HOST_ACCESS_POLL_MS = 500;
const HOST_ACCESS_WAIT_MS = 5 * 60_000;

/**
 * Firefox: opens host-access.html in a tab (synchronously, inside the panel's click, so it is not blocked as a
 * popup), where the user's click can call permissions.request; resolves once the patterns are granted, or false
 * when the tab is closed without granting them.
 */
async function requestFromExtensionTab(patterns: string[]): Promise<boolean> {
  const url = new URL(browser.runtime.getURL('/src/platform/host-access.html'));
  for (const pattern of patterns) url.searchParams.append('origin', pattern);
  const tab = window.open(url.href, '_blank');
  for (const deadline = Date.now() + HOST_ACCESS_WAIT_MS; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, HOST_ACCESS_POLL_MS));
    const granted = await grantedOrigins();
    if (patterns.every((pattern) => granted.includes(pattern))) return true;
    if (!tab || tab.closed) return false;
  }
  return false;
}

/** DevTools panels often lack clipboard-write: fall back to a selected textarea and execCommand. */
export function copyToClipboard(text: string): void {
  navigator.clipboard?.writeText(text).catch(() => copyWithSelection(text)) ?? copyWithSelection(text);
}

function copyWithSelection(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
