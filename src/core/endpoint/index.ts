/**
 * S3 URL understanding: bucket, key, region, endpoint style, presigned parameters, multipart markers, provider
 * (issue 3, "S3 URL understanding"; failure modes 15–19 and 30–36). Pure; never throws.
 */
export * from './types.js';
export { isS3Url, parseS3Url, readS3Url, safeUrl } from './parse-url.js';
export { detectProvider } from './providers.js';
