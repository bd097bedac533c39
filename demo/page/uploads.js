// The demo page's uploads. The S3 endpoint, bucket and the second origin come from the query string, e.g.
// /?s3=http://127.0.0.1:4568&bucket=demo-uploads&other=http://127.0.0.1:4570
(function () {
  const params = new URLSearchParams(location.search);
  const endpoint = params.get('s3') || 'http://127.0.0.1:4568';
  const bucket = params.get('bucket') || 'demo-uploads';
  const otherOrigin = params.get('other');
  const log = document.getElementById('log');
  document.getElementById('bucket').textContent = `${endpoint}/${bucket}`;

  function say(line) {
    if (log) log.textContent += `${line}\n`;
    return line;
  }

  function objectUrl(name) {
    return `${endpoint}/${bucket}/uploads/${Date.now()}-${name}`;
  }

  /** Every outcome the page can see: status or the browser's opaque TypeError (script never learns the reason). */
  async function attempt(label, run) {
    try {
      const result = await run();
      say(`${label}: ${result}`);
      return { ok: true, label, result };
    } catch (error) {
      say(`${label}: ${error.name}: ${error.message}`);
      return { ok: false, label, error: `${error.name}: ${error.message}` };
    }
  }

  /** A custom x-amz-meta-* header the bucket's AllowedHeader list does not name: the preflight is refused. */
  function uploadWithMetadata() {
    return attempt('upload with x-amz-meta-uploader', async () => {
      const response = await fetch(objectUrl('photo.json'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-amz-meta-uploader': 'demo' },
        body: JSON.stringify({ hello: 'world' }),
      });
      return `HTTP ${response.status}`;
    });
  }

  /** The same upload from a second origin the bucket does not allow, in a hidden iframe of this tab. */
  function uploadFromOtherOrigin() {
    if (!otherOrigin) return Promise.resolve({ ok: false, label: 'other origin', error: 'no ?other= origin given' });
    return new Promise((resolve) => {
      const frame = document.createElement('iframe');
      const onMessage = (event) => {
        if (event.origin !== otherOrigin) return;
        window.removeEventListener('message', onMessage);
        say(`upload from ${otherOrigin}: ${event.data.ok ? event.data.result : event.data.error}`);
        resolve(event.data);
      };
      window.addEventListener('message', onMessage);
      frame.src = `${otherOrigin}/frame.html?s3=${encodeURIComponent(endpoint)}&bucket=${encodeURIComponent(bucket)}&parent=${encodeURIComponent(location.origin)}`;
      document.body.append(frame);
    });
  }

  /** CreateMultipartUpload, one part, then read the part's ETag — null unless ExposeHeaders lists ETag (S18). */
  function multipartUpload() {
    return attempt('multipart upload', async () => {
      const key = objectUrl('video.bin');
      const created = await fetch(`${key}?uploads`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
      if (!uploadId) return `CreateMultipartUpload answered HTTP ${created.status} without an UploadId`;
      const part = await fetch(`${key}?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ part: 1 }),
      });
      const etag = part.headers.get('ETag');
      return `part HTTP ${part.status}, ETag readable by script: ${etag === null ? 'no (null)' : etag}`;
    });
  }

  window.demoUploads = { uploadWithMetadata, uploadFromOtherOrigin, multipartUpload };
  document.getElementById('metadata').addEventListener('click', uploadWithMetadata);
  document.getElementById('other-origin').addEventListener('click', uploadFromOtherOrigin);
  document.getElementById('multipart').addEventListener('click', multipartUpload);
})();
