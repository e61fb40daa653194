/**
 * Where XML may be inside a text, as promptfoo's `contains-xml` looks for it: every element
 * whose opening and closing tags pair up (or a self-closing one), found with a stack of open
 * tags in one pass (a closing tag that does not match the open one clears the stack).
 * Candidates, in the order they are tried: a run of sibling elements at the outermost level
 * taken together (first sibling's start to last sibling's end), then each outermost element
 * by position. Elements nested in a paired element are covered by it and not tried alone.
 * Comments, CDATA, declarations and processing instructions are stepped over.
 */

export interface XmlSpan {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

interface Candidate extends XmlSpan {
  readonly parentStart: number | undefined;
}

type Tag =
  | { kind: 'open'; end: number; name: string; selfClosing: boolean }
  | { kind: 'close'; end: number; name: string }
  | { kind: 'other'; end: number };

const NAME = /^[:A-Z_a-z\u00C0-\uFFFF][:A-Z_a-z0-9.\-\u00B7\u00C0-\uFFFF]*/;

/** Index of the `>` ending the tag at `start`, skipping quoted values; -1 at a `<` or the end. */
function tagEnd(text: string, start: number): number {
  let quote: string | undefined;
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '<') return -1;
    else if (ch === '>') return i;
  }
  return -1;
}

function until(text: string, from: number, marker: string): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length - 1 : at + marker.length - 1;
}

function readTag(text: string, start: number): Tag | undefined {
  const next = text[start + 1];
  if (next === '!') {
    if (text.startsWith('<!--', start))
      return { kind: 'other', end: until(text, start + 4, '-->') };
    if (text.startsWith('<![CDATA[', start))
      return { kind: 'other', end: until(text, start + 9, ']]>') };
    return { kind: 'other', end: until(text, start + 2, '>') };
  }
  if (next === '?') return { kind: 'other', end: until(text, start + 2, '?>') };
  const closing = next === '/';
  const name = NAME.exec(text.slice(start + (closing ? 2 : 1), start + 260))?.[0];
  if (name === undefined) return undefined;
  const end = tagEnd(text, start);
  if (end === -1) return undefined;
  if (closing) return { kind: 'close', end, name };
  return { kind: 'open', end, name, selfClosing: text.slice(start, end).trimEnd().endsWith('/') };
}

function paired(text: string): Candidate[] {
  const stack: { name: string; start: number }[] = [];
  const found: Candidate[] = [];
  for (let i = text.indexOf('<'); i !== -1 && i < text.length; i = text.indexOf('<', i + 1)) {
    const tag = readTag(text, i);
    if (tag === undefined) continue;
    if (tag.kind === 'open') {
      if (tag.selfClosing)
        found.push({ start: i, end: tag.end + 1, parentStart: stack.at(-1)?.start });
      else stack.push({ name: tag.name, start: i });
    } else if (tag.kind === 'close') {
      const open = stack.at(-1);
      if (open?.name === tag.name) {
        stack.pop();
        found.push({ start: open.start, end: tag.end + 1, parentStart: stack.at(-1)?.start });
      } else stack.length = 0;
    }
    i = tag.end;
  }
  return found;
}

/** The spans of `text` to try as XML, in order, without duplicates. */
export function xmlCandidates(text: string): XmlSpan[] {
  const found = paired(text);
  const starts = new Set(found.map((c) => c.start));
  const outermost = found.filter((c) => c.parentStart === undefined || !starts.has(c.parentStart));
  const byParent = new Map<number | undefined, Candidate[]>();
  for (const c of outermost) {
    const siblings = byParent.get(c.parentStart);
    if (siblings === undefined) byParent.set(c.parentStart, [c]);
    else siblings.push(c);
  }
  const spans: XmlSpan[] = [];
  for (const siblings of byParent.values()) {
    if (siblings.length < 2) continue;
    siblings.sort((a, b) => a.start - b.start);
    spans.push({ start: siblings[0]?.start ?? 0, end: siblings.at(-1)?.end ?? 0 });
  }
  spans.push(...outermost.sort((a, b) => a.start - b.start || b.end - a.end));
  const seen = new Set<string>();
  return spans.filter((s) => {
    const key = `${s.start}:${s.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
