/**
 * S3 URL understanding: bucket, key, region, endpoint style, presigned parameters, multipart markers, provider.
 * STUB — implemented with the S3 model (issue 2/3). Signatures are the contract.
 */
import type { HeaderMap } from '../http/index.js';

export type EndpointStyle =
  | 'virtual-hosted'
  | 'path'
  | 'service' // https://s3.<region>.amazonaws.com/ with no bucket (S27)
  | 'website' // S28
  | 'accelerate'
  | 'access-point'
  | 'object-lambda'
  | 'mrap'
  | 'directory-bucket'
  | 'custom'; // a custom domain / CDN in front, or an unrecognised host

export type ProviderId = 'aws' | 'r2' | 'gcs' | 'digitalocean' | 'b2' | 'wasabi' | 'minio' | 'localstack' | 's3rver' | 'ceph' | 'unknown';

export interface PresignInfo {
  version: 'v4' | 'v2';
  /** v4: region and date from X-Amz-Credential */
  region?: string;
  credentialDate?: string;
  /** v4 X-Amz-Date as ISO; v2 Expires as ISO */
  signedAt?: string;
  expiresSeconds?: number;
  /** When it expires, ISO */
  expiresAt?: string;
  signedHeaders: string[];
  /** Checksum parameters baked into the URL (x-amz-checksum-*, x-amz-sdk-checksum-algorithm). */
  checksum: Record<string, string>;
  hasSecurityToken: boolean;
}

export interface S3UrlInfo {
  url: string;
  scheme: string;
  host: string;
  isS3: boolean;
  provider: ProviderId;
  style: EndpointStyle;
  bucket: string | null;
  /** Decoded object key, '' at the bucket root, null when no bucket. */
  key: string | null;
  region: string | null;
  dualstack: boolean;
  fips: boolean;
  presign: PresignInfo | null;
  multipart: { kind: 'create' | 'upload-part' | 'complete' | 'abort' | 'list-parts'; uploadId?: string; partNumber?: number } | null;
  /** Sub-resources in the query (cors, uploads, acl, …). */
  subresources: string[];
}

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** Where this provider's CORS departs from AWS (spec §7, failure modes 31–36). */
  notes: string[];
}

export function parseS3Url(_url: string): S3UrlInfo {
  throw new Error('not implemented');
}

/** Provider from URL and response headers (Server, x-amz-request-id style, cf-ray, x-goog-*, …). */
export function detectProvider(_url: string, _responseHeaders?: HeaderMap): ProviderInfo {
  throw new Error('not implemented');
}
