/** Redaction for HARs saved as fixtures: no cookies, credentials, signatures or tokens leave the test machine. */
const SECRET_HEADERS = /^(authorization|cookie|set-cookie|x-amz-security-token|proxy-authorization)$/i;
const SECRET_QUERY = /([?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)=)[^&]*/gi;

interface HarHeaderLike {
  name: string;
  value: string;
}

function redactHeaders(headers: HarHeaderLike[] | undefined): HarHeaderLike[] | undefined {
  return headers?.map((h) => (SECRET_HEADERS.test(h.name) ? { name: h.name, value: 'REDACTED' } : h));
}

export function redactHar<T extends { log: { entries: unknown[] } }>(har: T): T {
  const copy = structuredClone(har);
  for (const raw of copy.log.entries) {
    const entry = raw as { request: { url: string; headers?: HarHeaderLike[]; cookies?: unknown[]; queryString?: HarHeaderLike[] }; response?: { headers?: HarHeaderLike[]; cookies?: unknown[] } };
    entry.request.url = entry.request.url.replace(SECRET_QUERY, '$1REDACTED');
    entry.request.headers = redactHeaders(entry.request.headers);
    entry.request.cookies = [];
    entry.request.queryString = entry.request.queryString?.map((q) => (/signature|token|credential|accesskey/i.test(q.name) ? { name: q.name, value: 'REDACTED' } : q));
    if (entry.response) {
      entry.response.headers = redactHeaders(entry.response.headers);
      entry.response.cookies = [];
    }
  }
  return copy;
}
