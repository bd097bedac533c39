import type { CliIO } from './io.js';

/** ANSI colours for human output: only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export interface Palette {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function palette(io: CliIO): Palette {
  const on = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap('31'), yellow: wrap('33'), green: wrap('32'), dim: wrap('2'), bold: wrap('1') };
}

/** Terminal output must not let a configured or requested value move the cursor or recolour the screen. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** As `printable`, for a value shown inside one line or table cell: tabs and line breaks are escaped too. */
export function printableInline(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
