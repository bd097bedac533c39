/**
 * Markdown for tickets, one escaping for every report (the CLI's `har --markdown`, the panel's Export report):
 * captured values are redacted, and never open a link, an image, HTML or a table cell, nor close a code span early.
 */
import { redactText } from '../redact/index.js';

/** Markdown text must not open links, images or HTML from captured values. */
export function mdInline(text: string): string {
  return redactText(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** A code span that no backtick in the value can close early. */
export function mdCode(text: string): string {
  const clean = redactText(text).replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ' ' : ''}${clean}${longest > 0 ? ' ' : ''}${fence}`;
}

/** A fenced block that no backtick run in the text can close early. */
export function mdFence(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Titles carry `code` spans from the diagnosis wording; keep them as code, escape the rest. */
export function mdTitle(text: string): string {
  return redactText(text)
    .split(/(`[^`\n]*`)/)
    .map((part) => (/^`[^`\n]*`$/.test(part) ? part : mdInline(part)))
    .join('');
}
