/**
 * The panel's entry: wires the platform adapters to the panel controller and renders App with its state.
 * The only panel file that reaches extension APIs (through src/platform).
 */
import { render } from 'preact';
import { App } from './App.js';
import { detectBrowser, devtoolsTheme, inspectedTabId, onDevtoolsThemeChanged } from '../platform/index.js';
import { runtimeBridge } from '../platform/messaging.js';
import { sessionStore } from '../platform/session-store.js';
import { copyToClipboard, downloadText, grantedOrigins, requestHostPermission } from '../platform/panel-host.js';
import { PanelController } from './controller.js';

function appRoot(): HTMLElement {
  const element = document.getElementById('app');
  if (!element) throw new Error('panel.html has no #app element to render into');
  return element;
}

const root = appRoot();
const controller = new PanelController({
  tabId: inspectedTabId(),
  bridge: runtimeBridge(),
  browser: detectBrowser(),
  theme: devtoolsTheme(),
  requestPermission: requestHostPermission,
  grantedOrigins,
  copyText: copyToClipboard,
  download: downloadText,
  memory: sessionStore(),
});

/** One render per frame, however many evidence messages arrive (10,000 rows must stay smooth). */
let frameRequested = false;
function renderSoon(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    render(<App state={controller.state} actions={controller.actions} />, root);
  });
}

controller.subscribe(renderSoon);
onDevtoolsThemeChanged((theme) => controller.setTheme(theme));
document.documentElement.dataset.theme = controller.state.theme;
renderSoon();
controller.start().catch((error: unknown) => {
  controller.state = {
    ...controller.state,
    notice: { kind: 'error', text: `could not reach the background: ${error instanceof Error ? error.message : String(error)}` },
  };
  renderSoon();
});

/**
 * The panel's own handle for the end-to-end tests and `npm start`'s terminal report: the state (no credentials live
 * in it) and the same actions the buttons call.
 */
(globalThis as { s3CorsDoctorPanel?: { state(): typeof controller.state; actions: typeof controller.actions } }).s3CorsDoctorPanel = {
  state: () => controller.state,
  actions: controller.actions,
};
