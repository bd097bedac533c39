/**
 * The S3 documents the sandbox answers with besides the CORS configuration (which the policy renderers write:
 * renderGetBucketCorsXml), and the S3 error texts only the sandbox needs (the model's own are in core/s3/errors).
 */
import { xmlElement } from '../core/xml/index.js';
import { S3_XML_NAMESPACE } from '../core/policy/s3-errors.js';

export const SANDBOX_S3_MESSAGES = {
  noSuchCorsConfiguration: 'The CORS configuration does not exist',
  noSuchKey: 'The specified key does not exist.',
  noSuchUpload: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  invalidPartNumber: 'Part number must be an integer between 1 and 10000, inclusive',
  invalidPart:
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  invalidRange: 'The requested range is not satisfiable',
  notImplemented: 'A header you provided implies functionality that is not implemented',
  bucketAlreadyOwnedByYou: 'Your previous request to create the named bucket succeeded and you already own it.',
  tooManyBuckets: 'You have attempted to create more buckets than allowed',
  formFieldsMissing: "Bucket POST must contain a field named 'key' and a file field named 'file'.",
  invalidBucketName: (problem: string) => `The specified bucket is not valid: ${problem}.`,
  entityTooLarge: (limit: number) => `Your proposed upload exceeds the sandbox's in-memory limit of ${limit} bytes.`,
  insufficientStorage: (limit: number) =>
    `The sandbox keeps everything in memory and holds at most ${limit} bytes in all (--max-memory); delete objects or restart it.`,
} as const;

const el = (name: string, value: string | number) => xmlElement(name, value);

function document(root: string, body: string, namespaced = true): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespaced ? ` xmlns="${S3_XML_NAMESPACE}"` : ''}>${body}</${root}>`;
}

export function listAllMyBucketsXml(names: Iterable<string>): string {
  return document('ListAllMyBucketsResult', `<Buckets>${[...names].map((n) => `<Bucket>${el('Name', n)}</Bucket>`).join('')}</Buckets>`);
}

export function listBucketXml(bucketName: string, prefix: string, objects: Array<{ key: string; lastModified: Date; etag: string; size: number }>): string {
  const contents = objects
    .map(
      (o) =>
        `<Contents>${el('Key', o.key)}${el('LastModified', o.lastModified.toISOString())}${el('ETag', o.etag)}${el('Size', o.size)}${el('StorageClass', 'STANDARD')}</Contents>`,
    )
    .join('');
  return document(
    'ListBucketResult',
    `${el('Name', bucketName)}${el('Prefix', prefix)}${el('KeyCount', objects.length)}${el('MaxKeys', 1000)}${el('IsTruncated', 'false')}${contents}`,
  );
}

export function initiateMultipartUploadXml(bucketName: string, key: string, uploadId: string): string {
  return document('InitiateMultipartUploadResult', `${el('Bucket', bucketName)}${el('Key', key)}${el('UploadId', uploadId)}`);
}

export function completeMultipartUploadXml(location: string, bucketName: string, key: string, etag: string): string {
  return document('CompleteMultipartUploadResult', `${el('Location', location)}${el('Bucket', bucketName)}${el('Key', key)}${el('ETag', etag)}`);
}

export function listPartsXml(bucketName: string, key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string; size: number }>): string {
  const items = parts.map((p) => `<Part>${el('PartNumber', p.partNumber)}${el('ETag', p.etag)}${el('Size', p.size)}</Part>`).join('');
  return document('ListPartsResult', `${el('Bucket', bucketName)}${el('Key', key)}${el('UploadId', uploadId)}${items}`);
}

/** POST Object with success_action_status=201: S3 writes this one without a namespace. */
export function postResponseXml(location: string, bucketName: string, key: string, etag: string): string {
  return document('PostResponse', `${el('Location', location)}${el('Bucket', bucketName)}${el('Key', key)}${el('ETag', etag)}`, false);
}
