/** What the panel page needs from the extension API beyond messaging: permissions, clipboard, downloads. */
import { browser } from './browser.js';
import { hostPatternsFor } from './permissions.js';

/**
 * Call synchronously from the click handler: permissions.request only works within the user gesture
 * (Firefox rejects it after any await).
 */
export function requestHostPermission(origins: string[]): Promise<boolean> {
  return browser.permissions.request({ origins: hostPatternsFor(origins) });
}

export async function grantedOrigins(): Promise<string[]> {
  return (await browser.permissions.getAll()).origins ?? [];
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
