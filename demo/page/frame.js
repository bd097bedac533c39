// Runs on the demo's second origin: the same JSON upload, reported back to the parent page.
(async function () {
  const params = new URLSearchParams(location.search);
  const url = `${params.get('s3')}/${params.get('bucket')}/uploads/${Date.now()}-from-other-origin.json`;
  let outcome;
  try {
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    outcome = { ok: true, result: `HTTP ${response.status}` };
  } catch (error) {
    outcome = { ok: false, error: `${error.name}: ${error.message}` };
  }
  parent.postMessage(outcome, params.get('parent'));
})();
