import type { PolicyFormat } from '../types.js';

/** Cheap detection from the first significant characters; the reader then gives precise errors. */
export function detectPolicyFormat(text: string): PolicyFormat | null {
  const body = text.replace(/^\uFEFF/, '');
  const first = /\S/.exec(body)?.[0];
  if (first === undefined) return null;
  if (first === '<') return 'xml';
  if (first === '[') return 'console-json';
  if (first === '{') {
    if (/"(CORSRules|CORSConfiguration)"\s*:/.test(body)) return 'cli-json';
    if (/"resource"\s*:/.test(body) && /"aws_s3_bucket(_cors_configuration)?"\s*:/.test(body)) return 'terraform';
    if (/"(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion)"\s*:/.test(body)) return 'cloudformation';
    return null;
  }
  if (/^\s*(resource|data|variable|provider|terraform|locals|module|output)\s*("|\{)/m.test(body) || /\bcors_rule\s*\{/.test(body)) {
    return 'terraform';
  }
  if (/^\s*(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion|Type|Properties)\s*:/m.test(body)) return 'cloudformation';
  return null;
}
