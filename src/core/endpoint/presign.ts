/** Presigned URLs: what SigV4 (X-Amz-*, X-Goog-*) and SigV2 query parameters say about signing and expiry. */
import type { PresignInfo } from './types.js';

/** SigV4 scope date 20250131 → 2025-01-31; X-Amz-Date 20250131T235959Z → ISO. Null when malformed. */
function isoFromAmzDate(value: string | undefined): string | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function addSeconds(iso: string, seconds: number): string | undefined {
  const ms = Date.parse(iso) + seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** Presign parameters by lower-cased name (lowerCaseParams); null when the URL is not presigned. */
export function readPresign(params: Map<string, string>): PresignInfo | null {
  const get = (amz: string, goog: string) => params.get(amz) ?? params.get(goog);
  const credential = get('x-amz-credential', 'x-goog-credential');
  const isV4 = credential !== undefined || get('x-amz-algorithm', 'x-goog-algorithm') !== undefined || get('x-amz-signature', 'x-goog-signature') !== undefined;
  const checksum: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm') checksum[name] = value;
  }
  const hasSecurityToken = params.has('x-amz-security-token');
  if (isV4) {
    const info: PresignInfo = { version: 'v4', signedHeaders: [], checksum, hasSecurityToken };
    const scope = credential?.split('/') ?? [];
    if (scope[2]) info.region = scope[2];
    const day = scope[1] ? /^(\d{4})(\d{2})(\d{2})$/.exec(scope[1]) : null;
    if (day) info.credentialDate = `${day[1]}-${day[2]}-${day[3]}`;
    const signedAt = isoFromAmzDate(get('x-amz-date', 'x-goog-date'));
    if (signedAt) info.signedAt = signedAt;
    const expires = get('x-amz-expires', 'x-goog-expires');
    if (expires !== undefined && /^\d{1,12}$/.test(expires)) {
      info.expiresSeconds = Number(expires);
      if (signedAt) {
        const expiresAt = addSeconds(signedAt, info.expiresSeconds);
        if (expiresAt) info.expiresAt = expiresAt;
      }
    }
    const signed = get('x-amz-signedheaders', 'x-goog-signedheaders');
    if (signed) info.signedHeaders = signed.split(';').filter((h) => h !== '');
    return info;
  }
  const hasV2Key = params.has('awsaccesskeyid') || params.has('googleaccessid');
  if (params.has('signature') && (hasV2Key || params.has('expires'))) {
    const info: PresignInfo = { version: 'v2', signedHeaders: [], checksum, hasSecurityToken };
    const expires = params.get('expires');
    if (expires !== undefined && /^\d{1,12}$/.test(expires)) {
      const expiresAt = addSeconds('1970-01-01T00:00:00.000Z', Number(expires));
      if (expiresAt) info.expiresAt = expiresAt;
    }
    return info;
  }
  return null;
}
