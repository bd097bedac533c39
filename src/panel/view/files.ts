/** Decides what a dropped or picked file is, from its name and first bytes (a HAR can be hundreds of megabytes). */

/** HAR 1.2: a JSON object whose first key is `log` — every browser writes it first. */
export function looksLikeHar(fileName: string, text: string): boolean {
  if (/\.har$/i.test(fileName)) return true;
  return /^\uFEFF?\s*\{\s*"log"\s*:/.test(text.slice(0, 256));
}
