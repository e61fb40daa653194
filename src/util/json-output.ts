/**
 * Parses a model's output as JSON. Models often wrap JSON in a Markdown code fence even when
 * told not to; an output that is exactly one fenced block is unwrapped first.
 */
const FENCED = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/;

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonOutput(output: string): JsonParse {
  const trimmed = output.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
