/**
 * `--config s3://<bucket>`: fetch the bucket's CORS configuration with GetBucketCors, signed (SigV4, aws4fetch) with
 * credentials from the standard AWS chain (environment, shared config and credentials files, SSO, process, IMDS —
 * `fromNodeProviderChain` of the official SDK), honouring `--profile` / `--region` / `--endpoint` or their
 * environment variables (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL).
 *
 * Importing this module registers it as a policy source, so `lint`, `simulate`, `explain` and `har` all accept
 * `s3://bucket` through loadPolicyFile.
 */
import { parsePolicy, type ParsedPolicy } from '../core/policy/index.js';
import { parseS3Error } from '../core/s3/index.js';
import { redactText } from '../core/redact/index.js';
import { InputError, UsageError, type CliIO } from './io.js';
import { registerPolicySource } from './policy-input.js';
import {
  AWS_ENDPOINT,
  MAX_REGION_REDIRECTS,
  bucketNameProblem,
  bucketRegionProbeUrl,
  getBucketCorsUrl,
  isAwsRegion,
  isRegionFor,
  maySendSigned,
} from '../core/endpoint/signing.js';

export interface S3ConfigOptions {
  profile?: string;
  region?: string;
  /** An S3-compatible endpoint (`http://127.0.0.1:4568`), addressed path-style. */
  endpoint?: string;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** `s3://<bucket>`, the name checked by S3's naming rules before it goes into a host (issue 11; legacy names refused). */
export function parseS3Spec(spec: string): string {
  const bucket = /^s3:\/\/([^/?#]+)\/?$/i.exec(spec)?.[1];
  if (bucket === undefined) throw new UsageError(`${JSON.stringify(spec)} is not s3://<bucket>`);
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`${JSON.stringify(spec)} is not s3://<bucket>: ${problem}`);
  return bucket;
}

/** Options from the environment, for commands that have no --profile/--region/--endpoint flags. */
export function s3OptionsFromEnv(env: Record<string, string | undefined>): S3ConfigOptions {
  const options: S3ConfigOptions = {};
  const profile = env.AWS_PROFILE;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (profile) options.profile = profile;
  if (region) options.region = region;
  if (endpoint) options.endpoint = endpoint;
  return options;
}

/** Static keys in the given environment win (the chain's own first step); otherwise the SDK's Node chain. */
async function resolveCredentials(io: CliIO, options: S3ConfigOptions): Promise<AwsCredentials> {
  const env = io.env;
  if (!options.profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  // Loaded on demand: the SDK is large and only this path needs it.
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  try {
    const provider = fromNodeProviderChain({
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.region ? { clientConfig: { region: options.region } } : {}),
    });
    const identity = await provider();
    return {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    };
  } catch (err) {
    const reason = redactText((err as Error).message.split('\n')[0] ?? 'unknown error');
    throw new InputError(
      `no AWS credentials found${options.profile ? ` for profile ${options.profile}` : ''} (${reason}); set AWS_PROFILE, run \`aws sso login\`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`,
    );
  }
}

function endpointBase(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--endpoint must be http:// or https://');
  if (url.username || url.password) throw new UsageError('--endpoint must not carry credentials');
  // Signed requests travel over HTTPS only, except to this computer (a local MinIO or s3rver).
  const verdict = maySendSigned(url.href, url.origin);
  if (!verdict.ok) throw new UsageError(`--endpoint ${url.origin}: ${verdict.reason}`);
  return url;
}

/** GetBucketCors, addressed by the core from a valid bucket name and region: AWS S3 or exactly the --endpoint. */
function corsUrl(bucket: string, region: string, options: S3ConfigOptions): string {
  const base = options.endpoint ? endpointBase(options.endpoint) : null;
  const target = getBucketCorsUrl({
    bucket,
    region,
    endpoint: base ? base.origin : AWS_ENDPOINT,
    ...(base ? { pathPrefix: base.pathname.replace(/\/$/, '') } : {}),
  });
  if (!target.ok) throw new InputError(`s3://${bucket}: not fetched: ${target.reason}`);
  return target.url;
}

async function timedFetch(url: string | Request, init: RequestInit, timeoutMs: number, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new InputError(`${what}: no answer within ${timeoutMs} ms`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError(`${what}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

/** The bucket's region from an unsigned HEAD: S3 names it in x-amz-bucket-region even on 301/403 (S31). */
async function bucketRegion(bucket: string, timeoutMs: number): Promise<string> {
  const probe = bucketRegionProbeUrl(bucket);
  if (!probe) throw new InputError(`s3://${bucket}: not a bucket name`);
  const response = await timedFetch(probe, { method: 'HEAD' }, timeoutMs, `s3://${bucket}`);
  const region = response.headers.get('x-amz-bucket-region');
  if (region && isAwsRegion(region)) return region;
  if (response.status === 404) throw new InputError(`s3://${bucket}: no such bucket`);
  return 'us-east-1';
}

/**
 * GetBucketCors. `'none'` when the bucket has no configuration (S25 NoSuchCORSConfiguration); InputError for a
 * missing bucket, a refused identity, or an unreadable answer.
 */
export async function fetchBucketCors(bucket: string, io: CliIO, options: S3ConfigOptions = {}): Promise<ParsedPolicy | 'none'> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `s3://${bucket}`;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`s3://${bucket}: ${problem}`);
  const endpoint = options.endpoint ? endpointBase(options.endpoint).origin : AWS_ENDPOINT;
  if (options.region !== undefined && !isRegionFor(endpoint, options.region)) throw new UsageError(`${JSON.stringify(options.region)} is not a region`);
  const credentials = await resolveCredentials(io, options);
  let region = options.region ?? (options.endpoint ? 'us-east-1' : await bucketRegion(bucket, timeoutMs));
  const { AwsClient } = await import('aws4fetch');
  // The first attempt plus at most MAX_REGION_REDIRECTS region redirects.
  for (let attempt = 0; attempt <= MAX_REGION_REDIRECTS; attempt++) {
    const url = corsUrl(bucket, region, options);
    const verdict = maySendSigned(url, endpoint);
    if (!verdict.ok) throw new InputError(`${where}: not fetched: ${verdict.reason}`);
    const client = new AwsClient({ ...credentials, service: 's3', region, retries: 0 });
    const signed = await client.sign(url, { method: 'GET' });
    const response = await timedFetch(signed, {}, timeoutMs, where);
    const body = await response.text();
    if (response.status === 200) return parsePolicy(body, { file: where, format: 'xml' });
    const error = parseS3Error(body);
    const redirectRegion = response.headers.get('x-amz-bucket-region');
    if ((response.status === 301 || response.status === 307 || error?.code === 'AuthorizationHeaderMalformed') && redirectRegion && redirectRegion !== region) {
      if (attempt === MAX_REGION_REDIRECTS) break;
      // The named region goes into a host (on AWS) only once it looks like a region.
      if (!isRegionFor(endpoint, redirectRegion)) throw new InputError(`${where}: GetBucketCors was redirected to an invalid region`);
      region = redirectRegion;
      continue;
    }
    if (error?.code === 'NoSuchCORSConfiguration') return 'none';
    if (error?.code === 'NoSuchBucket') throw new InputError(`${where}: no such bucket`);
    if (error?.code === 'AccessDenied' || (response.status === 403 && !error)) {
      throw new InputError(`${where}: access denied — this identity lacks s3:GetBucketCORS on the bucket`);
    }
    const detail = error ? `${error.code}: ${redactText(error.message)}` : `HTTP ${response.status}`;
    throw new InputError(`${where}: GetBucketCors failed (${detail})`);
  }
  throw new InputError(`${where}: GetBucketCors was redirected more than ${MAX_REGION_REDIRECTS} times`);
}

registerPolicySource({
  matches: (spec) => /^s3:\/\//i.test(spec),
  load: (spec, io) => fetchBucketCors(parseS3Spec(spec), io, s3OptionsFromEnv(io.env)),
});
