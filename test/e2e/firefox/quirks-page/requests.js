// Each function makes one kind of cross-origin request and returns what the page script could see of it.
(function () {
  async function attempt(run) {
    try {
      return { ok: true, result: await run() };
    } catch (error) {
      return { ok: false, error: `${error.name}: ${error.message}` };
    }
  }

  /** Non-simple (custom header): needs a preflight. */
  function putWithMetadata(url) {
    return attempt(async () => {
      const response = await fetch(url, { method: 'PUT', headers: { 'x-amz-meta-uploader': 'quirks' }, body: 'quirks' });
      return `HTTP ${response.status}`;
    });
  }

  /** Simple GET: no preflight; blocked only when the response lacks Access-Control-Allow-Origin. */
  function simpleGet(url) {
    return attempt(async () => {
      const response = await fetch(url);
      return `HTTP ${response.status}`;
    });
  }

  /** Scenario (h): an <img> (no Origin, no CORS headers in the answer) then fetch() of the same cacheable URL. */
  function imageThenFetch(url, credentials) {
    return attempt(async () => {
      await new Promise((resolve) => {
        const image = new Image();
        image.onload = image.onerror = resolve;
        image.src = url;
      });
      const response = await fetch(url, { credentials });
      return `HTTP ${response.status}`;
    });
  }

  window.quirks = { putWithMetadata, simpleGet, imageThenFetch };
})();
