/**
 * Text from models, suites and services as a terminal (or a CI log) may show it.
 * - Control characters are escaped visibly: C0 and C1 controls (Unicode Cc) (ESC starts the sequences that
 *   move the cursor, recolour or retitle a terminal; CR rewrites the line) and the Unicode bidi
 *   controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: "Trojan Source",
 *   CVE-2021-42574), plus U+2028/U+2029 line breaks. `\x1b` and `\u202e` are printed as such,
 *   so a model output cannot rewrite the log that reports it.
 * - Widths are display columns (string-width: East Asian wide characters and emoji take two,
 *   combining marks none), so a table with CJK or emoji cells stays aligned. Cutting keeps whole
 *   graphemes (Intl.Segmenter), never half an emoji.
 */
import stringWidth from 'string-width';

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

/** Columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `width` columns, ending in "…" when cut (whole graphemes only). */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** `text` padded with spaces to `width` columns (as String#padEnd, by display width). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
