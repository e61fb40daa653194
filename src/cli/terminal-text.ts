/**
 * Text from models, suites and services as a terminal (or a CI log) may show it (widths and
 * cutting: terminal-width.ts).
 * - Control characters are escaped visibly: C0 and C1 controls (Unicode Cc) (ESC starts the sequences that
 *   move the cursor, recolour or retitle a terminal; CR rewrites the line) and the Unicode bidi
 *   controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: "Trojan Source",
 *   CVE-2021-42574), plus U+2028/U+2029 line breaks. `\x1b` and `\u202e` are printed as such,
 *   so a model output cannot rewrite the log that reports it.
 */
const CONTROL = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control and bidi character replaced by its visible escape (`\x1b`). */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Each line of `text` made visible, the line breaks between them kept. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
