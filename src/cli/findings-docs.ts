/**
 * Where the finding pages (docs/findings/<CODE>.md) are: next to the package root, both from the sources
 * (src/cli/…) and from the build (dist/cli/ and dist/cli/chunks/). Found by walking up to the directory that holds
 * package.json, so it does not depend on the bundle's layout.
 */
import { existsSync } from 'node:fs';

export function findingsDirectory(): URL {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 6; i++) {
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('docs/findings/', dir))) return new URL('docs/findings/', dir);
    dir = new URL('../', dir);
  }
  return new URL('../../docs/findings/', import.meta.url);
}

/** The pointer printed after each finding in human output. */
export function findingPointer(code: string): string {
  return `more: s3-cors-doctor docs ${code}`;
}

/** How sure a model note is, in words (instead of the evidence tag). */
export function evidenceWords(evidence: string): string {
  if (evidence === 'docs') return 'from the AWS documentation';
  if (evidence === 'secondary') return 'from reports by others, not tested by us';
  if (evidence === 'unknown') return 'not documented: our assumption';
  return evidence;
}
