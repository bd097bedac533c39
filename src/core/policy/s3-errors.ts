/** PutBucketCors' vocabulary: its XML namespace, error codes and message texts (spec §5, failure-modes K1–K4). */
import type { PolicyError, RuleElement, SourcePosition } from './types.js';

export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Recorded text (spec §5 "zero rules"); S3 uses it for every schema failure. */
export const MALFORMED_XML_MESSAGE = 'The XML you provided was not well-formed or did not validate against our published schema';

export const unsupportedMethodMessage = (method: string) => `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`;
export const originWildcardsMessage = (origin: string) => `AllowedOrigin "${origin}" can not have more than one wildcard.`;
/** By analogy with the AllowedOrigin message (the header row of §5 is secondary, its text unrecorded). */
export const headerWildcardsMessage = (header: string) => `AllowedHeader "${header}" can not have more than one wildcard.`;
/** As mirrored by S3-compatible servers (failure-modes K3). */
export const exposeWildcardMessage = (header: string) => `ExposeHeader "${header}" contains wildcard. We currently do not support wildcard for ExposeHeader`;

export interface ErrorPlace {
  rule: number | null;
  element?: RuleElement;
  position?: SourcePosition;
}

export function policyError(code: string, message: string, evidence: PolicyError['evidence'], place: ErrorPlace, detail?: string): PolicyError {
  const error: PolicyError = { code, message, rule: place.rule, evidence };
  if (place.element) error.element = place.element;
  if (place.position) {
    error.line = place.position.line;
    error.column = place.position.column;
  }
  if (detail) error.detail = detail;
  return error;
}

export function malformedXml(place: ErrorPlace, detail: string, evidence: PolicyError['evidence'] = 'secondary'): PolicyError {
  return policyError('MalformedXML', MALFORMED_XML_MESSAGE, evidence, place, detail);
}
