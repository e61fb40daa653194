/**
 * promptfoo's tests that depend on earlier answers, rendered turn by turn:
 * - `storeOutputAs` (on a test's `options`, or on the test as promptfoo's example writes it):
 *   the test's answer becomes a var of every later test, laid over the test's own vars before
 *   vars referencing vars are expanded (promptfoo's "registers").
 * - `_conversation`: a prompt reading it gets the earlier turns of the same prompt × provider
 *   (and `metadata.conversationId`, when tests set one) as a list of
 *   `{prompt, input, output}` — `prompt` the rendered prompt (parsed when it is JSON), `input`
 *   the last message's content of a chat prompt (else the prompt), `output` the answer text.
 *   A test with `options.disableConversationVar` does not see or extend it.
 * The prompt of such a test can only be rendered once the earlier answers are known, so the
 * CLI runs the tests of such a suite in file order (cli/run-in-order.ts).
 */
import type { LoadedSuite } from './load-suite.js';
import { expandVars, NO_FILTERS, renderNunjucks, type PromptFilters } from './render-prompt.js';
import type { SourcedTest } from './tests-file.js';

/** promptfoo's name of the earlier turns' variable. */
export const CONVERSATION_VAR = '_conversation';

/** Whether a prompt template reads `_conversation` (promptfoo looks for the name the same way). */
export function readsConversation(template: string): boolean {
  return /\b_conversation\b/.test(template);
}

/** One earlier turn as a `_conversation` template sees it (promptfoo's shape). */
export interface ConversationTurn {
  /** The rendered prompt: the parsed list of messages when it is JSON, else the text. */
  readonly prompt: unknown;
  /** The last message's `content` of a chat prompt, else the last message, else the prompt. */
  readonly input: unknown;
  /** The answer text; empty when the call gave none. */
  readonly output: string;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The turn a rendered prompt and its answer (null: none) add to `_conversation`. */
export function conversationTurn(rendered: string, output: string | null): ConversationTurn {
  const json = parsedJson(rendered);
  let input: unknown;
  if (Array.isArray(json)) {
    const last: unknown = json[json.length - 1];
    const content =
      typeof last === 'object' && last !== null
        ? (last as { content?: unknown }).content
        : undefined;
    input = content === undefined || content === null || content === '' ? last : content;
  }
  return {
    prompt: json ?? rendered,
    input: input ?? json ?? rendered,
    output: output ?? '',
  };
}

/** What renderTurn needs of a planned test. */
export interface TurnTest {
  /** The test's vars before vars referencing vars are expanded. */
  readonly rawVars: Readonly<Record<string, unknown>>;
  readonly disableConversationVar: boolean;
}

/**
 * A prompt rendered for one test with the answers stored so far (`registers`, by var name,
 * over the test's own vars) and, when the template reads it, the earlier turns of its
 * conversation, with the suite's custom Nunjucks `filters`. Returns the prompt and the test's vars as expanded (without `_conversation`).
 * @throws PromptRenderError when the template or a var does not render
 */
export function renderTurn(
  template: string,
  test: TurnTest,
  registers: Readonly<Record<string, string>>,
  conversation: readonly ConversationTurn[],
  filters: PromptFilters = NO_FILTERS,
): { readonly prompt: string; readonly vars: Record<string, unknown> } {
  const vars: Record<string, unknown> = { ...test.rawVars };
  if (readsConversation(template) && !test.disableConversationVar)
    vars[CONVERSATION_VAR] = conversation;
  Object.assign(vars, registers);
  const expanded = expandVars(vars, filters);
  const prompt = renderNunjucks(template, expanded, filters);
  delete expanded[CONVERSATION_VAR];
  return { prompt, vars: expanded };
}

/** promptfoo's `metadata.conversationId` as text (absent, null or empty: none). */
export function conversationKeyOf(id: unknown): string | undefined {
  if (id === undefined || id === null || id === '') return undefined;
  return typeof id === 'string' ? id : JSON.stringify(id);
}

/** A test's `storeOutputAs`: its options', else the test's own, else defaultTest's options'. */
export function storeNameOf(sourced: SourcedTest, loaded: LoadedSuite): string | undefined {
  const { test } = sourced;
  return (
    test.options?.storeOutputAs ?? test.storeOutputAs ?? loaded.defaultTest?.options?.storeOutputAs
  );
}
