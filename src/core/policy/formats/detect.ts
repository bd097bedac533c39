import type { PolicyFormat } from '../types.js';

/** Keys only the S3 console / CLI JSON spell this way. */
const S3_RULE_KEYS = /"(AllowedOrigins|AllowedMethods|AllowedHeaders|ExposeHeaders|MaxAgeSeconds|ID)"\s*:/;
/** Keys of Backblaze B2's corsRules (B2 names operations, not methods). */
const B2_KEYS = /"(corsRules|corsRuleName|allowedOperations|allowedOrigins)"\s*:/;
/** Keys of Google Cloud Storage's CORS JSON and its bucket resource. */
const GCS_KEYS = /"(cors|cors_config|origin|method|responseHeader)"\s*:/;

/** Cheap detection from the first significant characters and key names; the reader then gives precise errors. */
export function detectPolicyFormat(text: string): PolicyFormat | null {
  const body = text.replace(/^\uFEFF/, '');
  const first = /\S/.exec(body)?.[0];
  if (first === undefined) return null;
  if (first === '<') return 'xml';
  if (first === '[') {
    // A list of rules: the form whose key comes first (so a GCS entry with one S3 key is read, and refused, as GCS);
    // an empty or unrecognised list is read (and refused) as S3's.
    const firstKey = (keys: RegExp) => keys.exec(body)?.index ?? Number.POSITIVE_INFINITY;
    const [form] = (
      [
        ['console-json', firstKey(S3_RULE_KEYS)],
        ['b2-json', firstKey(B2_KEYS)],
        ['gcs-json', firstKey(GCS_KEYS)],
      ] as const
    ).reduce((best, next) => (next[1] < best[1] ? next : best));
    return form;
  }
  if (first === '{') {
    if (/"(CORSRules|CORSConfiguration)"\s*:/.test(body)) return 'cli-json';
    if (/"resource"\s*:/.test(body) && /"aws_s3_bucket(_cors_configuration)?"\s*:/.test(body)) return 'terraform';
    if (/"(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion)"\s*:/.test(body)) return 'cloudformation';
    // A bucket holding its CORS list (B2's `b2 bucket get`, GCS's bucket resource); a "cors" that is a string
    // (package.json's dependency on the cors package) is none of them.
    if (/"corsRules"\s*:/.test(body)) return 'b2-json';
    if (/"cors_config"\s*:|"cors"\s*:\s*[[{]/.test(body)) return 'gcs-json';
    return null;
  }
  if (/^\s*(resource|data|variable|provider|terraform|locals|module|output)\s*("|\{)/m.test(body) || /\bcors_rule\s*\{/.test(body)) {
    return 'terraform';
  }
  if (/^\s*(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion|Type|Properties)\s*:/m.test(body)) return 'cloudformation';
  return null;
}
