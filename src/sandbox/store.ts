/**
 * The sandbox's object store: buckets, objects and multipart uploads in memory, with every stored byte counted
 * against one cap (issue 11: any site the developer visits may POST a form to the sandbox, so without a cap a page
 * could fill the machine's memory).
 */
import { createHash } from 'node:crypto';
import type { CorsConfiguration } from '../core/policy/index.js';

/** What one stored object, part or bucket costs besides its bytes (maps, keys, ETags), counted against the cap. */
const RECORD_OVERHEAD_BYTES = 512;
/** S3's default bucket quota per account is in the thousands; the sandbox keeps it small. */
export const MAX_BUCKETS = 1000;

export interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
}

export interface Upload {
  key: string;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

export interface Bucket {
  cors: CorsConfiguration | null;
  objects: Map<string, StoredObject>;
  uploads: Map<string, Upload>;
}

export const md5 = (data: Buffer) => createHash('md5').update(data).digest();

/** `"<hex md5>"`, the ETag of a single-part object or part. */
export const etagOf = (data: Buffer) => `"${md5(data).toString('hex')}"`;

export class ObjectStore {
  readonly buckets = new Map<string, Bucket>();
  /** Bytes held by stored objects, parts and buckets (with their overhead). */
  private stored = 0;

  constructor(
    /** The total of stored bytes. */
    readonly maxTotal: number,
    /** The configuration every new bucket starts with. */
    private readonly initialCors: CorsConfiguration | null,
  ) {}

  /** The named bucket; null until --bucket or PUT /<bucket> created it (never created by reading it). */
  bucket(name: string): Bucket | null {
    return this.buckets.get(name) ?? null;
  }

  createBucket(name: string): Bucket {
    const bucket: Bucket = { cors: this.initialCors, objects: new Map(), uploads: new Map() };
    this.buckets.set(name, bucket);
    this.stored += RECORD_OVERHEAD_BYTES + name.length;
    return bucket;
  }

  /** Whether `delta` more stored bytes fit under the cap. */
  fits(delta: number): boolean {
    return delta <= 0 || this.stored + delta <= this.maxTotal;
  }

  bucketFits(name: string): boolean {
    return this.fits(RECORD_OVERHEAD_BYTES + name.length);
  }

  private objectCost(key: string, object: StoredObject | undefined): number {
    return object ? object.body.length + key.length + RECORD_OVERHEAD_BYTES : 0;
  }

  uploadCost(upload: Upload): number {
    let total = upload.key.length + RECORD_OVERHEAD_BYTES;
    for (const part of upload.parts.values()) total += part.body.length + RECORD_OVERHEAD_BYTES;
    return total;
  }

  /** Store an object (replacing any), releasing `freed` bytes at the same time; false when it does not fit. */
  putObject(bucket: Bucket, key: string, object: StoredObject, freed = 0): boolean {
    const delta = this.objectCost(key, object) - this.objectCost(key, bucket.objects.get(key)) - freed;
    if (!this.fits(delta)) return false;
    bucket.objects.set(key, object);
    this.stored += delta;
    return true;
  }

  deleteObject(bucket: Bucket, key: string): void {
    this.stored -= this.objectCost(key, bucket.objects.get(key));
    bucket.objects.delete(key);
  }

  /** Start a multipart upload; false when it does not fit. */
  addUpload(bucket: Bucket, uploadId: string, upload: Upload): boolean {
    if (!this.fits(this.uploadCost(upload))) return false;
    bucket.uploads.set(uploadId, upload);
    this.stored += this.uploadCost(upload);
    return true;
  }

  /** Store (or replace) one part; false when it does not fit. */
  putPart(upload: Upload, partNumber: number, body: Buffer, etag: string): boolean {
    const previous = upload.parts.get(partNumber);
    const delta = body.length - (previous ? previous.body.length : -RECORD_OVERHEAD_BYTES);
    if (!this.fits(delta)) return false;
    upload.parts.set(partNumber, { body, etag });
    this.stored += delta;
    return true;
  }

  /** Store the assembled object, releasing the upload's parts as it is stored; false when it does not fit. */
  completeUpload(bucket: Bucket, uploadId: string, upload: Upload, object: StoredObject): boolean {
    if (!this.putObject(bucket, upload.key, object, this.uploadCost(upload))) return false;
    bucket.uploads.delete(uploadId);
    return true;
  }

  abortUpload(bucket: Bucket, uploadId: string, upload: Upload): void {
    this.stored -= this.uploadCost(upload);
    bucket.uploads.delete(uploadId);
  }
}
