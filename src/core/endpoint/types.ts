/** The vocabulary of S3 URL understanding (issue 3, "S3 URL understanding"). */

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
  /** v4: region and date from X-Amz-Credential (X-Goog-Credential for GCS) */
  region?: string;
  /** YYYY-MM-DD from the credential scope */
  credentialDate?: string;
  /** v4: X-Amz-Date as ISO. v2 URLs carry no signing time, so it is absent there. */
  signedAt?: string;
  expiresSeconds?: number;
  /** When it expires, ISO (v4: X-Amz-Date + X-Amz-Expires; v2: Expires) */
  expiresAt?: string;
  signedHeaders: string[];
  /** Checksum parameters baked into the URL (x-amz-checksum-*, x-amz-sdk-checksum-algorithm), names lower-cased. */
  checksum: Record<string, string>;
  hasSecurityToken: boolean;
}

export type MultipartKind = 'create' | 'upload-part' | 'complete' | 'abort' | 'list-parts';

export interface S3UrlInfo {
  /** The URL with credentials, signatures and tokens replaced by REDACTED (safe to show and export). */
  url: string;
  scheme: string;
  host: string;
  /**
   * True when the host is a recognised S3 (or S3-compatible) endpoint. For loopback hosts on other ports the
   * address is still read path-style (bucket/key filled) but isS3 stays false: it may be any local server.
   */
  isS3: boolean;
  provider: ProviderId;
  style: EndpointStyle;
  bucket: string | null;
  /** Decoded object key, '' at the bucket root, null when no bucket. */
  key: string | null;
  region: string | null;
  /** The legacy global endpoint (s3.amazonaws.com, <bucket>.s3.amazonaws.com, s3-external-1): region null. */
  globalEndpoint: boolean;
  dualstack: boolean;
  fips: boolean;
  presign: PresignInfo | null;
  multipart: { kind: MultipartKind; uploadId?: string; partNumber?: number } | null;
  /** Sub-resources in the query (cors, uploads, acl, …), in query order. */
  subresources: string[];
}

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** Where this provider's CORS departs from AWS (spec §7, failure modes 31–36). */
  notes: string[];
}
