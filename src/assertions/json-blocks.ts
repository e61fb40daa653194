/**
 * The JSON values written inside a text: every balanced `{…}` or `[…]` block that parses as
 * JSON, outer blocks before the blocks nested in them (so `[{"a": 1}]` yields the list and
 * then the object). Prose around and between blocks is ignored; double quotes count as JSON
 * string delimiters only inside a block, so an apostrophe or a stray quote in the prose does
 * not hide a block. One pass pairs the brackets (linear); parsing is bounded by a work budget
 * proportional to the text, so a deeply nested or malformed text cannot stall the caller.
 */

interface Block {
  readonly start: number;
  readonly end: number;
}

/** Balanced bracket pairs, by start offset. A closer that matches no opener resets the scan. */
function bracketPairs(text: string): Block[] {
  const pairs: Block[] = [];
  const open: number[] = [];
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && open.length > 0) inString = true;
    else if (ch === '{' || ch === '[') open.push(i);
    else if (ch === '}' || ch === ']') {
      const last = open.at(-1);
      if (last !== undefined && text[last] === (ch === '}' ? '{' : '[')) {
        open.pop();
        pairs.push({ start: last, end: i + 1 });
      } else open.length = 0;
    }
  }
  return pairs.sort((a, b) => a.start - b.start);
}

/** Result of `jsonBlocks`: the parsed values, and whether the work budget cut the search. */
export interface JsonBlocks {
  readonly values: unknown[];
  readonly truncated: boolean;
}

export interface JsonBlockOptions {
  /** Also yield the blocks nested in a block that parsed (default true). */
  readonly nested?: boolean;
  /** Only blocks that open as the first and close as the last non-blank of their lines. */
  readonly wholeLines?: boolean;
  /** Caps the characters handed to `JSON.parse` (default 4× the text plus 64 KiB). */
  readonly budget?: number;
}

function onOwnLines(text: string, { start, end }: Block): boolean {
  const before = text.lastIndexOf('\n', start - 1);
  const after = text.indexOf('\n', end);
  return (
    text.slice(before + 1, start).trim() === '' &&
    text.slice(end, after === -1 ? undefined : after).trim() === ''
  );
}

/** Parsed JSON objects and arrays found in `text`, in order of their opening bracket. */
export function jsonBlocks(text: string, options: JsonBlockOptions = {}): JsonBlocks {
  const values: unknown[] = [];
  let remaining = options.budget ?? 4 * text.length + 65_536;
  let parsedUntil = -1;
  for (const block of bracketPairs(text)) {
    const { start, end } = block;
    if (options.nested === false && start < parsedUntil) continue;
    if (options.wholeLines === true && !onOwnLines(text, block)) continue;
    if (end - start > remaining) return { values, truncated: true };
    remaining -= end - start;
    try {
      values.push(JSON.parse(text.slice(start, end)));
      parsedUntil = Math.max(parsedUntil, end);
    } catch {
      // Not JSON as a whole (e.g. `{name}` in prose); the blocks inside it are tried next.
    }
  }
  return { values, truncated: false };
}
