/** The spec's ids (S1–S31, K…, C…, W…, F…; "S3" is the service, B2 and R2 are products), failure modes and spec sections. */
export const INTERNAL_ID = /\b(?:S(?!3\b)\d{1,2}|[KCWF]\d{1,2})\b|failure[- ]modes?\s*\d|spec\s*§|§\s*\d/i;
