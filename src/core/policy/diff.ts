/** A line diff of two configurations in their console-JSON form (what users paste and compare), or another form. */
import { renderWithNotes, type RenderFormat } from './render.js';
import type { CorsConfiguration } from './types.js';

/** Longest-common-subsequence diff: unchanged lines start with two spaces, removed with `- `, added with `+ `. */
export function diffLines(before: string[], after: string[]): string[] {
  const n = before.length;
  const m = after.length;
  // common[i][j]: the length of the longest common subsequence of before[i..] and after[j..]; 0 past either end.
  const common: number[][] = [];
  const lcs = (i: number, j: number): number => common[i]?.[j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    const row: number[] = [];
    common[i] = row;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = before[i] === after[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push(`  ${before[i]}`);
      i++;
      j++;
    } else if (i < n && (j === m || lcs(i + 1, j) >= lcs(i, j + 1))) {
      out.push(`- ${before[i]}`);
      i++;
    } else {
      out.push(`+ ${after[j]}`);
      j++;
    }
  }
  return out;
}

export function diffConfigurations(before: CorsConfiguration | null, after: CorsConfiguration, format: RenderFormat = 'console'): string {
  const lines = (config: CorsConfiguration) => renderWithNotes(config, format).text.trimEnd().split('\n');
  return `${diffLines(before ? lines(before) : [], lines(after)).join('\n')}\n`;
}
