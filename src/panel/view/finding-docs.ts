/// <reference types="vite/client" />
/**
 * The finding pages of docs/findings, bundled into the extension at build time so "Learn more" works offline and
 * never fetches anything. A code without a page has no link.
 */
const PAGES = import.meta.glob('/docs/findings/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function findingPage(code: string): string | undefined {
  return PAGES[`/docs/findings/${code}.md`];
}
