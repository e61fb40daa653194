/**
 * Widths of terminal text in display columns (string-width: East Asian wide characters and emoji
 * take two, combining marks none), so a table with CJK or emoji cells stays aligned. Cutting
 * keeps whole graphemes (Intl.Segmenter), never half an emoji.
 *
 * Apart from terminal-text.ts because string-width builds its segmenter and tables when it is
 * imported (~30 ms of CPU): only a summary with failing tests loads this file.
 */
import stringWidth from 'string-width';

/** Columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

let graphemes: Intl.Segmenter | undefined;

/** `text` cut to at most `width` columns, ending in "…" when cut (whole graphemes only). */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
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
