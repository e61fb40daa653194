/**
 * Cuts text to at most `max` UTF-16 code units without splitting a surrogate pair: a cut
 * inside an emoji would leave a lone high surrogate, which encodes as invalid UTF-8 (or as
 * U+FFFD) in a JSON payload, a database or a log line. The result may be one unit shorter.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  // A high surrogate (0xD800–0xDBFF) as the last kept unit: its low half would be cut off.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
