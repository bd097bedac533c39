/** Proof that a configuration lets a request pass: re-run it through the S3 model and the browser model. */
import type { CorsConfiguration } from '../policy/types.js';
import type { PageRequest } from '../fetch/types.js';
import { passesModels } from '../replay/model.js';

export interface VerifyOptions {
  bucketRegion?: string;
}

/** True when the browser model allows the request against the S3 model with this configuration and every needed header is readable. */
export function configLetsRequestPass(config: CorsConfiguration, page: PageRequest, mustRead: readonly string[], options: VerifyOptions = {}): boolean {
  const bucket = { kind: 'cors' as const, config, ...(options.bucketRegion ? { region: options.bucketRegion } : {}) };
  return passesModels(page, bucket, mustRead, options.bucketRegion ? { bucketRegion: options.bucketRegion } : {}).passes;
}
