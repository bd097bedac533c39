import browser from 'webextension-polyfill';

// Thin background: capture and per-tab evidence store arrive with the Chrome extension work (issue 4).
browser.runtime.onInstalled.addListener(() => undefined);
