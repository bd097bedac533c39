/**
 * Reading a CORS configuration named on the command line (`--config <file|-|none>`), shared by lint, simulate,
 * explain and har. Sizes are bounded before anything is read whole; every failure is a one-line InputError or
 * PolicyParseError (exit 1).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { MAX_POLICY_CHARS, parsePolicy, type ParsedPolicy, type PolicyFormat } from '../core/policy/index.js';
import { InputError, readAll, statInputFile, type CliIO } from './io.js';

/** Files above this are refused after a stat, before reading (the parser's own limit; S3 accepts at most 64 KB). */
export const MAX_POLICY_FILE_BYTES = MAX_POLICY_CHARS;

export interface PolicyLoadOptions {
  /** Force a format instead of detecting it. */
  format?: PolicyFormat;
  /** Which bucket/resource to read from a file holding several (CloudFormation logical ID, Terraform name). */
  resource?: string;
}

/**
 * A place a configuration can come from other than a local file, e.g. `s3://bucket` (GetBucketCors). Registered by
 * the module that implements it, so this file needs no AWS code.
 */
export interface PolicySource {
  matches(spec: string): boolean;
  load(spec: string, io: CliIO, options: PolicyLoadOptions): Promise<ParsedPolicy | 'none'>;
}

const policySources: PolicySource[] = [];

export function registerPolicySource(source: PolicySource): void {
  policySources.push(source);
}

function decodeUtf8(bytes: Uint8Array, name: string): string {
  // isUtf8 rather than a fatal TextDecoder: the same check, without loading the encoding machinery at start-up.
  if (!isUtf8(bytes)) throw new InputError(`${name}: not UTF-8 text (binary data?)`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

async function readPolicyText(path: string): Promise<string> {
  const info = await statInputFile(path, 'a configuration file');
  const tooBig = () =>
    new InputError(`${path}: larger than ${MAX_POLICY_FILE_BYTES} bytes, the limit for a CORS configuration file (S3 itself accepts at most 64 KB)`);
  if (info.isFile()) {
    if (info.size > MAX_POLICY_FILE_BYTES) throw tooBig();
    let bytes: Buffer;
    try {
      bytes = readFileSync(path); // small (bounded above), read once at start-up
    } catch (err) {
      throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (bytes.length > MAX_POLICY_FILE_BYTES) throw tooBig(); // grew between stat and read
    return decodeUtf8(bytes, path);
  }
  // A FIFO or device (`<(cat x)`, /dev/stdin): its size is unknown, so read it with a bound.
  try {
    return await readAll(createReadStream(path), MAX_POLICY_FILE_BYTES);
  } catch (err) {
    if (err instanceof InputError) throw tooBig();
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * `path` is a file, `-` (stdin, bounded) or `none` (the bucket has no CORS configuration). Throws InputError or
 * PolicyParseError with a one-line message naming the file (and line/column for parse errors).
 */
export async function loadPolicyFile(path: string, io: CliIO, options: PolicyLoadOptions = {}): Promise<ParsedPolicy | 'none'> {
  if (path === 'none') return 'none';
  // The S3 reader (and the AWS SDK behind it) is loaded only for an s3:// configuration; importing it registers it.
  if (/^s3:\/\//i.test(path)) await import('./s3-config.js');
  const source = policySources.find((s) => s.matches(path));
  if (source) return source.load(path, io, options);
  if (/^s3:\/\//i.test(path)) throw new InputError(`${path}: reading a configuration from S3 is not available in this build`);
  let text: string;
  let file: string;
  if (path === '-') {
    file = '<stdin>';
    try {
      text = await readAll(io.stdin, MAX_POLICY_FILE_BYTES);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`<stdin>: cannot read (${(err as Error).message.split('\n')[0]})`);
    }
  } else {
    file = path;
    text = await readPolicyText(path);
  }
  return parsePolicy(text, { file, format: options.format, resource: options.resource });
}
