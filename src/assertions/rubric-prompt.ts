/**
 * promptfoo's custom grader prompt (`rubricPrompt`), rendered and read as promptfoo does:
 * - the template is Nunjucks over the test's vars plus `output` (parsed when it is JSON) and
 *   `rubric`; object values are given as JSON text;
 * - a template that is JSON has each of its strings rendered; a JSON list of `{role, content}`
 *   is the conversation sent to the grader, anything else one user message;
 * - the grader's answer is a JSON object: `pass` (default true; "yes"/"pass" count as true),
 *   `score` (default: 1 when it passes, else 0) and `reason`; an explicit assertion threshold
 *   also requires `score >= threshold`.
 */
import nunjucks from 'nunjucks';
import { renderTemplate, templateEnvironment } from '../util/index.js';

const env = templateEnvironment();

export interface GraderMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function templateContext(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => {
      if (Array.isArray(v))
        return [
          k,
          v.map((x: unknown) => (x !== null && typeof x === 'object' ? JSON.stringify(x) : x)),
        ];
      return [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v];
    }),
  );
}

/**
 * The grader conversation for `template` (a rubricPrompt) with `rubric` and `output`.
 * Throws with Nunjucks' message when the template does not render.
 */
export function renderRubricPrompt(
  template: string,
  rubric: string,
  output: string,
  vars: Readonly<Record<string, unknown>>,
): GraderMessage[] {
  return renderGraderPrompt(template, { ...vars, output: parsed(output), rubric });
}

/** A text the grader is shown as promptfoo gives it to a template: parsed when it is JSON. */
export function asTemplateValue(text: string): unknown {
  return parsed(text);
}

/**
 * The grader conversation for any grader template (a kind's own prompt or a custom
 * `rubricPrompt`) over `values`, rendered as above. Throws with Nunjucks' message when the
 * template does not render.
 */
export function renderGraderPrompt(
  template: string,
  values: Readonly<Record<string, unknown>>,
): GraderMessage[] {
  const context = templateContext(values);
  let rendered: string;
  try {
    const json = JSON.parse(template, (_k, v: unknown) =>
      typeof v === 'string' ? renderTemplate(env, v, context) : v,
    ) as unknown;
    rendered = JSON.stringify(json);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    rendered = renderTemplate(env, template, context);
  }
  const messages = parsed(rendered);
  if (
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.every(
      (m: unknown) =>
        m !== null &&
        typeof m === 'object' &&
        ['system', 'user', 'assistant'].includes(String((m as { role?: unknown }).role)),
    )
  )
    return messages.map((m: { role: GraderMessage['role']; content?: unknown }) => ({
      role: m.role,
      content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''),
    }));
  return [{ role: 'user', content: rendered }];
}

/** Nunjucks' syntax error in one template, without rendering it; undefined when it parses. */
function syntaxError(template: string): string | undefined {
  try {
    new nunjucks.Template(template, env, undefined, true);
    return undefined;
  } catch (error) {
    return (error as Error).message
      .replace(/^\(unknown path\)\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
  }
}

/**
 * Why `template` (a rubricPrompt) cannot render, found when the assertion is written rather
 * than when the grader is called: Nunjucks' syntax error (`{{ output ` unclosed, `{% if %}`
 * without a condition or an `endif`), for a JSON template in the first string that has one.
 * Undefined when every part parses.
 */
export function rubricPromptSyntaxError(template: string): string | undefined {
  let strings: string[];
  try {
    strings = [];
    JSON.parse(template, (_k, v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      return v;
    });
  } catch {
    strings = [template];
  }
  for (const text of strings) {
    const error = syntaxError(text);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** The first JSON object in a grader's answer (promptfoo extracts it from surrounding text). */
export function firstJsonObject(text: string): Record<string, unknown> | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
      try {
        const value = JSON.parse(text.slice(start, end + 1)) as unknown;
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
          return value as Record<string, unknown>;
      } catch {
        // a shorter span may parse
      }
    }
  }
  return undefined;
}

/**
 * A grader's answer to a custom rubricPrompt, read with promptfoo's rules; undefined when it
 * holds no JSON object.
 */
export function readRubricAnswer(
  answer: string,
): { pass: boolean; score: number; reason: string } | undefined {
  const value = firstJsonObject(answer);
  if (value === undefined) return undefined;
  const rawPass = value.pass ?? true;
  const pass =
    typeof rawPass === 'boolean'
      ? rawPass
      : typeof rawPass === 'string' && /^(true|yes|pass|y)$/i.test(rawPass);
  const rawScore = value.score;
  const score =
    typeof rawScore === 'number'
      ? rawScore
      : Number.isFinite(Number(rawScore))
        ? Number(rawScore)
        : Number(pass);
  const reason = typeof value.reason === 'string' ? value.reason : '';
  return { pass, score, reason };
}
