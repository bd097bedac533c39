import browser from 'webextension-polyfill';

// Registers the panel. Capture through devtools.network is added by the Chrome extension work (issue 4).
browser.devtools.panels.create('S3 CORS', 'icons/icon-16.png', 'src/panel/panel.html');
