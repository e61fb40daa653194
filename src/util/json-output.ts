/**
 * Parses a model's output as JSON. Models often wrap JSON in a Markdown code fence even when
 * told not to; an output that is exactly one fenced code block is unwrapped first, in every
 * form CommonMark allows (spec 0.31, "Fenced code blocks"):
 * - the fence is 3 or more backticks or 3 or more tildes, indented by at most 3 spaces;
 * - any info string may follow (`json`, `JSON`, `jsonc`, …), but not a backtick after backticks;
 * - the closing fence uses the same character, at least as long as the opening one, indented
 *   by at most 3 spaces, followed by nothing but spaces or tabs; without one the block runs
 *   to the end of the output;
 * - content lines lose as many leading spaces (up to the opening fence's indentation).
 */
export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

function closingFence(line: string, char: string, length: number): boolean {
  const trimmed = line.replace(/^ {0,3}/, '');
  let count = 0;
  while (trimmed[count] === char) count++;
  return count >= length && /^[ \t]*$/.test(trimmed.slice(count));
}

/** The content of `text` when it is exactly one fenced code block, else undefined. */
export function unwrapCodeFence(text: string): string | undefined {
  const lines = text.split(/\r\n|\n|\r/);
  const open = OPENING_FENCE.exec(lines[0] ?? '');
  if (open === null) return undefined;
  const indent = open[1]?.length ?? 0;
  const fence = open[2] ?? '';
  const char = fence.charAt(0);
  if (char === '`' && (open[3] ?? '').includes('`')) return undefined;
  let end = lines.length;
  for (let i = 1; i < lines.length; i++) {
    if (closingFence(lines[i] ?? '', char, fence.length)) {
      end = i;
      break;
    }
  }
  // Anything after the closing fence means the output is more than one block.
  if (lines.slice(end + 1).some((line) => line.trim() !== '')) return undefined;
  const strip = new RegExp(`^ {0,${indent}}`);
  return lines
    .slice(1, end)
    .map((line) => line.replace(strip, ''))
    .join('\n');
}

export function parseJsonOutput(output: string): JsonParse {
  const trimmed = output.trim();
  const body = unwrapCodeFence(trimmed) ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
