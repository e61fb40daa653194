/**
 * Reasoning blocks in a model's text output. Reasoning models (DeepSeek-R1, Qwen3, QwQ and
 * their distillations) write their thinking inline as `<think>…</think>` before the answer
 * when the server does not separate it; some chat templates open the block in the prompt, so
 * the output starts mid-thought and only the closing `</think>` appears. `splitReasoning`
 * takes those blocks out so the answer can be checked (`is-json`, `equals`, …) on its own.
 */

/** The tags taken out: `<think>` (DeepSeek, Qwen), `<thinking>` and `<reasoning>`. */
const BLOCK = /<(think|thinking|reasoning)>([\s\S]*?)<\/\1>/gi;
const OPEN_AT_START = /^\s*<(think|thinking|reasoning)>/i;
const CLOSE = /<\/(think|thinking|reasoning)>/i;

export interface SplitOutput {
  /** The output without its reasoning blocks, trimmed. */
  readonly output: string;
  /** The blocks' contents, in order, separated by a blank line; undefined when there were none. */
  readonly reasoning: string | undefined;
}

/**
 * The output without its reasoning blocks, and the reasoning. A closing tag with no opening
 * one makes everything before it reasoning; an opening tag at the start that is never closed
 * (the answer was cut off while thinking) makes the whole output reasoning.
 */
export function splitReasoning(text: string): SplitOutput {
  const parts: string[] = [];
  let rest = text;
  const close = CLOSE.exec(rest);
  const firstOpen = /<(think|thinking|reasoning)>/i.exec(rest);
  if (close !== null && (firstOpen === null || firstOpen.index > close.index)) {
    parts.push(rest.slice(0, close.index));
    rest = rest.slice(close.index + close[0].length);
  }
  rest = rest.replace(BLOCK, (_all, _tag: string, inner: string) => {
    parts.push(inner);
    return '';
  });
  if (OPEN_AT_START.test(rest) && !CLOSE.test(rest)) {
    parts.push(rest.replace(OPEN_AT_START, ''));
    rest = '';
  }
  const reasoning = parts.map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return { output: text, reasoning: undefined };
  return {
    output: rest.trim(),
    reasoning: reasoning.length === 0 ? undefined : reasoning.join('\n\n'),
  };
}

/**
 * A call's answer without its inline reasoning (`show_thinking: false`, promptfoo's
 * `showThinking: false`): the blocks join the reasoning the server sent apart, if any.
 */
export function withoutThinking<T extends { readonly output: string; readonly reasoning?: string }>(
  call: T,
): T {
  const split = splitReasoning(call.output);
  if (split.reasoning === undefined && split.output === call.output) return call;
  const reasoning = [call.reasoning, split.reasoning].filter(
    (r): r is string => r !== undefined && r !== '',
  );
  return {
    ...call,
    output: split.output,
    ...(reasoning.length === 0 ? {} : { reasoning: reasoning.join('\n\n') }),
  };
}
