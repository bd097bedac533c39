/**
 * Text a user reads, kept free of the project's internal references. The core's messages cite the behaviour spec
 * ("(S12, S16)", "(S8: the first match wins)", "spec §7", "failure mode 30") for its own tests; the panel shows
 * plain words, so it removes such citations (keeping any explanation after "S8:") and turns the policy parser's
 * `<input>:6:3` positions into "line 6, column 3". Linear: each pattern is a single pass without nested quantifiers.
 */

/** What counts as an internal reference in text on screen; the panel tests scan rendered text with it. */
export const INTERNAL_REFERENCE = /\((?:[SC]\d{1,2}\b|spec\b)[^)]*\)|\b[SC](?!3\b)\d{1,2}\b(?=[,;:)])|spec §\s*\d+|§\s*\d+|failure mode \d+|<input>:\d+/i;

const CITATION = /\s*\(((?:[SC]\d{1,2}[a-z]?(?:\s*[,/–-]\s*|\s+and\s+)?)+)(?::\s*([^)]*))?\)/g;
const TRAILING_CITATION = /,\s*[SC](?!3\b)\d{1,2}[a-z]?(?=\))/g;
const SPEC = /\s*\(?(?:see )?(?:the )?spec(?:ification)? §\s*\d+(?:\.\d+)*\)?/gi;
const SECTION = /\s*\(§\s*\d+(?:\.\d+)*\)|§\s*\d+(?:\.\d+)*/g;
const FAILURE_MODE = /\s*\(?(?:see )?failure mode \d+\)?/gi;
const INPUT_POSITION = /`?<input>:(\d+):(\d+)`?/g;

export function plainText(text: string): string {
  if (!text) return text;
  return text
    .replace(CITATION, (_match, _refs: string, explanation: string | undefined) => (explanation ? ` (${explanation.trim()})` : ''))
    .replace(TRAILING_CITATION, '')
    .replace(SPEC, '')
    .replace(SECTION, '')
    .replace(FAILURE_MODE, '')
    .replace(INPUT_POSITION, 'line $1, column $2')
    .replace(/ +([.,;:])/g, '$1')
    .replace(/\(\s*\)/g, '');
}
