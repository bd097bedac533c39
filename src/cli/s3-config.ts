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
/** S3 bucket names (the rules for new buckets; legacy us-east-1 names may be odder but are still URL-safe here). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.\-_]{1,254}$/i;

export function parseS3Spec(spec: string): string {
  const match = /^s3:\/\/([^/?#]+)\/?$/i.exec(spec);
  if (!match || !BUCKET_NAME.test(match[1]!)) throw new UsageError(`${JSON.stringify(spec)} is not s3://<bucket>`);
  return match[1]!;
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
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  // Loaded on demand: the SDK is large and only this path needs it.
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  try {
    const provider = fromNodeProviderChain({ ...(options.profile ? { profile: options.profile } : {}), ...(options.region ? { clientConfig: { region: options.region } } : {}) });
    const identity = await provider();
    return { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}) };
  } catch (err) {
    const reason = redactText((err as Error).message.split('\n')[0] ?? 'unknown error');
    throw new InputError(`no AWS credentials found${options.profile ? ` for profile ${options.profile}` : ''} (${reason}); set AWS_PROFILE, run \`aws sso login\`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`);
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
  return url;
}

function corsUrl(bucket: string, region: string, options: S3ConfigOptions): string {
  if (options.endpoint) {
    const base = endpointBase(options.endpoint);
    return `${base.origin}${base.pathname.replace(/\/$/, '')}/${encodeURIComponent(bucket)}?cors`;
  }
  // Dotted names break the wildcard TLS certificate of virtual-hosted URLs: use path-style for them.
  return bucket.includes('.') ? `https://s3.${region}.amazonaws.com/${bucket}?cors` : `https://${bucket}.s3.${region}.amazonaws.com/?cors`;
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
  const response = await timedFetch(`https://${bucket}.s3.amazonaws.com/`, { method: 'HEAD' }, timeoutMs, `s3://${bucket}`);
  const region = response.headers.get('x-amz-bucket-region');
  if (region && /^[a-z0-9-]{4,32}$/.test(region)) return region;
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
  const credentials = await resolveCredentials(io, options);
  let region = options.region ?? (options.endpoint ? 'us-east-1' : await bucketRegion(bucket, timeoutMs));
  const { AwsClient } = await import('aws4fetch');
  for (let attempt = 0; attempt < 2; attempt++) {
    const client = new AwsClient({ ...credentials, service: 's3', region, retries: 0 });
    const signed = await client.sign(corsUrl(bucket, region, options), { method: 'GET' });
    const response = await timedFetch(signed, {}, timeoutMs, where);
    const body = await response.text();
    if (response.status === 200) return parsePolicy(body, { file: where, format: 'xml' });
    const error = parseS3Error(body);
    const redirectRegion = response.headers.get('x-amz-bucket-region');
    if ((response.status === 301 || response.status === 307 || error?.code === 'AuthorizationHeaderMalformed') && redirectRegion && redirectRegion !== region && attempt === 0) {
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
  throw new InputError(`${where}: GetBucketCors kept being redirected`);
}

registerPolicySource({
  matches: (spec) => /^s3:\/\//i.test(spec),
  load: (spec, io) => fetchBucketCors(parseS3Spec(spec), io, s3OptionsFromEnv(io.env)),
});
