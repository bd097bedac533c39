// Test fixture, not shipped: reports each devtools.network observation of the inspected tab to the collector
// whose origin the inspected page names in its `collector` query parameter. It records, not interprets.
'use strict';

let collector = null;

function summarise(entry, via) {
  const header = (list, name) => (list.find((h) => h.name.toLowerCase() === name) || {}).value;
  return {
    via,
    startedDateTime: entry.startedDateTime,
    method: entry.request.method,
    url: entry.request.url,
    status: entry.response.status,
    origin: header(entry.request.headers, 'origin') ?? null,
    acao: header(entry.response.headers, 'access-control-allow-origin') ?? null,
    error: entry._error ?? null,
    bodyInEntry: typeof (entry.response.content || {}).text === 'string' && entry.response.content.text.length > 0,
  };
}

function report(record) {
  if (!collector) return;
  // A failed report is not dropped in silence: it is logged in the toolbox console (a lost observation makes a
  // test wait for something that already happened).
  fetch(collector, { method: 'POST', body: JSON.stringify(record), headers: { 'content-type': 'text/plain' } }).catch((error) =>
    console.error('observer: report lost', record.via, record.url, String(error)),
  );
}

// The toolbox may open on about:blank before the test navigates: read the collector from every page shown.
function useCollectorOf(href) {
  const named = href && href.startsWith('http') ? new URL(href).searchParams.get('collector') : null;
  if (!named || named === collector) return;
  collector = named;
  report({ via: 'ready' });
}
browser.devtools.inspectedWindow.eval('location.href').then(([href]) => useCollectorOf(href));
browser.devtools.network.onNavigated.addListener((url) => {
  useCollectorOf(url);
  report({ via: 'onNavigated', url, at: new Date().toISOString() });
});

browser.devtools.network.onRequestFinished.addListener((entry) => {
  report(summarise(entry, 'onRequestFinished'));
});

// No getHAR() polling here: Firefox's getHAR() stops its network monitor's store updates while it builds the HAR,
// so every poll loses what DevTools records meanwhile — for this observer and the add-on under test alike (the
// lost preflight responses and requests src/devtools/har-capture.ts describes). The tests read getHAR() themselves,
// once, after the request has settled.
