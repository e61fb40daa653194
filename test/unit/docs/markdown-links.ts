/**
 * Relative links of Markdown files and the heading anchors they may point at, for the
 * documentation tests. Anchors follow GitHub's rule: lower case, punctuation other than `-` and
 * `_` dropped, spaces to `-`, a repeated heading gets `-1`, `-2`, ….
 */
import { readFileSync } from 'node:fs';

export interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

/** Text outside fenced code blocks, with the line number of each line. */
function proseLines(text: string): [number, string][] {
  const out: [number, string][] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return;
    }
    if (fence === null) out.push([i + 1, line]);
  });
  return out;
}

/** Every `[text](target)` whose target is not a URL with a scheme and not a bare anchor. */
export function relativeLinks(file: string): Link[] {
  const links: Link[] = [];
  for (const [line, text] of proseLines(readFileSync(file, 'utf8'))) {
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ file, line, target });
    }
  }
  return links;
}

/** The anchors GitHub gives the headings of a Markdown file. */
export function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, line] of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
