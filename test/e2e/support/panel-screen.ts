/**
 * Driving the panel as a user does, in Chromium: real mouse clicks and key presses on the rendered panel (puppeteer
 * input events through the DevTools front end), and what is on screen read back as text. The test hook in main.tsx
 * is left for state no user sees.
 */
import type { ElementHandle, Frame } from 'puppeteer-core';
import { waitUntil } from './servers.js';

/** What the panel shows (`innerText`: only rendered, visible text). */
export function screenText(panel: Frame): Promise<string> {
  return panel.evaluate(() => document.body.innerText);
}

/** Waits until the panel's text satisfies `predicate`; the error names what was on screen last. */
export async function waitForScreen(panel: Frame, what: string, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  let last = '';
  try {
    return await waitUntil(
      what,
      async () => {
        last = await screenText(panel);
        return predicate(last) ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${String(error)}; on screen: ${JSON.stringify(last.slice(0, 1500))}`);
  }
}

/** The first element matching `selector` whose visible text includes `text` (trimmed, exact with `exact`). */
export async function findOnScreen(panel: Frame, selector: string, text: string, exact = false): Promise<ElementHandle<Element>> {
  return waitUntil(`${selector} showing “${text}”`, async () => {
    for (const handle of await panel.$$(selector)) {
      const shown = ((await handle.evaluate((el) => (el as HTMLElement).innerText ?? el.textContent ?? '')) as string).trim();
      if (exact ? shown === text : shown.includes(text)) return handle;
      await handle.dispose();
    }
    return undefined;
  });
}

/**
 * A real click (mouse events at the element's centre) on the element showing `text`. The panel may re-render between
 * finding the element and clicking it and replace it (a request both capture sources saw is listed first under the
 * webRequest report's id, then under the DevTools report's, so as a new node; the list window moves): puppeteer then
 * refuses the detached node before any mouse event, and the click goes to the element found again, as a user's click
 * lands on what is on screen.
 */
export async function click(panel: Frame, selector: string, text: string, exact = false): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const handle = await findOnScreen(panel, selector, text, exact);
    try {
      await handle.scrollIntoView();
      await handle.click();
      return;
    } catch (error) {
      if (attempt >= 5 || !/detached/i.test(String(error))) throw error;
    } finally {
      await handle.dispose().catch(() => undefined);
    }
  }
}

export const clickRow = (panel: Frame, text: string) => click(panel, '.list-row', text);
export const clickTab = (panel: Frame, name: string) => click(panel, '[role=tab]', name);
export const clickButton = (panel: Frame, name: string) => click(panel, 'button', name, true);

/** Types into the field labelled `label` with real key presses (after clearing it). */
export async function typeInto(panel: Frame, label: string, text: string): Promise<void> {
  const field = await waitUntil(`the field “${label}”`, async () => {
    const handles = await panel.$$('label');
    for (const handle of handles) {
      const shown = (await handle.evaluate((el) => (el as HTMLElement).innerText)) as string;
      if (shown.includes(label)) {
        const input = await handle.$('input, textarea');
        if (input) return input;
      }
    }
    return undefined;
  });
  await field.click({ clickCount: 3 });
  await field.evaluate((el) => ((el as HTMLInputElement).value = ''));
  await field.type(text);
  await field.dispose();
}

/** Chooses a file in the panel's file picker labelled `label`, as the file chooser dialog would. */
export async function chooseFile(panel: Frame, label: string, path: string): Promise<void> {
  const input = await waitUntil(`the file picker “${label}”`, async () => {
    for (const handle of await panel.$$('input[type=file]')) {
      const name = (await handle.evaluate((el) => el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? '')) as string;
      if (name.includes(label)) return handle as ElementHandle<HTMLInputElement>;
    }
    return undefined;
  });
  await input.uploadFile(path);
  await input.dispose();
}
