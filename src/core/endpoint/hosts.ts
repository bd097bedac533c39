/**
 * Provider host rules: how a host (and port) addresses S3 — AWS's endpoint families, S3-compatible providers and
 * local emulators — before the path is read.
 */
import type { EndpointStyle, ProviderId } from './types.js';

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, … */
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const GENERIC_REGION = /^[a-z0-9][a-z0-9-]{0,40}$/;
/** How the host (and port) address S3, before the path is read. */
export interface HostReading {
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
    provider: 'aws' as const,
    isS3: true,
    style,
    region: tail.region,
    globalEndpoint: false,
    dualstack: tail.dualstack,
    fips: false,
    ...extra,
  });
  if (label === 's3') return aws('virtual-hosted', { globalEndpoint: tail.region === null });
  if (label === 's3-fips') return aws('virtual-hosted', { fips: true });
  if (label === 's3-external-1' && rest.length === 0) return aws('virtual-hosted', { region: 'us-east-1' });
  const legacy = /^s3-(.+)$/.exec(label);
  const legacyRegion = legacy?.[1];
  if (legacyRegion !== undefined && AWS_REGION.test(legacyRegion) && rest.length === 0) return aws('virtual-hosted', { region: legacyRegion });
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
    const label = labels[i];
    if (label === undefined) continue;
    const service = readAwsServiceLabel(label, labels.slice(i + 1));
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
  if ((m = /^(?:(.+?)\.)?([a-z0-9-]+)(?:\.cdn)?\.digitaloceanspaces\.com$/.exec(host)) && GENERIC_REGION.test(m[2] ?? '')) {
    return reading({
      provider: 'digitalocean',
      isS3: true,
      style: m[1] ? 'virtual-hosted' : 'path',
      hostBucket: m[1] ?? null,
      pathStyle: !m[1],
      region: m[2] ?? '',
    });
  }
  if ((m = /^(?:(.+)\.)?s3\.([a-z0-9-]+)\.backblazeb2\.com$/.exec(host))) {
    return reading({ provider: 'b2', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2] ?? '' });
  }
  if ((m = /^(?:(.+)\.)?s3(?:\.([a-z0-9-]+))?\.wasabisys\.com$/.exec(host))) {
    return reading({
      provider: 'wasabi',
      isS3: true,
      style: m[1] ? 'virtual-hosted' : 'path',
      hostBucket: m[1] ?? null,
      pathStyle: !m[1],
      region: m[2] ?? 'us-east-1',
    });
  }
  // Ceph RGW behind Hetzner (<region>.your-objectstorage.com) and Linode/Akamai (<region>.linodeobjects.com).
  if ((m = /^(?:(.+)\.)?([a-z0-9-]+)\.(?:your-objectstorage\.com|linodeobjects\.com)$/.exec(host))) {
    return reading({ provider: 'ceph', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] ?? null, pathStyle: !m[1], region: m[2] ?? '' });
  }
  if ((m = /^(?:(.+)\.)?s3\.([a-z0-9-]+)\.(?:io|perf)\.cloud\.ovh\.net$/.exec(host))) {
    return reading({
      provider: 'unknown',
      isS3: true,
      style: m[1] ? 'virtual-hosted' : 'path',
      hostBucket: m[1] ?? null,
      pathStyle: !m[1],
      region: m[2] ?? '',
    });
  }
  if ((m = /^(?:(.+)\.)?s3\.localhost\.localstack\.cloud$/.exec(host)) || (m = /^()localhost\.localstack\.cloud$/.exec(host))) {
    return reading({ provider: 'localstack', isS3: true, style: m[1] ? 'virtual-hosted' : 'path', hostBucket: m[1] || null, pathStyle: !m[1] });
  }
  // Local emulators on their default ports (failure modes 32, 36); path-style is their default addressing.
  const byPort: Record<string, ProviderId> = { '4566': 'localstack', '4568': 's3rver', '4569': 's3rver', '9000': 'minio' };
  const portProvider = byPort[port];
  if (portProvider) return reading({ provider: portProvider, isS3: true, style: 'path', pathStyle: true });
  if ((m = /^(.+)\.localhost$/.exec(host))) {
    return reading({ provider: 'unknown', isS3: false, style: 'virtual-hosted', hostBucket: m[1] ?? '' });
  }
  if (LOOPBACK.test(host)) return reading({ provider: 'unknown', isS3: false, style: 'path', pathStyle: true });
  return null;
}

/** How the host and port address S3; null for a host no rule knows. */
export function readHost(host: string, port: string): HostReading | null {
  return readAwsHost(host) ?? readCompatibleHost(host, port);
}
