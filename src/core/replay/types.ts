/**
 * src/core/replay: the request replay the diagnosis and the fix both need, below both (replay ← fix ← diagnose;
 * test/meta/core-direction.test.ts keeps it so): the page request rebuilt from a capture (page-request.ts), its run
 * through the S3 and browser models (model.ts), the headers the page must read (needs.ts), rules read against a page
 * origin (rules.ts), and the words rules are named in (wording.ts).
 */
import type { S3Response } from '../s3/types.js';
import type { BrowserOutcome } from '../fetch/types.js';

/** What the S3 and browser models say about the reconstructed request, when the configuration is known. */
export interface ModelRun {
  /** S3's answer to the preflight (null when none is needed). */
  preflight: S3Response | null;
  /** S3's answer to the actual request (its CORS headers; S19). */
  actual: S3Response;
  /** The S3 answer whose rule trace decides the outcome: the preflight's when one is needed (S8), else the actual's. */
  deciding: S3Response;
  browser: BrowserOutcome;
}
