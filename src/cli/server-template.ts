/**
 * What a card on the service can hold. The service renders `{{name}}` placeholders only (see
 * src/cards/template.ts); a suite's prompt may use Nunjucks (`{% if %}`, `{{ x | upper }}`,
 * `{{ a.b }}`, `{# … #}`), which `eval` renders itself but the service would store as literal
 * text and then refuse or mis-render. `push` refuses such a prompt rather than store it.
 */

/** The Nunjucks constructs of `template` the service cannot render (empty: it can). */
export function unsupportedOnServer(template: string): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(/\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g)) found.push(match[0]);
  for (const match of template.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const inner = match[1] ?? '';
    if (!/^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(inner)) found.push(match[0]);
  }
  return found.map((construct) =>
    construct.length > 60 ? `${construct.slice(0, 57)}…` : construct,
  );
}
