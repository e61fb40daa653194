/**
 * The Nunjucks environment every template of the project renders in (prompts, assertion values,
 * rubric prompts). Nunjucks has no sandbox: `{{ range.constructor("…")() }}` reaches the Function
 * constructor and runs any code in the process. Member lookups of the names that lead to
 * constructors and prototypes are therefore refused for every template of the process: a
 * template that reads one throws `Error('templates may not read "<name>"')`, which the caller
 * reports as the template's Nunjucks error.
 */
import nunjucks from 'nunjucks';

/** Names a template may not read as a member of any value. */
const FORBIDDEN = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

type MemberLookup = (obj: unknown, val: unknown) => unknown;
const runtime = nunjucks.runtime as unknown as { memberLookup: MemberLookup };
const original = runtime.memberLookup;
if (!(original as { guarded?: boolean }).guarded) {
  const guarded: MemberLookup & { guarded?: boolean } = (obj, val) => {
    if (typeof val === 'string' && FORBIDDEN.has(val)) {
      throw new Error(`templates may not read "${val}"`);
    }
    return original(obj, val);
  };
  guarded.guarded = true;
  runtime.memberLookup = guarded;
}

/**
 * A new environment with no loader, no autoescape and undefined variables rendered as empty
 * text (promptfoo's settings); callers add their filters.
 */
export function templateEnvironment(): nunjucks.Environment {
  return new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
}

/** Templates kept compiled per environment; the oldest is dropped past this many. */
const CACHED_TEMPLATES = 500;
const compiled = new WeakMap<nunjucks.Environment, Map<string, nunjucks.Template>>();

/**
 * `env.renderString(template, context)` with the template compiled once per environment and
 * text (a suite renders one prompt for each of its tests; compiling is most of a render). The
 * same output and errors as renderString: a syntax error throws when rendered, every time.
 */
export function renderTemplate(
  env: nunjucks.Environment,
  template: string,
  context: object,
): string {
  let templates = compiled.get(env);
  if (templates === undefined) {
    templates = new Map();
    compiled.set(env, templates);
  }
  let entry = templates.get(template);
  if (entry === undefined) {
    entry = new nunjucks.Template(template, env);
    if (templates.size >= CACHED_TEMPLATES) templates.delete(templates.keys().next().value ?? '');
    templates.set(template, entry);
  }
  return entry.render(context);
}
