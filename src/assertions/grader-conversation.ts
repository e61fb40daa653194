/**
 * What the model-graded kinds share: sending a rendered grader template to the configured
 * grader (`context.askGrader`, the suite's grader with its provider settings), the error for
 * an answer that cannot be read, and the text splitting the RAGAS metrics count with.
 *
 * An answer the kind cannot read (no verdict in it) is not a verdict: it is thrown as a
 * `GraderAnswerError`, which the run records as the result's error (`invalid_response`), as
 * the assertion contract says for infrastructure failures (see assertion.ts).
 */
import type { AssertionContext } from './assertion.js';
import { renderGraderPrompt } from './rubric-prompt.js';

/** A grader answer without the verdict the kind asked for; `kind` is the result's error type. */
export class GraderAnswerError extends Error {
  readonly kind = 'invalid_response';
  constructor(what: string, answer: string) {
    const flat = answer.replace(/\s+/g, ' ').trim();
    super(`${what}: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty answer)'}`);
    this.name = 'GraderAnswerError';
  }
}

/**
 * Renders `template` (a JSON list of `{role, content}` or a text; Nunjucks over `values`) and
 * sends it to the grader; resolves to the answer text (reasoning removed). Throws where no
 * grader conversation can be held, and the provider's errors as they are.
 */
export async function askGraderWith(
  context: AssertionContext,
  template: string,
  values: Readonly<Record<string, unknown>>,
): Promise<string> {
  if (context.askGrader === undefined)
    throw new Error('this path cannot hold a grader conversation (model-graded kinds need one)');
  return context.askGrader(renderGraderPrompt(template, values), context.signal);
}

/** The prompt sent to the model; the kinds that judge an answer to it throw without it. */
export function promptOf(context: AssertionContext, type: string): string {
  if (context.prompt === undefined || context.prompt === '')
    throw new Error(`${type} needs the prompt sent to the model, and none is known here`);
  return context.prompt;
}

/** The test's variables as templates see them (promptfoo adds them to every grader prompt). */
export function varsOf(context: AssertionContext): Readonly<Record<string, unknown>> {
  return context.vars ?? {};
}

/** Non-blank lines, trimmed (how promptfoo counts a grader's list answers). */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Sentences of a prose text: split after `.`, `!` or `?` followed by white space (a decimal
 * point or an abbreviation without a following space does not split).
 */
export function sentences(text: string): string[] {
  return text
    .trim()
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A custom `rubricPrompt` holding several templates (g-eval's `{steps, evaluate}`,
 * context-faithfulness's list of two): the one at `key`, a string or a message's `content`;
 * undefined when the prompt has no such part.
 */
export function promptPart(
  rubricPrompt: string | undefined,
  key: string | number,
): string | undefined {
  if (rubricPrompt === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(rubricPrompt) as unknown;
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const part = (value as Record<string | number, unknown>)[key];
  if (typeof part === 'string') return part;
  if (part !== null && typeof part === 'object') {
    const content = (part as { content?: unknown }).content;
    if (typeof content === 'string') return content;
    return JSON.stringify(part);
  }
  return undefined;
}
