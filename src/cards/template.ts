/**
 * Prompt templates: `{{variable}}` placeholders (whitespace inside the braces allowed), names
 * made of letters, digits and underscores, not starting with a digit. `\{{` writes a literal
 * `{{`. Values are inserted verbatim and never expanded again, so a value that contains
 * `{{x}}` cannot inject another variable. Pure functions, no I/O.
 */
const PLACEHOLDER = /(\\?)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type TemplateValue = string | number | boolean;

/** A placeholder-shaped `{{name}}` whose name has a letter outside A–Z (e.g. `{{名前}}`, `{{café}}`). */
const NON_ASCII_PLACEHOLDER = /(\\?)\{\{\s*([\p{L}\p{N}_]*\P{ASCII}[\p{L}\p{N}_]*)\s*\}\}/gu;

/**
 * Placeholders that look like variables but are not (their name has a non-ASCII letter): they
 * would be sent to the model as literal text, so the API refuses them instead of ignoring them.
 */
export function nonAsciiPlaceholders(template: string): string[] {
  const found = new Set<string>();
  for (const match of template.matchAll(NON_ASCII_PLACEHOLDER))
    if (match[1] === '' && match[2] !== undefined) found.add(match[2]);
  return [...found];
}

/** Variable names in order of first appearance, each once; escaped placeholders are not variables. */
export function extractVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match[1] === '' && match[2] !== undefined) names.add(match[2]);
  }
  return [...names];
}

/** Thrown by `renderTemplate` with every variable the values did not give. */
export class MissingVariablesError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Missing template variables: ${missing.join(', ')}`);
    this.name = 'MissingVariablesError';
  }
}

/** Names the template needs that `values` does not give. */
export function missingVariables(
  template: string,
  values: Readonly<Record<string, TemplateValue>>,
): string[] {
  return extractVariables(template).filter((name) => !Object.hasOwn(values, name));
}

/** Names `values` gives that the template does not use (a typo, or a stale variable). */
export function unusedVariables(
  template: string,
  values: Readonly<Record<string, TemplateValue>>,
): string[] {
  const used = new Set(extractVariables(template));
  return Object.keys(values).filter((name) => !used.has(name));
}

/** Fills every placeholder; throws `MissingVariablesError` if any value is missing. */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, TemplateValue>>,
): string {
  const missing = missingVariables(template, values);
  if (missing.length > 0) throw new MissingVariablesError(missing);
  return template.replace(PLACEHOLDER, (whole: string, escape: string, name: string) => {
    if (escape === '\\') return whole.slice(1);
    return String(values[name]);
  });
}
