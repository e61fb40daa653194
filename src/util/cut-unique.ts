/**
 * Cuts an identifying text (a test case's name, a card's title) to at most `max` UTF-16 code
 * units without losing what tells it apart: a text that fits is kept as it is; a longer one
 * keeps its beginning and ends with ` #` and 8 hex digits of the SHA-256 of the whole text, so
 * two texts that share their first `max` characters stay distinct, and the same text always
 * gives the same name (a push run twice updates, never duplicates). `max` must exceed 10.
 */
import { createHash } from 'node:crypto';
import { cutText } from './cut-text.js';

const TAG_LENGTH = 10; // ' #' and 8 hex digits

export function cutUnique(text: string, max: number): string {
  if (text.length <= max) return text;
  const tag = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${cutText(text, max - TAG_LENGTH)} #${tag}`;
}
