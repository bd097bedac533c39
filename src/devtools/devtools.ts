import browser from 'webextension-polyfill';

// Registers the panel. Capture through devtools.network is added by the Chrome extension work (issue 4).
// Root-relative paths: Firefox resolves these against the devtools page (src/devtools/), Chrome against the
// extension root; a leading slash means the same file in both (https://github.com/w3c/webextensions/issues/270).
browser.devtools.panels.create('S3 CORS', '/icons/icon-16.png', '/src/panel/panel.html');
