/**
 * The retrieved context the RAG kinds (`context-faithfulness`, `context-recall`,
 * `context-relevance`) judge, found as promptfoo finds it: the assertion's `contextTransform`
 * (JavaScript run in the sandbox over the output, with `context.vars` and `context.prompt`)
 * when it has one, else the test's `context` variable (a text, or a list of chunks), else a
 * fallback (context-recall: the prompt). Also the `query` variable those kinds need.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/context-faithfulness/
 */
import type { AssertionContext } from './assertion.js';
import { runInSandbox, SandboxError } from '../util/index.js';
import { structuredOutput } from './transform.js';

/** The context as chunks (one for a text) and as the text the grader is shown. */
export interface RetrievedContext {
  readonly chunks: readonly string[];
  readonly text: string;
  /** True when it came as a list of chunks (then each chunk is one unit of relevance). */
  readonly chunked: boolean;
}

function fromValue(value: unknown): RetrievedContext | undefined {
  if (typeof value === 'string' && value.trim() !== '')
    return { chunks: [value], text: value, chunked: false };
  if (Array.isArray(value) && value.length > 0 && value.every((c) => typeof c === 'string')) {
    const chunks = value.filter((c) => c.trim() !== '');
    if (chunks.length > 0) return { chunks, text: chunks.join('\n\n'), chunked: true };
  }
  return undefined;
}

/**
 * The context for `type`; throws (the result's error) when there is none, or when the
 * transform fails or gives neither a text nor a list of texts.
 */
export async function retrievedContext(
  context: AssertionContext,
  type: string,
  fallback?: string,
): Promise<RetrievedContext> {
  if (context.contextTransform !== undefined) {
    let value: unknown;
    try {
      value = await runInSandbox(context.contextTransform, structuredOutput(context), {
        vars: context.vars ?? {},
        prompt: context.prompt,
      });
    } catch (error) {
      if (error instanceof SandboxError)
        throw new Error(`${type}: contextTransform failed: ${error.message}`, { cause: error });
      throw error;
    }
    const found = fromValue(value);
    if (found === undefined)
      throw new Error(
        `${type}: contextTransform must return a text or a list of texts, not ${JSON.stringify(value) ?? 'undefined'}`,
      );
    return found;
  }
  const found = fromValue(context.vars?.context) ?? fromValue(fallback);
  if (found === undefined)
    throw new Error(
      `${type} needs the retrieved context: a "context" variable in the test, or a contextTransform`,
    );
  return found;
}

/** The test's `query` variable (the user's question), which `type` needs. */
export function queryOf(context: AssertionContext, type: string): string {
  const query = context.vars?.query;
  if (typeof query !== 'string' || query === '')
    throw new Error(`${type} needs a "query" variable with the user's question`);
  return query;
}
