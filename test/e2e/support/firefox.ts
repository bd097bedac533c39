/**
 * Drives Debian's Firefox ESR with the built add-on, for the Firefox end-to-end tests (browser-capture.md,
 * "Driving real browsers in tests"): puppeteer-core over WebDriver BiDi, the add-on installed as a temporary add-on,
 * the toolbox opened on the loaded page, and the extension's panel selected and read from the parent process.
 *
 * Why not `--devtools` (the toolbox with every tab from launch): the tab starts on about:blank, and requests made
 * while the toolbox follows it into the page's process can miss DevTools' network capture (a blocked PUT then never
 * reaches getHAR()). Opening the toolbox once the page has loaded avoids that switch.
 *
 * Why the parent process: an extension panel lives in a remote <browser> inside the toolbox (a chrome document),
 * which BiDi does not list as a browsing context (https://bugzilla.mozilla.org/show_bug.cgi?id=1996311). So the
 * harness evaluates in BiDi's `chrome` scope (needs `--remote-allow-system-access`) to select the panel through
 * `gDevTools`, and reads the panel's document with a one-shot frame script loaded into that <browser>.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { panelSnapshot, type PanelSnapshot } from './panel-snapshot.js';
import type { PanelState } from '../../../src/panel/model.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

export type { PanelSnapshot };

/**
 * The deadline for a suite's set-up (Firefox launched, add-ons installed, the panel up): a safety net over waits
 * that end on their own events. Two cores shared with a CPU-bound process and other suites saw 57 s for the launch
 * alone and 26 s more for the panel, over vitest's 120 s hook default.
 */
export const SETUP_TIMEOUT_MS = 300_000;

export const FIREFOX_EXECUTABLE = process.env.FIREFOX_EXECUTABLE ?? '/usr/bin/firefox-esr';
const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * How long one frame script's answer is awaited before the attempt counts as unanswered (a script loaded before
 * its <browser> is ready never runs; callers retry). CPU starvation can delay an answer past it, so a retried
 * click carries a token that makes it land once (userClickBody).
 */
const FRAME_SCRIPT_ANSWER_MS = 10_000;

/** Firefox names an add-on's panel tool `webext-devtools-panel-<gecko id, sanitised>-<n>-<m>`. */
const PANEL_TOOL_ID_PREFIX = 'webext-devtools-panel-';

export interface FirefoxStartupTimings {
  /** Process start until BiDi answers. */
  launchMs: number;
  /** installExtension of the unpacked build. */
  installMs: number;
  /** The page's first navigation. */
  pageMs: number;
  /** From asking for the toolbox until the extension's panel is selected in it (first time only). */
  panelSelectedMs?: number;
}

export interface PanelText {
  url: string;
  /** The panel's visible text (`document.body.innerText`), '' before it has rendered. */
  text: string;
}

/** One record of the background's evidence store (src/background/evidence-store.ts), as stored. */
export interface StoredEvidenceRecord {
  exchange: ObservedExchange;
  /** Ids of the other capture source's reports merged into this exchange. */
  aliases: string[];
}

/** The part of puppeteer's BiDi connection the harness uses (raw commands, to reach the `chrome` scope). */
interface BidiCommandChannel {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface BidiEvaluateResult {
  type: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

interface BidiContextTree {
  contexts: Array<{ context: string; url: string }>;
}

export interface FirefoxSession {
  browser: Browser;
  page: Page;
  extensionId: string;
  timings: FirefoxStartupTimings;
  /** Evaluates `expression` in the browser window's chrome scope; it must produce a string (JSON, for data). */
  evaluateInChrome(expression: string): Promise<string>;
  /** Opens (or finds) the toolbox of the selected tab and selects the add-on's panel; returns the tool id. */
  showExtensionPanel(): Promise<string>;
  /**
   * Runs `body` in the panel's window (a frame script: `window` and `document` are the panel's, through Xrays)
   * and returns its result, which must be JSON-serialisable. `body` is a function body: use `return`.
   */
  evaluateInPanel<T>(body: string): Promise<T>;
  readPanelText(): Promise<PanelText>;
  /**
   * The panel's state through the handle main.tsx exposes (`globalThis.s3CorsDoctorPanel`), in the same shape the
   * Chromium harness reads, so both suites assert the same things. Throws until the panel has started.
   */
  readPanel(): Promise<PanelSnapshot>;
  /** The background's per-tab evidence store (storage.session, which Firefox lets extension pages read). */
  storedEvidence(): Promise<StoredEvidenceRecord[]>;
  /**
   * devtools.network.getHAR(), read once from the panel. Firefox loses what DevTools records while it builds the HAR
   * (src/devtools/har-capture.ts, HAR_READ_DELAYS_MS): read it after the requests of interest have settled (e.g.
   * once the add-on has stored them), never in a polling loop.
   */
  readHar<T = { log: { entries: unknown[] } }>(): Promise<T>;
  /** Calls one of the panel's actions (the callbacks its buttons call) with JSON-serialisable arguments. */
  panelAction(name: string, ...args: unknown[]): Promise<void>;
  /**
   * Clicks the first element matching `selector` (whose text includes `text`, when given) while Firefox treats it as
   * user input, as a real click is: window.open and permission prompts need that. The panel renders a state change
   * on its next animation frame, so the element is waited for (up to `timeoutMs`, a safety net); false when it never
   * appeared. Clicks once.
   */
  clickInPanel(selector: string, text?: string, timeoutMs?: number): Promise<boolean>;
  /** The same click in a tab showing the add-on's page at `path` (e.g. `/src/platform/host-access.html`); waits for it. */
  clickInExtensionTab(path: string, selector: string, text?: string): Promise<void>;
  /**
   * Grants optional host permissions as if the user had accepted the prompt (Firefox's own ExtensionPermissions,
   * which fires permissions.onAdded in the add-on). Returns the add-on's host patterns afterwards.
   */
  grantHostPermissions(origins: string[]): Promise<string[]>;
  /** Polls the panel's text until `predicate` holds (or throws with the last text seen after `timeoutMs`). */
  waitForPanelText(predicate: (panel: PanelText) => boolean, timeoutMs?: number): Promise<PanelText>;
  close(): Promise<void>;
}

/**
 * The unpacked build to install: `FIREFOX_EXTENSION_DIR`, else dist/firefox (built when missing).
 * It is copied to a private directory first: Firefox reads a temporary add-on's files lazily, and other work
 * rebuilding dist/ during a test run would otherwise swap files under the running add-on.
 */
export function snapshotFirefoxBuild(): { dir: string; remove(): void } {
  const source = process.env.FIREFOX_EXTENSION_DIR ?? join(repoRoot, 'dist/firefox');
  if (!existsSync(join(source, 'manifest.json'))) {
    execFileSync('npx', ['vite', 'build', '--mode', 'firefox', '--outDir', source], { cwd: repoRoot, stdio: 'ignore' });
  }
  const dir = mkdtempSync(join(tmpdir(), 's3cd-firefox-addon-'));
  cpSync(source, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function bidiChannel(browser: Browser): BidiCommandChannel {
  const connection = (browser as unknown as { connection?: BidiCommandChannel }).connection;
  if (!connection || typeof connection.send !== 'function') {
    throw new Error('puppeteer did not expose its WebDriver BiDi connection (launched with browser: "firefox"?)');
  }
  return connection;
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Launches headless Firefox ESR with the add-on installed and one tab on `url` (about:blank by default).
 * The toolbox, and with it the add-on's devtools page, opens with the first showExtensionPanel().
 */
export async function launchFirefoxWithExtension(
  options: {
    url?: string;
    prefs?: Record<string, unknown>;
    /** Unpacked test add-ons installed alongside. */
    extraAddons?: string[];
  } = {},
): Promise<FirefoxSession> {
  const build = snapshotFirefoxBuild();
  const started = Date.now();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_EXECUTABLE,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      // Loopback test servers only: no captive-portal, update or telemetry traffic in the captured requests.
      'network.captive-portal-service.enabled': false,
      'app.update.enabled': false,
      'toolkit.telemetry.enabled': false,
      // The panel follows the DevTools theme; pin it so screenshots and assertions are stable.
      'devtools.theme': 'light',
      ...options.prefs,
    },
  });
  const timings: FirefoxStartupTimings = { launchMs: Date.now() - started, installMs: 0, pageMs: 0 };
  try {
    let mark = Date.now();
    const extensionId = await browser.installExtension(build.dir);
    timings.installMs = Date.now() - mark;
    for (const addon of options.extraAddons ?? []) await browser.installExtension(addon);
    mark = Date.now();
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    if (options.url) await page.goto(options.url);
    timings.pageMs = Date.now() - mark;
    const session = firefoxSession(browser, page, extensionId, timings, build.remove);
    return session;
  } catch (error) {
    await browser.close();
    build.remove();
    throw error;
  }
}

function firefoxSession(browser: Browser, page: Page, extensionId: string, timings: FirefoxStartupTimings, removeBuild: () => void): FirefoxSession {
  const bidi = bidiChannel(browser);
  let chromeContext: string | undefined;
  let panelToolId: string | undefined;
  let frameScriptCount = 0;

  async function evaluateInChrome(expression: string): Promise<string> {
    if (!chromeContext) {
      const tree = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as BidiContextTree;
      const main = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
      if (!main) throw new Error('no browser window in the chrome scope (is --remote-allow-system-access set?)');
      chromeContext = main.context;
    }
    const { result } = await bidi.send('script.evaluate', { expression, target: { context: chromeContext }, awaitPromise: true });
    const outcome = result as BidiEvaluateResult;
    if (outcome.type === 'exception') throw new Error(`chrome scope: ${outcome.exceptionDetails?.text ?? 'exception'}`);
    if (outcome.result?.type !== 'string') throw new Error(`chrome scope: expected a string, got ${outcome.result?.type}`);
    return outcome.result.value as string;
  }

  // The toolbox of the inspected tab, through the DevTools loader (gDevTools is not a global of browser.xhtml).
  // The inspected tab is the one selected when the harness first looks (the page's only tab), remembered on the
  // chrome window: a tab the add-on opens later (host-access.html) becomes the selected one.
  const toolboxExpression = `(async () => {
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    window.s3cdInspectedTab ??= gBrowser.selectedTab;
    return gDevTools.showToolboxForTab(window.s3cdInspectedTab);
  })()`;

  async function showExtensionPanel(): Promise<string> {
    const mark = Date.now();
    // The panel's tool is registered only once the devtools page has run devtools.panels.create.
    const toolId = await until('the add-on to register its DevTools panel', 30_000, async () => {
      const id = await evaluateInChrome(`(async () => {
        const toolbox = await ${toolboxExpression};
        const id = [...toolbox.additionalToolDefinitions.keys()].find((k) => k.startsWith('${PANEL_TOOL_ID_PREFIX}'));
        if (!id) return '';
        await toolbox.selectTool(id);
        return id;
      })()`);
      return id || undefined;
    });
    panelToolId = toolId;
    timings.panelSelectedMs ??= Date.now() - mark;
    return toolId;
  }

  /**
   * Runs `body` in the document of the <browser> element that `locateBrowser` (a chrome-scope expression, awaited)
   * finds, through a one-shot frame script: `content` is that document's window; the script answers once.
   */
  async function evaluateInBrowserElement<T>(where: string, locateBrowser: string, body: string): Promise<T> {
    const messageName = `s3cd-test:result-${++frameScriptCount}`;
    const frameScript = `(async () => {
      const window = content; const document = content.document;
      try { sendAsyncMessage(${JSON.stringify(messageName)}, { ok: true, value: JSON.stringify(await (async () => { ${body} })()) }); }
      catch (error) { sendAsyncMessage(${JSON.stringify(messageName)}, { ok: false, error: String(error) }); }
    })();`;
    const reply = await evaluateInChrome(`(async () => {
      const target = await ${locateBrowser};
      if (!target || !target.messageManager) return JSON.stringify({ ok: false, error: 'not loaded yet' });
      const manager = target.messageManager;
      return new Promise((resolve) => {
        const timer = setTimeout(() => { manager.removeMessageListener(${JSON.stringify(messageName)}, onReply); resolve(JSON.stringify({ ok: false, error: 'no answer' })); }, ${FRAME_SCRIPT_ANSWER_MS});
        function onReply(message) { clearTimeout(timer); manager.removeMessageListener(${JSON.stringify(messageName)}, onReply); resolve(JSON.stringify(message.data)); }
        manager.addMessageListener(${JSON.stringify(messageName)}, onReply);
        manager.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(frameScript)}), false);
      });
    })()`);
    const parsed = JSON.parse(reply) as { ok: true; value: string | undefined } | { ok: false; error: string };
    if (!parsed.ok) throw new Error(`${where}: ${parsed.error}`);
    return (parsed.value === undefined ? undefined : JSON.parse(parsed.value)) as T;
  }

  async function evaluateInPanel<T>(body: string): Promise<T> {
    const toolId = panelToolId ?? (await showExtensionPanel());
    // The panel is a remote <browser> inside the tool's iframe in the toolbox document.
    const locatePanel = `(async () => {
      const toolbox = await ${toolboxExpression};
      const frame = toolbox.doc.getElementById(${JSON.stringify(`toolbox-panel-iframe-${toolId}`)});
      return frame && frame.contentDocument && frame.contentDocument.querySelector('browser');
    })()`;
    return evaluateInBrowserElement<T>('panel', locatePanel, body);
  }

  function evaluateInTab<T>(urlPrefix: string, body: string): Promise<T> {
    const locateTab = `Promise.resolve(gBrowser.browsers.find((b) => b.currentURI.spec.startsWith(${JSON.stringify(urlPrefix)})))`;
    return evaluateInBrowserElement<T>(`tab ${urlPrefix}`, locateTab, body);
  }

  async function grantHostPermissions(origins: string[]): Promise<string[]> {
    const patterns = await evaluateInChrome(`(async () => {
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      const policy = WebExtensionPolicy.getByID(${JSON.stringify(extensionId)});
      await ExtensionPermissions.add(policy.id, { permissions: [], origins: ${JSON.stringify(origins)} }, policy.extension);
      return JSON.stringify(policy.allowedOrigins.patterns.map((p) => p.pattern));
    })()`);
    return JSON.parse(patterns) as string[];
  }

  // Content objects are read through the page's own JSON (Xray wrappers do not serialise content values).
  const readPanel = async () =>
    panelSnapshot(
      await evaluateInPanel<PanelState>(`const hook = window.wrappedJSObject.s3CorsDoctorPanel;
      if (!hook) throw new Error('panel not initialised');
      return JSON.parse(window.wrappedJSObject.JSON.stringify(hook.state()));`),
    );

  const storedEvidence = () =>
    evaluateInPanel<StoredEvidenceRecord[]>(`const api = window.wrappedJSObject.browser;
      const prefix = 'evidence:' + api.devtools.inspectedWindow.tabId + ':';
      const stored = JSON.parse(window.wrappedJSObject.JSON.stringify(await api.storage.session.get(null)));
      return Object.keys(stored).filter((key) => key.startsWith(prefix)).flatMap((key) => stored[key].records || []);`);

  async function panelAction(name: string, ...args: unknown[]): Promise<void> {
    await evaluateInPanel<null>(`const hook = window.wrappedJSObject.s3CorsDoctorPanel;
      const action = hook && hook.actions && hook.actions[${JSON.stringify(name)}];
      if (!action) throw new Error('the panel has no action ${name}');
      // Arguments are rebuilt in the panel's own compartment, as its buttons would pass them.
      action(...window.wrappedJSObject.JSON.parse(${JSON.stringify(JSON.stringify(args))}));
      return null;`);
  }

  /**
   * A frame-script body that clicks as user input, as a real click is (window.open and permission prompts need it).
   * With a `token`, an attempt that finds the click already made (a late-answered earlier attempt) does not repeat it.
   */
  const userClickBody = (selector: string, text?: string, token?: string) => `
      // Module scripts attach their listeners before the load event: a click before it would go unheard.
      if (document.readyState !== 'complete') return false;
      // Tokens of clicks made, on the document itself (every frame script sees it).
      const token = ${JSON.stringify(token ?? '')};
      const root = document.documentElement;
      const done = (root.getAttribute('data-s3cd-test-clicks') || '').split(' ');
      if (token && done.includes(token)) return true;
      const wanted = ${JSON.stringify(text ?? '')};
      const target = [...document.querySelectorAll(${JSON.stringify(selector)})].find((el) => el.textContent.includes(wanted));
      if (!target) return false;
      if (token) root.setAttribute('data-s3cd-test-clicks', [...done, token].join(' ').trim());
      const userInput = window.windowUtils.setHandlingUserInput(true);
      try { target.click(); } finally { userInput.destruct(); }
      return true;`;
  let clickCount = 0;
  async function clickInPanel(selector: string, text?: string, timeoutMs = 30_000): Promise<boolean> {
    const token = `click-${++clickCount}`;
    return until(
      `${selector}${text ? ` "${text}"` : ''} in the panel`,
      timeoutMs,
      async () => (await evaluateInPanel<boolean>(userClickBody(selector, text, token))) || undefined,
    ).catch(() => false);
  }
  async function clickInExtensionTab(path: string, selector: string, text?: string): Promise<void> {
    const host = await evaluateInChrome(`WebExtensionPolicy.getByID(${JSON.stringify(extensionId)}).mozExtensionHostname`);
    await until(
      `${selector} in the add-on's tab ${path}`,
      10_000,
      async () => (await evaluateInTab<boolean>(`moz-extension://${host}${path}`, userClickBody(selector, text))) || undefined,
    );
  }

  const readHar = <T>() =>
    evaluateInPanel<T>(`const har = await window.wrappedJSObject.browser.devtools.network.getHAR();
      return { log: JSON.parse(window.wrappedJSObject.JSON.stringify(har)) };`);

  const readPanelText = () => evaluateInPanel<PanelText>(`return { url: String(window.location.href), text: document.body ? document.body.innerText : '' };`);

  async function waitForPanelText(predicate: (panel: PanelText) => boolean, timeoutMs = 60_000): Promise<PanelText> {
    let last: PanelText | undefined;
    try {
      return await until('the panel', timeoutMs, async () => {
        last = await readPanelText();
        return predicate(last) ? last : undefined;
      });
    } catch (error) {
      throw new Error(`${String(error)}; last panel text: ${JSON.stringify(last?.text.slice(0, 2000) ?? null)}`);
    }
  }

  async function close(): Promise<void> {
    try {
      await browser.close();
    } finally {
      removeBuild();
    }
  }

  return {
    browser,
    page,
    extensionId,
    timings,
    evaluateInChrome,
    showExtensionPanel,
    evaluateInPanel,
    readPanelText,
    readPanel,
    storedEvidence,
    readHar,
    panelAction,
    clickInPanel,
    clickInExtensionTab,
    waitForPanelText,
    grantHostPermissions,
    close,
  };
}
