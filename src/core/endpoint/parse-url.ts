/**
 * Reading an S3 request URL: who serves it (provider), how the bucket is addressed (endpoint style), the bucket,
 * key and region, and what the query says (presigned parameters, multipart step, sub-resources).
 * Pure, and never throws: garbage gives `isS3: false`.
 */
import type { EndpointStyle, MultipartKind, PresignInfo, ProviderId, S3UrlInfo } from './types.js';
import { redactUrl as redactUrlText } from '../redact/text.js';

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, … */
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const GENERIC_REGION = /^[a-z0-9][a-z0-9-]{0,40}$/;
/** Long URLs are legal, but nothing we read needs more; bounding keeps a hostile input cheap. */
const MAX_URL_LENGTH = 64 * 1024;

/** Query names that are S3 sub-resources (they select an operation rather than an object). */
const SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'list-type', 'location', 'logging', 'metadataConfiguration', 'metrics', 'notification',
  'object-lock', 'ownershipControls', 'partNumber', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versionId', 'versioning', 'versions', 'website',
]);

/** How the host (and port) address S3, before the path is read. */
interface HostReading {
  provider: ProviderId;
  isS3: boolean;
  style: EndpointStyle;
  /** The bucket named by the host; null means "read it from the path" unless `pathStyle` is false. */
  hostBucket: string | null;
  pathStyle: boolean;
  region: string | null;
  globalEndpoint: boolean;
  dualstack: boolean;
  fips: boolean;
}

function reading(partial: Partial<HostReading> & Pick<HostReading, 'provider' | 'isS3' | 'style'>): HostReading {
  return { hostBucket: null, pathStyle: false, region: null, globalEndpoint: false, dualstack: false, fips: false, ...partial };
}

/** A host name with a dot (or a port) at the start of a scheme-less string: `bucket.s3.amazonaws.com/key`. */
const SCHEMELESS_HOST = /^(?:[a-z0-9-]+\.)+[a-z0-9-]+(?::\d{1,5})?(?:[/?#]|$)|^localhost:\d{1,5}(?:[/?#]|$)/i;

/** The URL class throws on garbage; this wrapper never does. A scheme-less `host/path` is read as https. */
export function safeUrl(text: unknown): URL | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_URL_LENGTH) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme && !SCHEMELESS_HOST.test(text)) return null;
  for (const candidate of hasScheme ? [text] : [`https://${text}`]) {
    try {
      const url = new URL(candidate);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url;
    } catch {
      // not a URL in this form; try the next reading
    }
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Everything after the service label: optional `dualstack` and at most one region, nothing else. */
function readEndpointTail(rest: string[]): { region: string | null; dualstack: boolean } | null {
  let region: string | null = null;
  let dualstack = false;
  for (const label of rest) {
    if (label === 'dualstack' && !dualstack) dualstack = true;
    else if (AWS_REGION.test(label) && region === null) region = label;
    else return null;
  }
  return { region, dualstack };
}

/** The S3 service label of an amazonaws.com host (`s3`, `s3-fips`, `s3-us-west-2`, `s3-website.eu-west-1`, …). */
function readAwsServiceLabel(label: string, rest: string[]): Omit<HostReading, 'hostBucket' | 'pathStyle'> | null {
  const tail = readEndpointTail(rest);
  if (!tail) return null;
  const aws = (style: EndpointStyle, extra: Partial<HostReading> = {}) => ({
    provider: 'aws' as const, isS3: true, style, region: tail.region, globalEndpoint: false, dualstack: tail.dualstack, fips: false, ...extra,
  });
  if (label === 's3') return aws('virtual-hosted', { globalEndpoint: tail.region === null });
  if (label === 's3-fips') return aws('virtual-hosted', { fips: true });
  if (label === 's3-external-1' && rest.length === 0) return aws('virtual-hosted', { region: 'us-east-1' });
  const legacy = /^s3-(.+)$/.exec(label);
  if (legacy && AWS_REGION.test(legacy[1]!) && rest.length === 0) return aws('virtual-hosted', { region: legacy[1]! });
  const website = /^s3-website(?:-(.+))?$/.exec(label);
  if (website) {
    const region = website[1] ?? tail.region;
    if (website[1] !== undefined && (!AWS_REGION.test(website[1]) || rest.length > 0)) return null;
    return aws('website', { region });
  }
  if (label === 's3-accelerate' && tail.region === null) return aws('accelerate');
  if (label === 's3-accesspoint' || label === 's3-accesspoint-fips') return aws('access-point', { fips: label.endsWith('-fips') });
  if (label === 's3-object-lambda' || label === 's3-object-lambda-fips') return aws('object-lambda', { fips: label.endsWith('-fips') });
  if (label === 's3-outposts') return aws('access-point');
  if (label === 's3-control' || label === 's3express-control') return aws('service');
  if (/^s3express-(?:fips-)?[a-z0-9-]+$/.test(label)) return aws('directory-bucket', { fips: label.startsWith('s3express-fips-') });
  return null;
}

function readAwsHost(host: string): HostReading | null {
  const suffix = host.endsWith('.amazonaws.com') ? '.amazonaws.com' : host.endsWith('.amazonaws.com.cn') ? '.amazonaws.com.cn' : null;
  if (!suffix) return null;
  let labels = host.slice(0, -suffix.length).split('.');
  // PrivateLink interface endpoints: [bucket.]vpce-<id>.s3.<region>.vpce.amazonaws.com — read as the regional endpoint.
  if (labels[labels.length - 1] === 'vpce') labels = labels.slice(0, -1).filter((label) => !/^vpce-[a-z0-9-]+$/.test(label));
  const n = labels.length;
  // Multi-Region Access Points: <alias>.mrap.accesspoint.s3-global.amazonaws.com (S29, failure mode 19).
  if (n >= 4 && labels[n - 1] === 's3-global' && labels[n - 2] === 'accesspoint' && labels[n - 3] === 'mrap') {
    return reading({ provider: 'aws', isS3: true, style: 'mrap', hostBucket: labels.slice(0, n - 3).join('.') });
  }
  // Scan from the right: a dotted bucket may itself contain a label such as "s3".
  for (let i = n - 1; i >= 0; i--) {
    const service = readAwsServiceLabel(labels[i]!, labels.slice(i + 1));
    if (!service) continue;
    const hostBucket = i > 0 ? labels.slice(0, i).join('.') : null;
    return { ...service, hostBucket, pathStyle: hostBucket === null && service.style === 'virtual-hosted' };
  }
  return null;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|host\.docker\.internal)$/;

/** S3-compatible providers and local emulators, recognised by host suffix or well-known port. */
function readCompatibleHost(host: string, port: string): HostReading | null {
  let m: RegExpExecArray | null;
  // Cloudflare R2: <account>[.<jurisdiction>].r2.cloudflarestorage.com, bucket as an extra leading label.
  if (host.endsWith('.r2.cloudflarestorage.com')) {
    const labels = host.slice(0, -'.r2.cloudflarestorage.com'.length).split('.');
    if (labels.length > 1 && (labels[labels.length - 1] === 'eu' || labels[labels.length - 1] === 'fedramp')) labels.pop();
    const bucket = labels.length > 1 ? labels.slice(0, -1).join('.') : null;
    return reading({ provider: 'r2', isS3: true, style: bucket ? 'virtual-hosted' : 'path', hostBucket: bucket, pathStyle: !bucket, region: 'auto' });
  }
  if ((m = /^(?:(.+)\.)?storage\.googleapis\.com$/.exec(host)) || (m = /^()storage\.cloud\.google\.com$/.exec(host))) {
    return reading({ provider: 'gcs', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] || null, pathStyle: !m[1] });
  }
  if ((m = /^(?:(.+?)\.)?([a-z0-9-]+)(?:\.cdn)?\.digitaloceanspaces\.com$/.exec(host)) && GENERIC_REGION.test(m[2]!)) {
    return reading({ provider: 'digitalocean', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2]! });
  }
  if ((m = /^(?:(.+)\.)?s3\.([a-z0-9-]+)\.backblazeb2\.com$/.exec(host))) {
    return reading({ provider: 'b2', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2]! });
  }
  if ((m = /^(?:(.+)\.)?s3(?:\.([a-z0-9-]+))?\.wasabisys\.com$/.exec(host))) {
    return reading({ provider: 'wasabi', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2] ?? 'us-east-1' });
  }
  // Ceph RGW behind Hetzner (<region>.your-objectstorage.com) and Linode/Akamai (<region>.linodeobjects.com).
  if ((m = /^(?:(.+)\.)?([a-z0-9-]+)\.(?:your-objectstorage\.com|linodeobjects\.com)$/.exec(host))) {
    return reading({ provider: 'ceph', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2]! });
  }
  if ((m = /^(?:(.+)\.)?s3\.([a-z0-9-]+)\.(?:io|perf)\.cloud\.ovh\.net$/.exec(host))) {
    return reading({ provider: 'unknown', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2]! });
  }
  if ((m = /^(?:(.+)\.)?s3\.localhost\.localstack\.cloud$/.exec(host)) || (m = /^()localhost\.localstack\.cloud$/.exec(host))) {
    return reading({ provider: 'localstack', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] || null, pathStyle: !m[1] });
  }
  // Local emulators on their default ports (failure modes 32, 36); path-style is their default addressing.
  const byPort: Record<string, ProviderId> = { '4566': 'localstack', '4568': 's3rver', '4569': 's3rver', '9000': 'minio' };
  if (port in byPort) return reading({ provider: byPort[port]!, isS3: true, style: 'path', pathStyle: true });
  if ((m = /^(.+)\.localhost$/.exec(host))) {
    return reading({ provider: 'unknown', isS3: false, style: 'virtual-hosted', hostBucket: m[1]! });
  }
  if (LOOPBACK.test(host)) return reading({ provider: 'unknown', isS3: false, style: 'path', pathStyle: true });
  return null;
}

/** SigV4 scope date 20250131 → 2025-01-31; X-Amz-Date 20250131T235959Z → ISO. Null when malformed. */
function isoFromAmzDate(value: string | undefined): string | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function addSeconds(iso: string, seconds: number): string | undefined {
  const ms = Date.parse(iso) + seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/**
 * The query's name/value pairs, exactly as `new URLSearchParams(search)` lists them (application/x-www-form-urlencoded
 * parsing: `+` is a space, percent-escapes are decoded as UTF-8). Node's URLSearchParams is JavaScript, slow before
 * V8 has compiled it, and a HAR reader parses a few hundred distinct URLs once each; so the common case is done here
 * and anything decodeURIComponent refuses (a stray `%`, bytes that are not UTF-8) is left to URLSearchParams.
 */
export function queryPairs(search: string): Array<[string, string]> {
  const query = search.charCodeAt(0) === 63 /* ? */ ? search.slice(1) : search;
  const pairs: Array<[string, string]> = [];
  if (query === '') return pairs;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = formDecode(eq === -1 ? part : part.slice(0, eq));
    const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
    // The constructor drops one leading "?", so it gets the query behind one.
    if (name === null || value === null) return [...new URLSearchParams(`?${query}`)];
    pairs.push([name, value]);
  }
  return pairs;
}

/** One form-encoded component; null when decodeURIComponent cannot decode it (the caller falls back). */
function formDecode(text: string): string | null {
  if (text.indexOf('+') === -1 && text.indexOf('%') === -1) return text;
  const spaced = text.replace(/\+/g, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return null;
  }
}

/** Query parameters by lower-cased name (first occurrence wins), for the case-insensitive presign names. */
function lowerCaseParams(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs[i]![0].toLowerCase();
    if (!out.has(key)) out.set(key, pairs[i]![1]);
  }
  return out;
}

function readPresign(params: Map<string, string>): PresignInfo | null {
  const get = (amz: string, goog: string) => params.get(amz) ?? params.get(goog);
  const credential = get('x-amz-credential', 'x-goog-credential');
  const isV4 = credential !== undefined || get('x-amz-algorithm', 'x-goog-algorithm') !== undefined ||
    get('x-amz-signature', 'x-goog-signature') !== undefined;
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

function readSubresources(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [name] of pairs) if (SUBRESOURCES.has(name) && !out.includes(name)) out.push(name);
  return out;
}

/** The first value of a query parameter (case-sensitive name), or null: URLSearchParams.get. */
function firstValue(pairs: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  for (const [key, value] of pairs) if (key === name) return value;
  return null;
}

/** The URL without secrets (the core's one redactor, src/core/redact) and without its userinfo. */
export function redactUrl(url: URL): string {
  return redactUrlText(`${url.protocol}//${url.host}${url.pathname}${url.search}${url.hash}`);
}

function notS3(url: unknown, parsed: URL | null): S3UrlInfo {
  return {
    url: parsed ? redactUrl(parsed) : '',
    scheme: parsed ? parsed.protocol.slice(0, -1) : typeof url === 'string' ? (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '') : '',
    host: parsed ? parsed.hostname : '',
    isS3: false,
    provider: 'unknown',
    style: 'custom',
    bucket: null,
    key: null,
    region: null,
    globalEndpoint: false,
    dualstack: false,
    fips: false,
    presign: null,
    multipart: null,
    subresources: [],
  };
}

/** Bucket-name suffixes that address something other than a general-purpose bucket (S29). */
function styleForBucketName(bucket: string, style: EndpointStyle): EndpointStyle {
  if (bucket.endsWith('--x-s3')) return 'directory-bucket';
  if (bucket.endsWith('--ol-s3')) return 'object-lambda';
  if (bucket.endsWith('-s3alias') || bucket.endsWith('--op-s3')) return 'access-point';
  return style;
}

/** What the query says about the multipart step, read once per URL; the step itself depends on the method. */
interface MultipartQuery {
  uploads: boolean;
  uploadId: string | null;
  partNumber: string | null;
}

/** Everything a URL says before the method is known: the info minus `multipart`, and the query's multipart markers. */
interface UrlReading {
  info: S3UrlInfo;
  multipartQuery: MultipartQuery;
  /** Infos already derived per method (`''` = no method), so repeated readings return the same object. */
  byMethod: Map<string, S3UrlInfo>;
}

/**
 * Multipart step from the query (names are case-sensitive in S3). `uploadId` alone depends on the method:
 * POST completes, DELETE aborts, GET lists parts; without a method (or for the OPTIONS preflight of any of them)
 * we read it as "complete", the step a browser upload performs with `uploadId` alone.
 */
function multipartStep(query: MultipartQuery, method: string | undefined): S3UrlInfo['multipart'] {
  const verb = method?.toUpperCase();
  if (query.uploads) return verb === 'GET' ? null : { kind: 'create' };
  const uploadId = query.uploadId;
  if (uploadId === null) return null;
  const partText = query.partNumber;
  if (partText !== null) {
    const partNumber = /^\d{1,5}$/.test(partText) ? Number(partText) : undefined;
    return partNumber === undefined ? { kind: 'upload-part', uploadId } : { kind: 'upload-part', uploadId, partNumber };
  }
  const byMethod: Record<string, MultipartKind> = { POST: 'complete', DELETE: 'abort', GET: 'list-parts' };
  return { kind: (verb && byMethod[verb]) || 'complete', uploadId };
}

const NO_MULTIPART_QUERY: MultipartQuery = { uploads: false, uploadId: null, partNumber: null };

/**
 * Host readings by host and port: a capture sends most requests to a handful of hosts, and reading one takes a
 * dozen pattern matches. Read-only once stored; bounded (emptied when full).
 */
const hostReadings = new Map<string, HostReading | null>();
const HOST_READINGS_SIZE = 256;

function readHost(host: string, port: string): HostReading | null {
  const key = `${host} ${port}`;
  const known = hostReadings.get(key);
  if (known !== undefined) return known;
  const hostReading = readAwsHost(host) ?? readCompatibleHost(host, port);
  if (hostReadings.size >= HOST_READINGS_SIZE) hostReadings.clear();
  hostReadings.set(key, hostReading);
  return hostReading;
}

/** Read the URL's host, path and query (everything but the method-dependent multipart step). */
function readUrl(url: string): UrlReading {
  const parsed = safeUrl(url);
  if (!parsed) return { info: notS3(url, null), multipartQuery: NO_MULTIPART_QUERY, byMethod: new Map() };
  const host = parsed.hostname.toLowerCase();
  const hostReading = readHost(host, parsed.port);
  const info = notS3(url, parsed);
  const pairs = queryPairs(parsed.search);
  const multipartQuery: MultipartQuery = {
    uploads: pairs.some(([name]) => name === 'uploads'),
    uploadId: firstValue(pairs, 'uploadId'),
    partNumber: firstValue(pairs, 'partNumber'),
  };
  const reading: UrlReading = { info, multipartQuery, byMethod: new Map() };
  info.presign = readPresign(lowerCaseParams(pairs));
  info.subresources = readSubresources(pairs);
  if (!hostReading) return reading;
  info.isS3 = hostReading.isS3;
  info.provider = hostReading.provider;
  info.style = hostReading.style;
  info.region = hostReading.region;
  info.globalEndpoint = hostReading.globalEndpoint;
  info.dualstack = hostReading.dualstack;
  info.fips = hostReading.fips;
  const path = parsed.pathname;
  if (hostReading.pathStyle) {
    const segments = path.replace(/^\//, '');
    if (segments === '') {
      // No bucket in host or path: the service endpoint (ListBuckets and other account-level calls, S27).
      info.style = 'service';
      return reading;
    }
    const slash = segments.indexOf('/');
    info.bucket = safeDecode(slash === -1 ? segments : segments.slice(0, slash));
    info.key = slash === -1 ? '' : safeDecode(segments.slice(slash + 1));
    info.style = styleForBucketName(info.bucket, hostReading.style === 'virtual-hosted' ? 'path' : hostReading.style);
    return reading;
  }
  if (hostReading.hostBucket !== null) {
    info.bucket = hostReading.hostBucket;
    info.key = safeDecode(path.replace(/^\//, ''));
    info.style = styleForBucketName(info.bucket, hostReading.style);
  }
  return reading;
}

/**
 * `scheme://authority` at the start of a URL, up to the first character that ends an http(s) authority. For http
 * and https that text alone decides the host and port the URL parser reads (nothing after it can change them or
 * make the URL invalid; tabs and line breaks the parser drops are part of the text), so answers are kept by it. An
 * empty authority is not kept: `https:///host` takes its host from what follows.
 */
const SERVER_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+/i;
const serverAnswers = new Map<string, boolean>();
const SERVER_ANSWERS_SIZE = 1024;

/**
 * Is the URL addressed to a recognised S3 (or S3-compatible) endpoint? The same answer as parseS3Url(url).isS3,
 * from the host alone: a HAR reader asks it of every entry, most of which are not S3 at all, and most of which go
 * to a handful of servers.
 */
export function isS3Url(url: string): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  const prefix = SERVER_PREFIX.exec(url)?.[0];
  const known = prefix === undefined ? undefined : serverAnswers.get(prefix);
  if (known !== undefined) return known;
  const parsed = safeUrl(url);
  const answer = parsed ? (readHost(parsed.hostname.toLowerCase(), parsed.port)?.isS3 ?? false) : false;
  if (prefix !== undefined) {
    if (serverAnswers.size >= SERVER_ANSWERS_SIZE) serverAnswers.clear();
    serverAnswers.set(prefix, answer);
  }
  return answer;
}

/**
 * Readings of recent URLs. One diagnosis reads its URL many times (triage, evidence, provider, the S3 model for
 * the preflight and the actual request, fix verification); parsing is by far the costliest part of that, so each
 * URL is parsed once. Bounded (oldest first out), so memory stays flat over a capture of any size.
 */
const readings = new Map<string, UrlReading>();
const READINGS_SIZE = 512;
/** Longer URLs (legal up to MAX_URL_LENGTH) are read every time, so the cache stays small whatever the input. */
const CACHED_URL_LENGTH = 8 * 1024;

/**
 * The shared, read-only reading of a URL for one method. Callers inside the core that only read the info use this
 * to avoid re-parsing; it must never be mutated (parseS3Url hands out private copies for that).
 */
export function readS3Url(url: string, method?: string): Readonly<S3UrlInfo> {
  const cacheable = typeof url === 'string' && url.length <= CACHED_URL_LENGTH;
  let reading = cacheable ? readings.get(url) : undefined;
  if (!reading) {
    reading = readUrl(url);
    if (cacheable) {
      if (readings.size >= READINGS_SIZE) readings.delete(readings.keys().next().value!);
      readings.set(url, reading);
    }
  }
  const methodKey = method ?? '';
  const known = reading.byMethod.get(methodKey);
  if (known) return known;
  const info: S3UrlInfo = { ...reading.info, multipart: multipartStep(reading.multipartQuery, method) };
  reading.byMethod.set(methodKey, info);
  return info;
}

/** A private deep copy of a reading: callers may change it without touching the shared one. */
function copyInfo(info: Readonly<S3UrlInfo>): S3UrlInfo {
  return {
    ...info,
    presign: info.presign ? { ...info.presign, signedHeaders: [...info.presign.signedHeaders], checksum: { ...info.presign.checksum } } : null,
    multipart: info.multipart ? { ...info.multipart } : null,
    subresources: [...info.subresources],
  };
}

/**
 * Understand an S3 request URL. `method` (optional) disambiguates the multipart step of `?uploadId=` alone.
 * Never throws: anything that is not an http(s) URL gives `isS3: false`.
 */
export function parseS3Url(url: string, method?: string): S3UrlInfo {
  return copyInfo(readS3Url(url, method));
}
