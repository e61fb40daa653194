/**
 * Template variables as the server derives them (src/cards/template.ts): `{{ name }}` with
 * letters, digits and `_`, not starting with a digit; `\{{` is a literal brace, not a variable.
 */
const PLACEHOLDER = /(\\?)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names in order of first appearance, each once. */
export function deriveVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match[1] === '' && match[2] !== undefined) names.add(match[2]);
  }
  return [...names];
}

/** Variables a test case's inputs lack for this template. */
export function missingInputs(
  template: string,
  inputs: Readonly<Record<string, unknown>>,
): string[] {
  return deriveVariables(template).filter((name) => !Object.hasOwn(inputs, name));
}

/** Comma-separated tags as the API takes them: trimmed, empty ones dropped, duplicates once. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ];
}
