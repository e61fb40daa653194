/**
 * Prompts rendered as promptfoo renders them: Nunjucks (variables, filters, loops, `{% if %}`,
 * promptfoo's `load` and `dump` filters),
 * autoescape off, an undefined variable rendering as empty text. Variables whose text holds
 * `{{ … }}` are rendered first with the others (promptfoo's vars referencing vars). A prompt
 * that is a JSON list of messages stays JSON here; the provider sends it as the conversation.
 */
import type nunjucks from 'nunjucks';
import {
  callInSandboxSync,
  renderTemplate,
  SandboxError,
  templateEnvironment,
} from '../util/index.js';

/**
 * A suite's custom filters (promptfoo's `nunjucksFilters`): filter name → the source of the
 * JavaScript module that exports it. Each call runs in the sandbox (`callInSandboxSync`: no
 * file system, network or process, 1 s and 32 MiB per call); values cross as JSON.
 */
export type PromptFilters = Readonly<Record<string, string>>;

export const NO_FILTERS: PromptFilters = Object.freeze({});

function environment(filters: PromptFilters): nunjucks.Environment {
  const env = templateEnvironment();
  // promptfoo's built-in filters: `load` parses JSON text, `dump` writes a value as JSON.
  env.addFilter('load', (text: unknown) =>
    typeof text === 'string' ? (JSON.parse(text) as unknown) : text,
  );
  env.addFilter('dump', (value: unknown) => JSON.stringify(value));
  for (const [name, module] of Object.entries(filters))
    env.addFilter(name, (...args: unknown[]) => {
      try {
        // Nunjucks' SafeString (from `safe`, `escape`) is a String object: text crosses as text.
        return callInSandboxSync(
          module,
          args.map((arg) => (arg instanceof String ? arg.toString() : arg)),
        );
      } catch (error) {
        if (error instanceof SandboxError)
          throw new Error(`filter ${name} failed: ${error.message}`, { cause: error });
        throw error;
      }
    });
  return env;
}

/** One environment per filter set (a suite's, or none). */
const environments = new WeakMap<PromptFilters, nunjucks.Environment>();
function environmentOf(filters: PromptFilters): nunjucks.Environment {
  let env = environments.get(filters);
  if (env === undefined) {
    env = environment(filters);
    environments.set(filters, env);
  }
  return env;
}

export class PromptRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptRenderError';
  }
}

/**
 * Renders one template with the suite's custom `filters`; a syntax error or a failing filter
 * is a PromptRenderError with Nunjucks' message.
 */
export function renderNunjucks(
  template: string,
  vars: Readonly<Record<string, unknown>>,
  filters: PromptFilters = NO_FILTERS,
): string {
  try {
    return renderTemplate(environmentOf(filters), template, vars);
  } catch (error) {
    throw new PromptRenderError((error as Error).message.replace(/\s+/g, ' ').trim());
  }
}

/** Vars with `{{ … }}` in their text rendered against the others (one pass, as promptfoo). */
export function expandVars(
  vars: Readonly<Record<string, unknown>>,
  filters: PromptFilters = NO_FILTERS,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...vars };
  for (const [name, value] of Object.entries(vars))
    if (typeof value === 'string' && /\{\{|\{%/.test(value))
      out[name] = renderNunjucks(value, { ...vars, [name]: '' }, filters);
  return out;
}

/** Variable names a template reads at its top level (for the "missing variable" check). */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)/g))
    if (match[1] !== undefined && !['loop', 'super', 'caller'].includes(match[1]))
      names.add(match[1]);
  // Names bound by the template itself ({% for x in … %}, {% set x = … %}) are not inputs.
  for (const match of template.matchAll(/\{%-?\s*(?:for\s+([\w\s,]+?)\s+in|set\s+(\w+))/g))
    for (const bound of (match[1] ?? match[2] ?? '').split(',')) names.delete(bound.trim());
  return [...names];
}

/**
 * promptfoo's matrix: a var whose value is a list of plain values makes one test per item
 * (every such var crossed with the others); a list of objects or lists (chat messages) is one
 * value, as is every list when `disabled` (promptfoo's `options.disableVarExpansion`).
 * promptfoo 0.121 expands only lists of strings; a list of numbers is expanded here too.
 * Returns the combinations, the original when no var is expanded.
 */
export function varCombinations(
  vars: Readonly<Record<string, unknown>>,
  disabled = false,
): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [name, value] of Object.entries(vars)) {
    const choices =
      !disabled &&
      Array.isArray(value) &&
      value.length > 0 &&
      (value[0] === null || typeof value[0] !== 'object')
        ? value
        : [value];
    combos = combos.flatMap((c) => choices.map((choice: unknown) => ({ ...c, [name]: choice })));
  }
  return combos;
}
