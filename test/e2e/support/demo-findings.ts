/**
 * The demo bucket's three failures as both browsers' panels must name them once the policy is fetched (shared by the
 * Chromium and Firefox suites; the page is demo/page, the bucket's CORS is the deliberately wrong one).
 */
import type { PanelSnapshot } from './panel-snapshot.js';
import { waitUntil } from './servers.js';

const DEMO_CODES = ['HEADERS_NOT_ALLOWED', 'ORIGIN_NOT_ALLOWED', 'HEADER_NOT_EXPOSED'];

export function rowFor(snapshot: PanelSnapshot, predicate: (row: PanelSnapshot['rows'][number]) => boolean) {
  return snapshot.rows.find(predicate);
}

/** Waits until the panel holds the fetched policy and all three findings, and checks what each names. */
export async function expectDemoFindings(readPanel: () => Promise<PanelSnapshot>, bucket: string, otherOrigin: string): Promise<PanelSnapshot> {
  const snapshot = await waitUntil('the fetched policy and the three findings', async () => {
    const s = await readPanel();
    if (s.policies[bucket]?.source !== 'fetched') return undefined;
    const codes = s.rows.flatMap((r) => r.codes);
    return DEMO_CODES.every((c) => codes.includes(c)) ? s : undefined;
  });
  expect(snapshot.policies[bucket]).toEqual({ source: 'fetched', rules: 1 });
  const headerRow = rowFor(snapshot, (r) => r.url.includes('photo.json'))!;
  expect(headerRow.findings.find((f) => f.code === 'HEADERS_NOT_ALLOWED')!.message).toContain('x-amz-meta-uploader');
  const originRow = rowFor(snapshot, (r) => r.url.includes('from-other-origin'))!;
  expect(originRow.findings.find((f) => f.code === 'ORIGIN_NOT_ALLOWED')!.message).toContain(otherOrigin);
  expect(rowFor(snapshot, (r) => r.url.includes('partNumber=1'))!.codes).toContain('HEADER_NOT_EXPOSED');
  return snapshot;
}
