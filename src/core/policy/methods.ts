/**
 * S11: the only methods a CORS rule (and a preflight's Access-Control-Request-Method) can name, case-sensitively,
 * in the order S3's documentation lists them. The one list the parser, PutBucketCors validation, the renderers,
 * the S3 model and the fix read.
 */
export const S3_CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;

export type S3CorsMethod = (typeof S3_CORS_METHODS)[number];

/** Is `method` one S3 accepts in a CORS rule (exact case: `get` is not)? */
export function isS3CorsMethod(method: string): method is S3CorsMethod {
  return (S3_CORS_METHODS as readonly string[]).includes(method);
}
