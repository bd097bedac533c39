/**
 * Text a user reads, kept free of the project's internal references. The core's messages cite the behaviour spec
 * ("(S12, S16)", "(S8: the first match wins)", "spec §7", "failure mode 30") for its own tests; the panel shows
 * plain words, so it removes such citations (keeping any explanation after "S8:") and turns the policy parser's
 * `<input>:6:3` positions into "line 6, column 3". Linear: each pattern is a single pass without nested quantifiers.
 */

/** What counts as an internal reference in text on screen; the panel tests scan rendered text with it. */
export const INTERNAL_REFERENCE =
  /\((?:see )?(?:(?:S(?!3\b)|[CF])\d{1,2}[a-z]?\b|spec\b)[^)]*\)|[,(/]\s*(?:S(?!3\b)|[CF])\d{1,2}[a-z]?\b(?=\s*[,;:)/])|§\s*\d+|failure[- ]modes? \d+|<input>:\d+/i;

/** One citation: a spec behaviour (S12), a capture or fetch case (C5, F3), a spec section, a failure mode. */
const TOKEN = String.raw`(?:(?:S(?!3\b)|[CF])\d{1,2}[a-z]?\b|failure[- ]modes? \d+|(?:the )?spec(?:ification)? §\s*\d+(?:\.\d+)*|§\s*\d+(?:\.\d+)*)`;
const SEPARATOR = String.raw`(?:\s*[,;/–-]\s*|\s+and\s+)`;
/** "(S12, S16)", "(C5/F3)", "(S27, failure mode 30)", "(S8: the first match wins)" — the explanation is kept. */
const CITATION = new RegExp(String.raw`\s*\((?:see )?${TOKEN}(?:${SEPARATOR}${TOKEN})*(?:\s*:\s*([^)]*))?\)`, 'g');
/** A citation at the end of a longer parenthesis: "(… no AllowedHeaders, S13)". */
const TRAILING = new RegExp(String.raw`${SEPARATOR}${TOKEN}(?=\))`, 'g');
/** Free-standing: "as spec §7 says", "failure mode 30". */
const LOOSE = /\s*(?:see )?(?:failure[- ]modes? \d+|(?:the )?spec(?:ification)? §\s*\d+(?:\.\d+)*|§\s*\d+(?:\.\d+)*)/gi;
const INPUT_POSITION = /`?<input>:(\d+):(\d+)`?/g;

export function plainText(text: string): string {
  if (!text) return text;
  return text
    .replace(CITATION, (_match, explanation: string | undefined) => (explanation ? ` (${explanation.trim()})` : ''))
    .replace(TRAILING, '')
    .replace(LOOSE, '')
    .replace(INPUT_POSITION, 'line $1, column $2')
    .replace(/ +([.,;:])/g, '$1')
    .replace(/\(\s*\)/g, '');
}
