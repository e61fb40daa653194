/**
 * An assertion's `value` rendered with the test's variables, as promptfoo renders it before
 * judging (its `runAssertion`): a string value is a Nunjucks template (`contains: '{{fruit}}'`,
 * an `llm-rubric` text, inline `javascript` and `python` code), and so is each string item of a
 * list value (`icontains-any: ['{{a}}', 'x']`); objects (a JSON schema, `is-sql`'s settings),
 * numbers (`latency`, `cost`) and `file://` references are left as they are. The threshold is
 * never a template.
 *
 * An undefined variable renders as empty text (promptfoo's verdict); the names of those the
 * value reads are returned so the result's reason can say so. Vars are the stored ones: a list
 * or object var is its JSON text here (`{{ item | load }}` reads it back).
 */
import { renderTemplate, templateEnvironment } from '../util/index.js';
import type { AssertionSpec } from './spec-schema.js';

const env = templateEnvironment();
// promptfoo's built-in filters, as prompts have them: `load` parses JSON text, `dump` writes JSON.
env.addFilter('load', (text: unknown) =>
  typeof text === 'string' ? (JSON.parse(text) as unknown) : text,
);
env.addFilter('dump', (value: unknown) => JSON.stringify(value));

/** Text Nunjucks would read as a tag: anything else renders as itself. */
const TAG = /\{[{%#]/;

export interface RenderedValue {
  readonly value: unknown;
  /** Variables the templates output at their top level that the test does not define. */
  readonly undefinedVars: readonly string[];
}

/**
 * The assertion as written cannot be judged: its value does not render with the test's vars, or
 * renders to something its kind refuses. The suite's mistake, not the service's: recorded as the
 * result's error of type `invalid_assertion`.
 */
export class AssertionValueError extends Error {
  readonly kind = 'invalid_assertion';
}

/**
 * Renders `value` with `vars`. Throws an AssertionValueError with Nunjucks' message when a
 * template does not parse or a filter fails (the assertion then could not be evaluated, as in
 * promptfoo).
 */
export function renderAssertionValue(
  value: unknown,
  vars: Readonly<Record<string, unknown>> | undefined,
): RenderedValue {
  const scope = vars ?? {};
  const missing = new Set<string>();
  const renderOne = (item: unknown): unknown => {
    if (typeof item !== 'string' || item.startsWith('file://') || !TAG.test(item)) return item;
    for (const name of outputNames(item)) if (!(name in scope)) missing.add(name);
    try {
      return renderTemplate(env, item, scope);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AssertionValueError(
        `the value does not render with the test's vars (Nunjucks): ${message.replace(/\s+/g, ' ').trim()}`,
        { cause: error },
      );
    }
  };
  const rendered = Array.isArray(value) ? value.map(renderOne) : renderOne(value);
  return { value: rendered, undefinedVars: [...missing] };
}

/** Top-level names a template outputs (`{{ name … }}`), less those it binds itself. */
function outputNames(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{\{-?\s*([A-Za-z_]\w*)/g))
    if (match[1] !== undefined && !['loop', 'super', 'caller'].includes(match[1]))
      names.add(match[1]);
  for (const match of template.matchAll(/\{%-?\s*(?:for\s+([\w\s,]+?)\s+in|set\s+(\w+))/g))
    for (const bound of (match[1] ?? match[2] ?? '').split(',')) names.delete(bound.trim());
  return [...names];
}

/** The note a result's reason gets when its value read undefined variables. */
export function undefinedVarsNote(names: readonly string[]): string {
  return names.length === 0
    ? ''
    : ` (the value reads undefined variable${names.length === 1 ? '' : 's'} ${names.join(', ')}, rendered as empty text)`;
}

/**
 * Text kept as written when rendered (code read from a `file://` file, which promptfoo runs as
 * it is): wrapped in `{% raw %}` only when it holds something Nunjucks would read as a tag.
 */
export function literalValue(text: string): string {
  return TAG.test(text) ? `{% raw %}${text}{% endraw %}` : text;
}

/**
 * A `metric` name rendered with the test's vars, as promptfoo renders it (its
 * `renderMetricName`): `metric: 'accuracy_{{lang}}'` totals per language. A name that does not
 * render is kept as written; one that renders to empty text carries no metric (promptfoo counts
 * none), so it is dropped. Applied to every assertion and `assert-set` of `specs`, depth first.
 */
export function renderedMetrics(
  specs: readonly AssertionSpec[],
  vars: Readonly<Record<string, unknown>>,
): AssertionSpec[] {
  return specs.map((spec) => {
    const members = spec.assert === undefined ? {} : { assert: renderedMetrics(spec.assert, vars) };
    if (spec.metric === undefined || !TAG.test(spec.metric)) return { ...spec, ...members };
    let metric: string;
    try {
      metric = renderTemplate(env, spec.metric, vars).slice(0, 200);
    } catch {
      metric = spec.metric;
    }
    const rendered: AssertionSpec = { ...spec, ...members, metric };
    if (metric === '') delete rendered.metric;
    return rendered;
  });
}

/**
 * A provider setting rendered with the test's vars, as promptfoo renders `tools`, `functions`,
 * `response_format` and `reasoning_effort` before each call (its `renderVarsInObject`): every
 * text inside it, at any depth, is a Nunjucks template. Throws an AssertionValueError with
 * Nunjucks' message when a text does not render.
 */
export function renderedSetting(value: unknown, vars: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    if (!TAG.test(value)) return value;
    try {
      return renderTemplate(env, value, vars);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AssertionValueError(message.replace(/\s+/g, ' ').trim(), { cause: error });
    }
  }
  if (Array.isArray(value)) return value.map((item) => renderedSetting(item, vars));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderedSetting(item, vars)]),
    );
  return value;
}
